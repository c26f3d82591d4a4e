using GoBuildRules.Testing;

namespace Company.GoRules.Tests;

/// <summary>
/// Every rule replays its fixtures: fixtures/{RULEID}/positive*.json must fire it exactly as
/// positive*.expected.json beside it pins (rule id, severity, subject, file, line), negative*.json
/// must not fire it. GBR_WRITE_EXPECTED=1 dotnet test writes missing expectations from the current
/// output (review them before committing). A fixture is a snapshot as `gobuildrules snapshot` writes it (fields left out take
/// their defaults), so a real case from a colleague's machine becomes a test in one copy.
/// </summary>
public sealed class PackFixtureTests
{
    private static readonly Pack Pack = new();
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");
    private static readonly string Docs = Path.Combine(AppContext.BaseDirectory, "docs", "rules");

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
        Assert.Empty(PackFixtures.Gaps(Pack, Fixtures, Docs));
}
