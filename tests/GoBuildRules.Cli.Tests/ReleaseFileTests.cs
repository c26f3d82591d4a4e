using System.Text.RegularExpressions;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.CommandLine.Tests;

/// <summary>docs/rules/releases.md (the AnalyzerReleases habit) says exactly which rules ship at which default severity.</summary>
public sealed partial class ReleaseFileTests
{
    [Fact]
    public void The_release_file_replayed_in_order_equals_rules_list()
    {
        var list = Cli.Run("rules", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var shipped = new SortedDictionary<string, string>(StringComparer.Ordinal);
        string? pack = null;
        foreach (var line in list.Stdout.Split('\n'))
        {
            if (PackLine().Match(line) is { Success: true } p)
            {
                pack = p.Groups["pack"].Value;
            }
            else if (RuleLine().Match(line) is { Success: true } r)
            {
                shipped.Add(r.Groups["id"].Value, $"{pack} {r.Groups["severity"].Value}");
            }
        }

        Assert.True(shipped.Count >= 60, $"only {shipped.Count} rules listed:\n{list.Stdout}");
        var (released, errors) = Replay(File.ReadAllLines(Path.Combine(RepoPaths.DocsRules(), "releases.md")));
        foreach (var (id, what) in shipped)
        {
            if (!released.TryGetValue(id, out var claimed))
                errors.Add($"{id} ({what}) is listed by `rules list` but in no release table: add it under Unreleased / New Rules");
            else if (claimed != what)
                errors.Add($"{id} is {what} in `rules list` but {claimed} in releases.md: add a Changed Rules row");
        }

        errors.AddRange(released.Keys.Where(id => !shipped.ContainsKey(id)).Select(id => $"{id} is in releases.md but not in `rules list`: add a Removed Rules row"));
        Assert.True(errors.Count == 0, "docs/rules/releases.md:\n" + string.Join("\n", errors));
    }

    [Fact]
    public void Replay_applies_new_changed_and_removed_rows_and_refuses_inconsistent_ones()
    {
        var (released, errors) = Replay([
            "## Release 1.0", "### New Rules", "Rule ID | Pack | Severity | Title", "--------|------|----------|------",
            "GBX001 | P | error | one", "GBX002 | P | warning | two", "GBX003 | P | note | three",
            "## Release 1.1", "### Changed Rules", "Rule ID | New Severity | Old Severity | Notes", "---|---|---|---",
            "GBX001 | warning | error | calmer", "GBX009 | error | note | unknown",
            "### Removed Rules", "Rule ID | Pack | Severity | Notes", "---|---|---|---", "GBX003 | P | note | gone",
            "### New Rules", "Rule ID | Pack | Severity | Title", "---|---|---|---", "GBX002 | P | error | twice",
        ]);
        Assert.Equal(new Dictionary<string, string> { ["GBX001"] = "P warning", ["GBX002"] = "P warning" }, released);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("GBX009", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("GBX002 is added twice", StringComparison.Ordinal));
    }

    /// <summary>id → "pack severity" after every table in file order; errors for rows that contradict the state so far.</summary>
    private static (SortedDictionary<string, string> Released, List<string> Errors) Replay(IEnumerable<string> lines)
    {
        var released = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var errors = new List<string>();
        string? section = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                section = line[4..];
                continue;
            }

            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                section = null;
                continue;
            }

            if (section is null || !Regex.IsMatch(line, @"^GB[A-Z]+\d{3} \|"))
            {
                continue;
            }

            var cells = line.Split(" | ", 4);
            var id = cells[0];
            switch (section)
            {
                case "New Rules" when released.ContainsKey(id):
                    errors.Add($"{id} is added twice");
                    break;
                case "New Rules":
                    released[id] = $"{cells[1]} {cells[2]}";
                    break;
                case "Changed Rules" when released.TryGetValue(id, out var now) && now.EndsWith(" " + cells[2], StringComparison.Ordinal):
                    released[id] = now[..now.LastIndexOf(' ')] + " " + cells[1];
                    break;
                case "Changed Rules":
                    errors.Add($"{id}: a Changed Rules row whose old severity {cells[2]} is not what the releases before it say");
                    break;
                case "Removed Rules" when released.Remove(id):
                    break;
                default:
                    errors.Add($"{id}: a {section} row for a rule no release before it has");
                    break;
            }
        }

        return (released, errors);
    }

    [GeneratedRegex(@"^(?<pack>\S+) \S+ \(\d+ rules\)")]
    private static partial Regex PackLine();

    [GeneratedRegex(@"^\s+(?<id>GB[A-Z]+\d{3})\s+(?<severity>error|warning|note)\s")]
    private static partial Regex RuleLine();
}
