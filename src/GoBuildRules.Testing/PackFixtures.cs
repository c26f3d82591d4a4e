using GoBuildRules.Sdk;

namespace GoBuildRules.Testing;

/// <summary>
/// The fixture convention of every pack (the KICS habit): for each rule,
/// {fixtures}/{RULEID}/positive*.json must make the rule report at least one finding and
/// {fixtures}/{RULEID}/negative*.json must make it report none. Fixtures are snapshot JSON files,
/// as `gobuildrules snapshot` writes them (fields left out take their defaults). A name ending in
/// ".error.json", ".warning.json" or ".note.json" also pins the severity of every finding.
/// </summary>
public static class PackFixtures
{
    public sealed record Case(string RuleId, string File, bool Positive)
    {
        public override string ToString() => $"{RuleId}/{System.IO.Path.GetFileName(File)}";
    }

    public static IReadOnlyList<Case> CasesFor(IRulePack pack, string fixturesFolder) =>
        RuleReplay.RulesOf(pack)
            .SelectMany(rule =>
            {
                var folder = System.IO.Path.Combine(fixturesFolder, rule.Descriptor.Id);
                return Directory.Exists(folder)
                    ? Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f =>
                        new Case(rule.Descriptor.Id, f, System.IO.Path.GetFileName(f).StartsWith("positive", StringComparison.Ordinal)))
                    : [];
            })
            .ToList();

    /// <summary>
    /// Replays one case; returns what is wrong, or null when the rule behaves. The text names the
    /// fixture file, the rule, what the rule reported and what the pack's other rules reported on
    /// the same fixture, so a failing test explains itself (assert with Assert.True(problem is null, problem)).
    /// </summary>
    public static string? Check(IRulePack pack, Case @case)
    {
        var rules = RuleReplay.RulesOf(pack);
        var rule = rules.Single(r => r.Descriptor.Id == @case.RuleId);
        var findings = RuleReplay.Run(rule, @case.File);
        string? problem;
        var wrongId = findings.FirstOrDefault(f => f.RuleId != @case.RuleId);
        if (wrongId is not null)
        {
            problem = $"rule {@case.RuleId} reported a finding with rule id {wrongId.RuleId}";
        }
        else if (@case.Positive && findings.Count == 0)
        {
            problem = $"rule {@case.RuleId} must fire on this positive fixture but reported nothing";
        }
        else if (!@case.Positive && findings.Count > 0)
        {
            problem = $"rule {@case.RuleId} must not fire on this negative fixture but reported {findings.Count} finding(s)";
        }
        else if (ExpectedSeverity(@case.File) is { } expected && findings.FirstOrDefault(f => f.Severity != expected) is { } other)
        {
            problem = $"rule {@case.RuleId} must report every finding at {expected.ToString().ToLowerInvariant()} on this fixture, but reported {other.Severity.ToString().ToLowerInvariant()}";
        }
        else if (findings.FirstOrDefault(f => f.Message.Length == 0 || f.Subject.Length == 0 || f.Fixes.Any(x => x.Risk.Length == 0)) is { } bare)
        {
            problem = $"rule {@case.RuleId} reported a finding that lacks a message, a subject or a fix's risk (subject '{bare.Subject}')";
        }
        else
        {
            return null;
        }

        var text = new System.Text.StringBuilder()
            .Append("fixture ").Append(@case.File).Append('\n')
            .Append(problem).Append('\n');
        Describe(text, $"{@case.RuleId} reported", findings);
        var others = rules.Where(r => r != rule).SelectMany(r => RuleReplay.Run(r, @case.File)).ToList();
        Describe(text, "the pack's other rules reported", others);
        return text.ToString().TrimEnd('\n');
    }

    private static void Describe(System.Text.StringBuilder text, string who, IReadOnlyList<Finding> findings)
    {
        text.Append(who).Append(findings.Count == 0 ? ": nothing\n" : ":\n");
        foreach (var f in findings)
        {
            text.Append("  ").Append(f.RuleId).Append(' ').Append(f.Severity.ToString().ToLowerInvariant())
                .Append(" [").Append(f.Subject).Append("] ").Append(f.Message.ReplaceLineEndings(" ")).Append('\n');
        }
    }

    /// <summary>"positive-x.warning.json" pins the severity of every finding it produces (for rules whose severity follows the outcome).</summary>
    private static Severity? ExpectedSeverity(string file) =>
        System.IO.Path.GetExtension(System.IO.Path.GetFileNameWithoutExtension(file)) switch
        {
            ".error" => Severity.Error,
            ".warning" => Severity.Warning,
            ".note" => Severity.Note,
            _ => null,
        };

    /// <summary>
    /// What every pack owes its users: each rule has a positive and a negative fixture, a help page
    /// at {docs}/{RULEID}.md, a title and descriptions, and an id with the pack's prefix.
    /// </summary>
    public static IReadOnlyList<string> Gaps(IRulePack pack, string fixturesFolder, string docsRulesFolder)
    {
        var gaps = new List<string>();
        foreach (var rule in RuleReplay.RulesOf(pack))
        {
            var d = rule.Descriptor;
            var folder = System.IO.Path.Combine(fixturesFolder, d.Id);
            string[] files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];
            if (!files.Any(f => System.IO.Path.GetFileName(f).StartsWith("positive", StringComparison.Ordinal)))
                gaps.Add($"{d.Id}: no positive fixture in {folder}");
            if (!files.Any(f => System.IO.Path.GetFileName(f).StartsWith("negative", StringComparison.Ordinal)))
                gaps.Add($"{d.Id}: no negative fixture in {folder}");
            if (!File.Exists(System.IO.Path.Combine(docsRulesFolder, d.Id + ".md")))
                gaps.Add($"{d.Id}: no documentation page {d.Id}.md in {docsRulesFolder}");
            if (!d.Id.StartsWith(pack.Info.RuleIdPrefix, StringComparison.Ordinal))
                gaps.Add($"{d.Id}: id lacks the pack prefix {pack.Info.RuleIdPrefix}");
            if (string.IsNullOrWhiteSpace(d.Title) || string.IsNullOrWhiteSpace(d.ShortDescription) || string.IsNullOrWhiteSpace(d.FullDescription))
                gaps.Add($"{d.Id}: title and descriptions must not be empty");
        }

        return gaps;
    }
}
