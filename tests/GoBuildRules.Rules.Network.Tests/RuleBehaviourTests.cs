using GoBuildRules.Rules.Network.Rules;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.Network.Tests;

/// <summary>What the fixtures cannot say by firing or not: severities, anchors and the fixes' values.</summary>
public sealed class RuleBehaviourTests
{
    private static Snapshot Fixture(string rule, string name) =>
        Snapshot.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", rule, name + ".json")));

    [Fact]
    public void A_stalled_proxy_is_an_error_but_only_a_warning_when_builds_read_vendor()
    {
        var snapshot = Fixture("GBNET002", "positive-stalled");
        var normal = Assert.Single(RuleReplay.Run(new ProxyStallsRule(), snapshot));
        Assert.Equal(Severity.Error, normal.Severity);
        Assert.Equal("GOPROXY:https://proxy.golang.org", normal.Subject);

        var vendored = snapshot with { Workspace = snapshot.Workspace with { Vendor = new VendorModulesFile("vendor/modules.txt") } };
        var warning = Assert.Single(RuleReplay.Run(new ProxyStallsRule(), vendored));
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Contains("vendor/", warning.Message);
    }

    [Fact]
    public void A_failing_entry_followed_by_a_comma_gets_the_pipe_fallback_fix()
    {
        var finding = Assert.Single(RuleReplay.Run(new ProxyUnreachableRule(), Fixture("GBNET001", "positive-comma-offers-pipe-fallback")));
        // '|' must be quoted, or the shell would read it as a pipe.
        Assert.Contains(finding.Fixes, f => f.Command == "go env -w GOPROXY='https://proxy.golang.org|direct'");
    }

    [Fact]
    public void A_private_module_is_anchored_at_its_require_line_and_the_fix_adds_its_host_to_GOPRIVATE()
    {
        var finding = Assert.Single(RuleReplay.Run(new PrivateModuleLeakRule(), Fixture("GBNET010", "positive-corp-host")));
        Assert.Equal(new Location("go.mod", 6), finding.Location);
        Assert.Equal("go env -w GOPRIVATE=git.corp.example", finding.Fixes[0].Command);
    }

    [Fact]
    public void Probe_evidence_names_each_hop_with_its_time()
    {
        var finding = Assert.Single(RuleReplay.Run(new ProxyStallsRule(), Fixture("GBNET002", "positive-stalled")));
        var names = finding.Evidence.Select(e => e.Name).ToList();
        Assert.Equal(["endpoint", "request", "DNS A", "DNS AAAA", "TCP ipv4", "TLS", "certificate", "HTTP", "failed hop"], names.Take(9));
        Assert.Equal("HTTP response", finding.Evidence.Single(e => e.Name == "failed hop").Value);
        // "with its time": every hop that was measured says how long it took.
        Assert.All(finding.Evidence.Where(e => e.Name is "DNS A" or "DNS AAAA" or "TCP ipv4" or "TLS" or "HTTP"),
            e => Assert.Matches(@"\d+(\.\d+)? m?s\b", e.Value));
    }

    [Fact]
    public void Facts_round_trip_through_the_snapshot_json()
    {
        var snapshot = Fixture("GBNET017", "positive-connect-stalls");
        var again = Snapshot.FromJson(snapshot.ToJson());
        var facts = again.GetExtension<Collection.NetworkFacts>(NetworkPack.Id)!;
        Assert.Equal(Collection.Hop.ProxyConnect, facts.Endpoints[0].FailedHop);
        Assert.True(facts.Endpoints[0].ProxyConnect!.TimedOut);
        Assert.Equal(["10.1.1.1"], facts.Endpoints[0].Dns!.IPv4);
    }
}

public sealed class RuleHelpTests
{
    [Fact]
    public void Every_rule_carries_its_page_as_help()
    {
        foreach (var rule in GoBuildRules.Testing.RuleReplay.RulesOf(new NetworkPack()))
        {
            Assert.Contains("## How to fix", rule.Descriptor.HelpMarkdown);
            Assert.Contains($"**Pack:** {NetworkPack.Id}", rule.Descriptor.HelpMarkdown);
        }
    }
}

public sealed class CredentialAwarenessTests
{
    private static Snapshot Fixture(string rule, string name) =>
        Snapshot.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", rule, name + ".json")));

    [Fact]
    public void A_401_from_a_proxy_listed_in_netrc_is_only_a_note()
    {
        var finding = Assert.Single(GoBuildRules.Testing.RuleReplay.Run(new Rules.ProxyErrorStatusRule(), Fixture("GBNET003", "positive-401-with-netrc-is-a-note")));
        Assert.Equal(Severity.Note, finding.Severity);
        Assert.Contains(".netrc", finding.Message);
    }

    [Fact]
    public void A_broad_GOPRIVATE_is_reported_once_not_again_as_the_GONOSUMDB_go_env_derives_from_it()
    {
        var findings = GoBuildRules.Testing.RuleReplay.Run(new Rules.BroadExemptionRule(), Fixture("GBNET009", "positive-goprivate-shown-as-gonosumdb"));
        var finding = Assert.Single(findings);
        Assert.Equal("GOPRIVATE:github.com", finding.Subject);
    }
}
