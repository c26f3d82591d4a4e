using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting;

/// <summary>Assembles the report model from what the earlier stages produced; it computes nothing new.</summary>
public static partial class ReportBuilder
{
    public static Report Build(
        string toolVersion,
        Snapshot snapshot,
        bool replay,
        PackSet packs,
        Evaluation evaluation,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<(Finding Finding, string Justification)> suppressed,
        IReadOnlyList<ToolNotification> notifications,
        Timings timings,
        FailOn failOn,
        int exitCode) =>
        Build(
            toolVersion,
            snapshot,
            replay,
            packs.Packs.Select(p => new PackSummary(p.Info.Id, p.Info.Name, p.Info.Version, p.Bundled, p.Rules.Count, p.Info.Description)).ToList(),
            evaluation.Rules,
            findings,
            suppressed,
            notifications,
            timings,
            failOn,
            exitCode);

    /// <summary>The same, from plain data: what tests and other front ends use.</summary>
    public static Report Build(
        string toolVersion,
        Snapshot snapshot,
        bool replay,
        IReadOnlyList<PackSummary> packs,
        IReadOnlyList<EvaluatedRule> evaluated,
        IReadOnlyList<Finding> findings,
        IReadOnlyList<(Finding Finding, string Justification)> suppressed,
        IReadOnlyList<ToolNotification> notifications,
        Timings timings,
        FailOn failOn,
        int exitCode)
    {
        // Rules grouped by pack in pack order, so that a rule's index within its pack is its
        // position in that pack's SARIF tool component.
        var packOrder = packs.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var rules = evaluated
            .GroupBy(r => r.PackId, StringComparer.Ordinal)
            .OrderBy(g => packOrder.GetValueOrDefault(g.Key, int.MaxValue))
            .SelectMany(g => g.Select((r, i) => Describe(r, i)))
            .ToList();
        var byId = rules.GroupBy(r => r.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var anchor = DefaultAnchor(snapshot.Workspace);

        ReportFinding ToReport(Finding f)
        {
            var rule = byId.GetValueOrDefault(f.RuleId);
            var packId = rule?.PackId ?? "";
            return new ReportFinding(
                packId,
                f.RuleId,
                rule?.Title ?? f.RuleId,
                rule?.Category ?? "",
                f.Severity,
                f.Message,
                f.Subject,
                f.Evidence,
                f.Location,
                Anchor(f.Location, snapshot.Workspace.Root) ?? anchor,
                f.Fixes,
                rule?.HelpUri ?? "",
                Fingerprint(f.RuleId, f.Subject),
                packOrder.GetValueOrDefault(packId, -1),
                rule?.Index ?? -1);
        }

        var reported = findings.Select(ToReport).ToList();
        var hidden = suppressed.Select(s => ToReport(s.Finding) with { Justification = s.Justification }).ToList();
        return new Report
        {
            Tool = new ToolInfo("gobuildrules", toolVersion, "https://github.com/gobuildrules/gobuildrules"),
            Packs = packs,
            Rules = rules,
            Summary = new ReportCounts(
                reported.Count(f => f.Severity == Severity.Error),
                reported.Count(f => f.Severity == Severity.Warning),
                reported.Count(f => f.Severity == Severity.Note),
                hidden.Count,
                rules.Count,
                notifications.Count + snapshot.CollectionIssues.Count),
            Findings = reported,
            Suppressed = hidden,
            Notifications = notifications,
            Snapshot = new SnapshotSummary
            {
                Source = replay ? "replay" : "live",
                WorkspaceRoot = snapshot.Workspace.Root,
                Module = snapshot.Workspace.GoMod?.Module,
                GoModFile = snapshot.Workspace.GoMod?.File,
                GoWorkFile = snapshot.Workspace.GoWork?.File,
                GoVersion = snapshot.Go.Version,
                GoPath = snapshot.Go.Path,
                GoStatus = snapshot.Go.Status.ToString(),
                Os = snapshot.Host.Os,
                Arch = snapshot.Host.Arch,
                Kernel = snapshot.Host.Kernel,
                CollectedAt = snapshot.CollectedAt,
                EnvironmentVariables = snapshot.Environment.Count,
                Extensions = snapshot.Extensions.Keys.Order(StringComparer.Ordinal).ToList(),
                CollectionIssues = snapshot.CollectionIssues,
            },
            Timings = timings,
            FailOn = failOn.ToString().ToLowerInvariant(),
            ExitCode = exitCode,
        };
    }

    public static RuleSummary Describe(EvaluatedRule rule, int index) => new(
        rule.PackId, index, rule.Rule.Id, PascalName(rule.Rule.Title, rule.Rule.Id), rule.Rule.Title, rule.Rule.Category, rule.Rule.DefaultSeverity,
        rule.Rule.ShortDescription, rule.Rule.FullDescription, rule.Rule.HelpMarkdown, rule.Rule.HelpUri.ToString(), rule.Rule.Tags);

    /// <summary>
    /// Rule id and subject, never line text or line numbers: the same problem keeps its identity
    /// when go.mod is edited above it, so code-scanning alerts are matched across runs.
    /// </summary>
    public static string Fingerprint(string ruleId, string subject)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(ruleId + "\n" + subject));
        return Convert.ToHexStringLower(hash, 0, 16);
    }

    /// <summary>
    /// Where a finding without a usable location points: the module line of go.mod, else the go
    /// line of go.work, else go.mod line 1 (code scanning lists an alert on a missing file, without
    /// a snippet, so the anchor stays meaningful to whoever adds the module file).
    /// </summary>
    public static Location DefaultAnchor(WorkspaceFacts workspace) =>
        workspace.GoMod is { } mod ? new Location(Normalise(mod.File), Math.Max(1, mod.ModuleLine))
        : workspace.GoWork is { } work ? new Location(Normalise(work.File), Math.Max(1, work.GoLine))
        : new Location("go.mod", 1);

    /// <summary>The location as a repository-relative path, or null when it lies outside the workspace.</summary>
    public static Location? Anchor(Location? location, string root)
    {
        if (location is null || string.IsNullOrWhiteSpace(location.File))
        {
            return null;
        }

        var file = location.File;
        if (Path.IsPathRooted(file) || file.StartsWith('~'))
        {
            if (string.IsNullOrEmpty(root) || !Path.IsPathRooted(file))
            {
                return null;
            }

            var relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
            {
                return null;
            }

            file = relative;
        }

        file = Normalise(file);
        if (file.StartsWith("../", StringComparison.Ordinal) || file == "..")
        {
            return null;
        }

        return new Location(file, Math.Max(1, location.Line ?? 1));
    }

    private static string Normalise(string file)
    {
        var f = file.Replace('\\', '/');
        while (f.StartsWith("./", StringComparison.Ordinal))
        {
            f = f[2..];
        }

        return f;
    }

    /// <summary>"`go env` hangs or fails" → "GoEnvHangsOrFails"; falls back to the id.</summary>
    public static string PascalName(string title, string id)
    {
        var sb = new StringBuilder();
        foreach (var word in Words().Split(title))
        {
            if (word.Length > 0)
            {
                sb.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1));
            }
        }

        return sb.Length == 0 || char.IsDigit(sb[0]) ? id : sb.ToString();
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Words();
}
