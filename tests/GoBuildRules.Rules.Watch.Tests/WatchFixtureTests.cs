using GoBuildRules.Tests.Shared;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.Watch.Tests;

/// <summary>Replays every fixture of the pack; see <see cref="PackFixtureTests{TPack}"/>.</summary>
public sealed class WatchFixtureTests : PackFixtureTests<WatchPack>
{
    /// <summary>GBRUN001 is the fallback: on no fixture of any pack does it speak beside GBRUN002 or GBRUN003.</summary>
    [Fact]
    public void The_generic_stall_is_silent_when_a_specific_rule_names_the_cause()
    {
        var rules = RuleReplay.RulesOf(Pack);
        var fixtures = AllPacksReplay.AllFixtures();
        var together = fixtures
            .Select(f => (File: f, Fired: rules.SelectMany(r => RuleReplay.Run(r, f)).Select(x => x.RuleId).Distinct().Order(StringComparer.Ordinal).ToList()))
            .Where(x => x.Fired.Contains("GBRUN001") && x.Fired.Count > 1)
            .Select(x => $"{Path.GetRelativePath(RepoPaths.Root(), x.File)}: {string.Join(" and ", x.Fired)}")
            .ToList();
        Assert.Contains(fixtures, f => f.Contains("GBRUN002", StringComparison.Ordinal));
        Assert.True(together.Count == 0, string.Join("\n", together));
    }
}
