using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting;

/// <summary>Assembles the report model from what the earlier stages produced; it computes nothing new.</summary>
public static class ReportBuilder
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
        int exitCode)
    {
        var rules = evaluation.Rules.Select(RuleSummary.From).ToList();
        var byId = rules.ToDictionary(r => r.Id, StringComparer.Ordinal);

        ReportFinding Describe(Finding f)
        {
            var rule = byId.GetValueOrDefault(f.RuleId);
            return new ReportFinding(rule?.PackId ?? "", f.RuleId, rule?.Title ?? f.RuleId, rule?.Category ?? "", f.Severity, f.Message, f.Subject,
                f.Evidence, f.Location, f.Fixes, rule?.HelpUri ?? "");
        }

        return new Report
        {
            Tool = new ToolInfo("gobuildrules", toolVersion, "https://github.com/gobuildrules/gobuildrules"),
            Packs = packs.Packs.Select(p => new PackSummary(p.Info.Id, p.Info.Name, p.Info.Version, p.Bundled, p.Rules.Count, p.Info.Description)).ToList(),
            Rules = rules,
            Findings = findings.Select(Describe).ToList(),
            Suppressed = suppressed.Select(s => Describe(s.Finding) with { Justification = s.Justification }).ToList(),
            Notifications = notifications,
            Snapshot = new SnapshotSummary
            {
                Source = replay ? "replay" : "live",
                WorkspaceRoot = snapshot.Workspace.Root,
                Module = snapshot.Workspace.GoMod?.Module,
                GoVersion = snapshot.Go.Version,
                GoPath = snapshot.Go.Path,
                GoStatus = snapshot.Go.Status.ToString(),
                Os = snapshot.Host.Os,
                Arch = snapshot.Host.Arch,
                Kernel = snapshot.Host.Kernel,
                CollectedAt = snapshot.CollectedAt,
                CollectionIssues = snapshot.CollectionIssues,
            },
            Timings = timings,
            FailOn = failOn.ToString().ToLowerInvariant(),
            ExitCode = exitCode,
        };
    }
}
