using GoBuildRules.Core.Config;
using GoBuildRules.Core.Engine;
using GoBuildRules.Sdk;

namespace GoBuildRules.Packs.Tests;

public sealed class TeamPolicyTests
{
    private static readonly DateOnly Today = new(2026, 6, 1);

    private static readonly RuleDescriptor Proxy = new("CTSO001", "proxy", "policy", Severity.Error, "s", "f");
    private static readonly RuleDescriptor Flags = new("CTSO002", "flags", "policy", Severity.Error, "s", "f");
    private static readonly RuleDescriptor Go = new("GBGO001", "go", "toolchain", Severity.Error, "s", "f");

    private static readonly IReadOnlyList<EvaluatedRule> Rules = [new("Contoso.GoPolicy", Proxy), new("Contoso.GoPolicy", Flags), new("GoBuildRules.Rules.Toolchain", Go)];

    private static TeamConfig Config(string json) => TeamConfigFile.Parse(json, "gobuildrules.json");

    [Fact]
    public void Precedence_is_disabled_then_rule_then_category_then_default()
    {
        var config = Config("""
            { "severity": { "rules": { "CTSO001": "note" }, "categories": { "policy": "warning", "toolchain": "off" } }, "disabled": ["CTSO001"] }
            """);
        Assert.Equal(new RuleSetting("CTSO001", null, "gobuildrules.json: disabled"), TeamPolicy.Effective(Proxy, config));
        Assert.Equal(new RuleSetting("CTSO002", Severity.Warning, "gobuildrules.json: severity.categories.policy"), TeamPolicy.Effective(Flags, config));
        Assert.True(TeamPolicy.Effective(Go, config).Off);
        Assert.Equal(new RuleSetting("CTSO001", Severity.Note, "gobuildrules.json: severity.rules.ctso001"), TeamPolicy.Effective(Proxy, Config("""{ "severity": { "rules": { "ctso001": "note" }, "categories": { "policy": "warning" } } }""")));
        Assert.Equal(new RuleSetting("CTSO001", Severity.Error, "the rule's default"), TeamPolicy.Effective(Proxy, TeamConfig.Empty));
    }

    [Fact]
    public void Overrides_change_the_severity_of_findings_and_off_drops_them()
    {
        var findings = new[] { Proxy.Finding("a", "GOPROXY"), Flags.Finding("b", "GOFLAGS"), Go.Finding("c", "go") };
        var outcome = TeamPolicy.Apply(findings, Rules, Config("""{ "severity": { "categories": { "policy": "note" }, "rules": { "GBGO001": "off" } } }"""), Today);
        Assert.Equal([Severity.Note, Severity.Note], outcome.Findings.Select(f => f.Severity));
        Assert.DoesNotContain(outcome.Findings, f => f.RuleId == "GBGO001");
        Assert.Equal(0, Policy.ExitCode(outcome.Findings, FailOn.Warning, false, false));
    }

    [Fact]
    public void Live_suppressions_move_findings_aside_with_their_justification_and_expired_ones_are_stale()
    {
        var findings = new[] { Proxy.Finding("a", "GOPROXY"), Flags.Finding("b", "GOFLAGS -mod=mod"), Go.Finding("c", "go") };
        var outcome = TeamPolicy.Apply(findings, Rules, Config("""
            { "suppressions": [
                { "rule": "CTSO001", "justification": "mirror migration, ticket OPS-12", "expires": "2026-06-01" },
                { "rule": "CTSO002", "subject": "GOFLAGS *", "justification": "legacy job", "expires": "2026-05-31" },
                { "rule": "GBGO001", "subject": "gopls", "justification": "only gopls" }
            ] }
            """), Today);

        var suppressed = Assert.Single(outcome.Suppressed);
        Assert.Equal("CTSO001", suppressed.Finding.RuleId);
        Assert.Equal("mirror migration, ticket OPS-12", suppressed.Justification);
        Assert.Equal(["CTSO002", "GBGO001"], outcome.Findings.Select(f => f.RuleId));
        var stale = Assert.Single(outcome.Notifications);
        Assert.Equal(NotificationLevel.Warning, stale.Level);
        Assert.Contains("stale suppression of CTSO002", stale.Message);
        Assert.Contains("2026-05-31", stale.Message);
    }

    [Fact]
    public void Settings_for_rules_no_pack_has_are_noted()
    {
        var outcome = TeamPolicy.Apply([], Rules, Config("""{ "disabled": ["GBNOPE9"] }"""), Today);
        Assert.Contains("GBNOPE9 is configured but no loaded pack has such a rule", Assert.Single(outcome.Notifications).Message);
    }

    [Theory]
    [InlineData("GOFLAGS *", "GOFLAGS -mod=mod", true)]
    [InlineData("*mod*", "GOFLAGS -mod=mod", true)]
    [InlineData("go", "gopls", false)]
    [InlineData("a*b*c", "abc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("ab*ab", "ab", false)]
    public void Subject_patterns(string pattern, string subject, bool matches) =>
        Assert.Equal(matches, TeamPolicy.Glob(pattern, subject));
}
