using GoBuildRules.Testing;

namespace Contoso.GoPolicy.Tests;

/// <summary>
/// Every rule replays its fixtures: fixtures/{RULEID}/positive*.json must fire it exactly as
/// positive*.expected.json pins, negative*.json must not; every rule has a page under docs/rules.
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

    [Fact]
    public void Insecure_flag_and_variable_are_reported_separately()
    {
        var rule = RuleReplay.RulesOf(Pack).Single(r => r.Descriptor.Id == "CTSO003");
        var snapshot = GoBuildRules.Sdk.Snapshot.FromJson("""
            { "schemaVersion": 1, "go": { "status": "found", "env": { "GOFLAGS": "-insecure -mod=readonly", "GOINSECURE": "git.contoso.example" } } }
            """);
        var findings = RuleReplay.Run(rule, snapshot);
        Assert.Equal(["GOFLAGS -insecure", "GOINSECURE"], findings.Select(f => f.Subject));
        Assert.Equal("go env -w GOFLAGS=-mod=readonly", findings[0].Fixes[0].Command);
    }
}
