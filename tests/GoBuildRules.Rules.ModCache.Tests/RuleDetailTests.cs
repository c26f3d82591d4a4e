using GoBuildRules.Sdk;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.ModCache.Tests;

/// <summary>What the fixtures' labels do not say: severities, the line blamed, the fix offered.</summary>
public sealed class RuleDetailTests
{
    private static readonly IReadOnlyList<IRule> Rules = RuleReplay.RulesOf(new ModCachePack());

    private static IReadOnlyList<Finding> Run(string ruleId, string fixture) =>
        RuleReplay.Run(Rules.Single(r => r.Descriptor.Id == ruleId), Path.Combine(AppContext.BaseDirectory, "fixtures", ruleId, fixture + ".json"));

    [Fact]
    public void Network_cache_is_moved_to_a_local_folder_not_to_the_nfs_home()
    {
        var finding = Run("GBMOD003", "positive-modcache-on-nfs").Single(f => f.Subject == "GOMODCACHE");
        Assert.Equal("go env -w GOMODCACHE=/var/tmp/go-mod", finding.Fixes[0].Command);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(Severity.Error, Run("GBMOD003", "positive-hung-nfs-mount").Single().Severity);
    }

    [Fact]
    public void Go_sum_conflict_blames_the_line_the_cache_disagrees_with()
    {
        var finding = Assert.Single(Run("GBMOD007", "positive-two-hashes"));
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(new Location("go.sum", 4), finding.Location);
        Assert.Contains("Delete line 4", finding.Fixes[1].Edit);
    }

    [Fact]
    public void Many_damaged_versions_become_one_finding_that_offers_the_expensive_clean()
    {
        var finding = Assert.Single(Run("GBMOD004", "positive-many-versions-whole-cache"));
        Assert.Equal("module cache", finding.Subject);
        Assert.Equal("go clean -modcache", finding.Fixes[^1].Command);
        Assert.Contains("Expensive", finding.Fixes[^1].Risk);
    }

    [Fact]
    public void A_single_damaged_entry_is_deleted_alone_before_any_clean()
    {
        var finding = Assert.Single(Run("GBMOD005", "positive-truncated-zip-not-extracted"));
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.StartsWith("chmod -R u+w /home/dev/go/pkg/mod/example.com/lib@v1.0.0", finding.Fixes[0].Command);
        Assert.Contains("go mod download example.com/lib@v1.0.0", finding.Fixes[0].Command);
        Assert.Equal("go clean -modcache", finding.Fixes[^1].Command);
    }

    [Fact]
    public void Walk_cut_short_by_load_says_the_machine_was_busy()
    {
        var snapshot = Snapshot.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "GBMOD014", "positive-time-budget.json")));
        var facts = snapshot.GetExtension<ModCacheFacts>(ModCacheFacts.Key)!;
        var busy = snapshot.WithExtension(ModCacheFacts.Key, facts with { Download = facts.Download! with { CpuMilliseconds = 400, RunQueueMilliseconds = 1500 } });
        var finding = Assert.Single(RuleReplay.Run(Rules.Single(r => r.Descriptor.Id == "GBMOD014"), busy));
        Assert.Contains("the machine was busy", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Name == "waiting for a CPU" && e.Value == "1500 ms");
    }

    [Fact]
    public void Stuck_download_is_a_warning_naming_the_proxy_and_the_held_lock()
    {
        var finding = Assert.Single(Run("GBMOD008", "positive-download-stuck-on-proxy"));
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("10.0.0.5:3128", finding.Message);
        Assert.Contains("holds the module-cache lock /home/dev/go/pkg/mod/cache/lock", finding.Message);
        Assert.Equal("kill 4242", finding.Fixes[^1].Command);
    }
}
