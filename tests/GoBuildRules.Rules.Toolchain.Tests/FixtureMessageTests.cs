using GoBuildRules.Testing;

namespace GoBuildRules.Rules.Toolchain.Tests;

/// <summary>A fixture that fails explains itself: the file, the rule, what the rule and the pack's other rules reported.</summary>
public sealed class FixtureMessageTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");

    [Fact]
    public void A_mislabelled_fixture_names_the_file_the_rule_and_what_fired()
    {
        var pack = new ToolchainPack();
        var positive = PackFixtures.CasesFor(pack, Fixtures).First(c => c.RuleId == "GBGO001" && c.Positive);
        var problem = PackFixtures.Check(pack, positive with { Positive = false });
        Assert.NotNull(problem);
        var lines = problem.Split('\n');
        Assert.Equal("fixture " + positive.File, lines[0]);
        Assert.StartsWith("rule GBGO001 must not fire on this negative fixture but reported 1 finding(s)", lines[1]);
        Assert.Equal("GBGO001 reported:", lines[2]);
        Assert.StartsWith("  GBGO001 error [", lines[3]);
        Assert.Contains(lines, l => l.StartsWith("the pack's other rules reported", StringComparison.Ordinal));
    }

    [Fact]
    public void A_positive_fixture_that_does_not_fire_says_what_fired_instead()
    {
        var pack = new ToolchainPack();
        var negative = PackFixtures.CasesFor(pack, Fixtures).First(c => c.RuleId == "GBGO001" && !c.Positive);
        var problem = PackFixtures.Check(pack, negative with { Positive = true });
        Assert.NotNull(problem);
        Assert.Contains("rule GBGO001 must fire on this positive fixture but reported nothing", problem);
        Assert.Contains("GBGO001 reported: nothing", problem);
    }
}
