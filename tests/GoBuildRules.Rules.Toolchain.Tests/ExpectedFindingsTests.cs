using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Toolchain.Tests;

/// <summary>The pinned outcome of a positive fixture fails loudly when it is missing or differs.</summary>
public sealed class ExpectedFindingsTests
{
    private static readonly ToolchainPack Pack = new();

    private static (TempFolder Temp, PackFixtures.Case Case) Copy()
    {
        var temp = new TempFolder("gbr-expected");
        var file = temp.Write("GBGO008/positive-gocache-off.json",
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "GBGO008", "positive-gocache-off.json")));
        return (temp, new PackFixtures.Case("GBGO008", file, Positive: true));
    }

    [Fact]
    public void A_positive_fixture_without_expectations_fails_naming_fixture_rule_and_output()
    {
        var (temp, @case) = Copy();
        using var _ = temp;
        var problem = PackFixtures.Check(Pack, @case);
        Assert.NotNull(problem);
        Assert.Contains(@case.File, problem);
        Assert.Contains("positive-gocache-off.expected.json is missing", problem);
        Assert.Contains("GBGO008 error [GOCACHE]", problem);
    }

    [Fact]
    public void Expectations_that_differ_fail_with_both_lists_and_the_difference_marked()
    {
        var (temp, @case) = Copy();
        using var _ = temp;
        temp.Write("GBGO008/positive-gocache-off.expected.json", """
            { "findings": [ { "ruleId": "GBGO008", "severity": "warning", "subject": "GOCACHE", "file": "go.mod", "line": 1 } ] }
            """);
        var problem = PackFixtures.Check(Pack, @case);
        Assert.NotNull(problem);
        Assert.Contains("  - GBGO008 warning [GOCACHE] at go.mod:1", problem);
        Assert.Contains("  + GBGO008 error [GOCACHE] at go.mod:1", problem);

        temp.Write("GBGO008/positive-gocache-off.expected.json", """
            { "findings": [ { "ruleId": "GBGO008", "severity": "error", "subject": "GOCACHE", "file": "go.mod", "line": 2 } ] }
            """);
        Assert.Contains("  + GBGO008 error [GOCACHE] at go.mod:1", PackFixtures.Check(Pack, @case));

        temp.Write("GBGO008/positive-gocache-off.expected.json", """
            { "findings": [ { "ruleId": "GBGO008", "severity": "error", "subject": "GOCACHE", "file": "go.mod", "line": 1 },
                            { "ruleId": "GBGO008", "severity": "error", "subject": "GOCACHE", "file": "go.mod", "line": 1 } ] }
            """);
        Assert.Contains("  - GBGO008 error [GOCACHE] at go.mod:1", PackFixtures.Check(Pack, @case));
    }

    [Fact]
    public void Matching_expectations_pass_and_are_no_fixture_themselves()
    {
        var (temp, @case) = Copy();
        using var _ = temp;
        var expected = temp.Write("GBGO008/positive-gocache-off.expected.json", """
            { "findings": [ { "ruleId": "GBGO008", "severity": "error", "subject": "GOCACHE", "file": "go.mod", "line": 1 } ] }
            """);
        Assert.Null(PackFixtures.Check(Pack, @case));
        Assert.False(PackFixtures.IsFixture(expected));
        Assert.True(PackFixtures.IsFixture(@case.File));
        Assert.Equal([@case.File], PackFixtures.CasesFor(Pack, temp.Path).Select(c => c.File));
    }
}
