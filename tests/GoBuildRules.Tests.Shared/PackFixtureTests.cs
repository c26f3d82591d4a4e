using GoBuildRules.Sdk;
using GoBuildRules.Testing;

namespace GoBuildRules.Tests.Shared;

/// <summary>
/// The replay tests every pack owes (the KICS habit): each fixture under the test project's
/// fixtures/{RULEID}/ behaves as its name says (a positive one exactly as its .expected.json pins), and every rule has both kinds of fixture and a page.
/// A pack's test project derives one class from this and adds its own tests beside it.
/// </summary>
public abstract class PackFixtureTests<TPack> where TPack : IRulePack, new()
{
    protected static readonly TPack Pack = new();

    protected static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static TheoryData<string> Cases() => new(PackFixtures.CasesFor(Pack, Fixtures).Select(c => c.ToString()));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fixture_replays_as_labelled(string name)
    {
        var @case = PackFixtures.CasesFor(Pack, Fixtures).Single(c => c.ToString() == name);
        // The whole explanation: fixture, rule, what it and the pack's other rules reported.
        var problem = PackFixtures.Check(Pack, @case);
        Assert.True(problem is null, problem);
    }

    [Fact]
    public void Every_rule_has_fixtures_and_a_page() =>
        Assert.Empty(PackFixtures.Gaps(Pack, Fixtures, RepoPaths.DocsRules()));
}
