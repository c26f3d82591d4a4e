using System.Text.Json;
using GoBuildRules.Sdk;

namespace GoBuildRules.Testing;

/// <summary>
/// The fixture convention of every pack (the KICS habit): for each rule,
/// {fixtures}/{RULEID}/positive*.json must make the rule report at least one finding and
/// {fixtures}/{RULEID}/negative*.json must make it report none. Fixtures are snapshot JSON files,
/// as `gobuildrules snapshot` writes them (fields left out take their defaults). Each positive fixture
/// has its outcome pinned beside it in positive*.expected.json (<see cref="ExpectedFindings"/>): the
/// rule must report exactly those findings, at those severities, subjects, files and lines.
/// </summary>
public static class PackFixtures
{
    public sealed record Case(string RuleId, string File, bool Positive)
    {
        public override string ToString() => $"{RuleId}/{System.IO.Path.GetFileName(File)}";
    }

    /// <summary>Whether a file is a fixture (positive*.json or negative*.json, not an expectations file).</summary>
    public static bool IsFixture(string file)
    {
        var name = System.IO.Path.GetFileName(file);
        return (name.StartsWith("positive", StringComparison.Ordinal) || name.StartsWith("negative", StringComparison.Ordinal))
            && name.EndsWith(".json", StringComparison.Ordinal)
            && !name.EndsWith(ExpectedFindings.Suffix, StringComparison.Ordinal);
    }

    public static IReadOnlyList<Case> CasesFor(IRulePack pack, string fixturesFolder) =>
        RuleReplay.RulesOf(pack)
            .SelectMany(rule =>
            {
                var folder = System.IO.Path.Combine(fixturesFolder, rule.Descriptor.Id);
                return Directory.Exists(folder)
                    ? Directory.GetFiles(folder, "*.json").Where(IsFixture).Order(StringComparer.Ordinal).Select(f =>
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
        else if (findings.FirstOrDefault(f => f.Message.Length == 0 || f.Subject.Length == 0 || f.Fixes.Any(x => x.Risk.Length == 0)) is { } bare)
        {
            problem = $"rule {@case.RuleId} reported a finding that lacks a message, a subject or a fix's risk (subject '{bare.Subject}')";
        }
        else if (@case.Positive)
        {
            problem = CompareWithExpected(@case, findings);
            if (problem is null)
            {
                return null;
            }
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

    /// <summary>
    /// Null when the rule reported exactly the pinned findings. A missing or differing expectations
    /// file is a failure; with GBR_WRITE_EXPECTED=1 it is (re)written from this output, in the test
    /// project's source folder too, and the test still fails once so that someone reviews it.
    /// </summary>
    private static string? CompareWithExpected(Case @case, IReadOnlyList<Finding> findings)
    {
        var actual = ExpectedFindings.Of(findings);
        var file = ExpectedFindings.PathFor(@case.File);
        var write = Environment.GetEnvironmentVariable(ExpectedFindings.WriteVariable) == "1";
        if (!File.Exists(file))
        {
            return write
                ? Write(file, actual, "had no expectations file")
                : $"rule {@case.RuleId}: positive fixture without expected findings: {System.IO.Path.GetFileName(file)} is missing beside it "
                    + $"(run the tests with {ExpectedFindings.WriteVariable}=1 to write it from the output below, then review it)";
        }

        ExpectedFindings expected;
        try
        {
            expected = ExpectedFindings.Read(file);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return $"rule {@case.RuleId}: {System.IO.Path.GetFileName(file)} is not an expectations file: {e.Message}";
        }

        var want = expected.Findings.Select(f => f.ToString()).Order(StringComparer.Ordinal).ToList();
        var got = actual.Findings.Select(f => f.ToString()).ToList();
        if (want.SequenceEqual(got, StringComparer.Ordinal))
        {
            return null;
        }

        if (write)
        {
            return Write(file, actual, "differed from the output");
        }

        var text = new System.Text.StringBuilder()
            .Append("rule ").Append(@case.RuleId).Append(" did not report what ").Append(System.IO.Path.GetFileName(file)).Append(" pins")
            .Append(" (- expected but not reported, + reported but not expected)\n");
        Mark(text, "expected", want, got, "  - ");
        Mark(text, "fired", got, want, "  + ");
        return text.ToString().TrimEnd('\n');
    }

    /// <summary>Lists <paramref name="these"/>, marking each one the other list lacks (counted: a duplicate beyond the other's count is marked).</summary>
    private static void Mark(System.Text.StringBuilder text, string title, IReadOnlyList<string> these, IReadOnlyList<string> other, string mark)
    {
        var left = other.GroupBy(x => x, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        text.Append(title).Append(these.Count == 0 ? ": nothing\n" : ":\n");
        foreach (var x in these)
        {
            var matched = left.TryGetValue(x, out var n) && n > 0;
            if (matched)
            {
                left[x] = n - 1;
            }

            text.Append(matched ? "    " : mark).Append(x).Append('\n');
        }
    }

    private static string Write(string file, ExpectedFindings actual, string why)
    {
        var json = actual.ToJson();
        File.WriteAllText(file, json);
        var source = SourceCopy(file);
        if (source is not null)
        {
            File.WriteAllText(source, json);
        }

        return $"{System.IO.Path.GetFileName(file)} {why}: wrote {source ?? file} from the current output; review it, then run again without {ExpectedFindings.WriteVariable}";
    }

    /// <summary>
    /// Fixtures are usually copied into the test output (bin/…/fixtures); the expectations belong
    /// beside the source fixture in the test project, which is the folder that holds that bin.
    /// </summary>
    private static string? SourceCopy(string file)
    {
        var output = System.IO.Path.GetFullPath(AppContext.BaseDirectory);
        var full = System.IO.Path.GetFullPath(file);
        if (!full.StartsWith(output, StringComparison.Ordinal))
        {
            return null;
        }

        for (var dir = new DirectoryInfo(output); dir?.Parent is not null; dir = dir.Parent)
        {
            if (dir.Name == "bin")
            {
                var source = System.IO.Path.Combine(dir.Parent.FullName, System.IO.Path.GetRelativePath(output, full));
                var fixture = source[..^ExpectedFindings.Suffix.Length] + ".json";
                return File.Exists(fixture) ? source : null;
            }
        }

        return null;
    }

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
            string[] all = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];
            var files = all.Where(IsFixture).ToArray();
            foreach (var stray in all.Where(f => f.EndsWith(ExpectedFindings.Suffix, StringComparison.Ordinal)))
            {
                var fixture = stray[..^ExpectedFindings.Suffix.Length] + ".json";
                if (!File.Exists(fixture) || !System.IO.Path.GetFileName(fixture).StartsWith("positive", StringComparison.Ordinal))
                    gaps.Add($"{d.Id}: {System.IO.Path.GetFileName(stray)} pins no positive fixture (expected {System.IO.Path.GetFileName(fixture)} beside it)");
            }

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
