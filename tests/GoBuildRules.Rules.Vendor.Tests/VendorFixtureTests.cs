using GoBuildRules.Testing;

namespace GoBuildRules.Rules.Vendor.Tests;

public sealed class VendorFixtureTests
{
    private static readonly VendorPack Pack = new();
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
}
