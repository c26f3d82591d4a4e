using GoBuildRules.Testing;

namespace GoBuildRules.Rules.ModCache.Tests;

public sealed class ModCacheFixtureTests
{
    private static readonly ModCachePack Pack = new();
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static TheoryData<string> Cases() => new(PackFixtures.CasesFor(Pack, Fixtures).Select(c => c.ToString()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_replays_as_labelled(string name)
    {
        var @case = PackFixtures.CasesFor(Pack, Fixtures).Single(c => c.ToString() == name);
        Assert.Null(PackFixtures.Check(Pack, @case));
    }

    [Fact]
    public void Every_rule_has_fixtures_and_a_page() =>
        Assert.Empty(PackFixtures.Gaps(Pack, Fixtures, RepoPaths.DocsRules()));

    [Fact]
    public void Pack_has_fifteen_rules_with_its_prefix() =>
        Assert.Equal(Enumerable.Range(1, 15).Select(i => $"GBMOD{i:000}"), RuleReplay.RulesOf(Pack).Select(r => r.Descriptor.Id).Order());
}
