using System.Text.RegularExpressions;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.CommandLine.Tests;

public sealed class RuleCatalogueTests
{
    [Fact]
    public void Every_bundled_rule_has_a_page_and_a_catalogue_entry()
    {
        var list = Cli.Run("rules", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        var ids = Regex.Matches(list.Stdout, @"^\s+(GB[A-Z]+\d{3})\s", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(ids.Count >= 60, $"only {ids.Count} rules listed:\n{list.Stdout}");

        var catalogue = File.ReadAllText(Path.Combine(RepoPaths.DocsRules(), "README.md"));
        var missing = ids.Where(id => !catalogue.Contains($"[{id}]({id}.md)", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "run scripts/rule-catalogue.sh; missing: " + string.Join(", ", missing));
        Assert.All(ids, id => Assert.True(File.Exists(Path.Combine(RepoPaths.DocsRules(), id + ".md")), $"docs/rules/{id}.md"));
    }
}
