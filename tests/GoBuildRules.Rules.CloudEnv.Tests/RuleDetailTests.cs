using GoBuildRules.Rules.CloudEnv.Rules;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.CloudEnv.Tests;

/// <summary>What the fixtures' fire / stay-quiet check does not see: anchors, severities, fix text.</summary>
public sealed class RuleDetailTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");

    private static Finding Single(IRule rule, string fixture) =>
        Assert.Single(RuleReplay.Run(rule, Path.Combine(Fixtures, rule.Descriptor.Id, fixture)));

    [Fact]
    public void Ci_cache_finding_points_at_cache_false()
    {
        var f = Single(new CiCacheRule(), "positive-setup-go-cache-false.json");
        Assert.Equal(new Location(".github/workflows/build.yml", 12), f.Location);
        Assert.Contains("cache: false", f.Message);
    }

    [Fact]
    public void Setup_go_without_a_root_go_sum_is_told_the_module_go_sum()
    {
        var f = Single(new CiCacheRule(), "positive-setup-go-no-go-sum-at-root.json");
        Assert.Equal(new Location("../.github/workflows/ci.yml", 9), f.Location);
        Assert.Contains("Dependencies file is not found", f.Message);
        Assert.Contains("cache-dependency-path: app/go.sum", f.Fixes[0].Edit);
    }

    [Fact]
    public void Gitlab_missing_only_build_cache_is_a_note_at_the_paths_line()
    {
        var f = Single(new CiCacheRule(), "positive-gitlab-build-cache-missing.json");
        Assert.Equal(Severity.Note, f.Severity);
        Assert.Equal(new Location(".gitlab-ci.yml", 8), f.Location);
        Assert.Contains("GOCACHE", f.Message);
    }

    [Fact]
    public void Memory_finding_suggests_a_p_that_fits()
    {
        var f = Single(new MemoryLimitRule(), "positive-2gib-8cpus.json");
        Assert.Contains("8 compiles", f.Message);
        Assert.Equal("go env -w GOFLAGS=-p=2", f.Fixes[0].Command);
    }

    [Fact]
    public void Cpu_quota_on_cgroup_v1_with_go_1_25_is_only_a_note()
    {
        Assert.Equal(Severity.Note, Single(new CpuQuotaRule(), "positive-go125-cgroup-v1-note.json").Severity);
        var parent = Single(new CpuQuotaRule(), "positive-go125-parent-limit.json");
        Assert.Equal(Severity.Warning, parent.Severity);
        Assert.Contains("parent cgroup", parent.Message);
        Assert.Equal("export GOMAXPROCS=2", parent.Fixes[0].Command);
    }

    [Fact]
    public void Proxy_finding_lists_what_to_add()
    {
        var f = Single(new ProxyBypassRule(), "positive-private-host.json");
        Assert.Contains("git.corp.example.com", f.Fixes[0].Command);
        Assert.Contains("localhost,127.0.0.1,git.corp.example.com", f.Fixes[0].Command);
        var k8s = Single(new ProxyBypassRule(), "positive-metadata-kubernetes.json");
        Assert.Contains("169.254.169.254", k8s.Message);
    }

    [Fact]
    public void Shallow_clone_points_at_the_checkout_step_and_warns_from_go_1_24()
    {
        var f = Single(new ShallowCloneRule(), "positive-github-checkout-default-depth.json");
        Assert.Equal(new Location(".github/workflows/release.yml", 12), f.Location);
        Assert.Equal(Severity.Warning, f.Severity);
        Assert.Equal(Severity.Note, Single(new ShallowCloneRule(), "positive-plain-shallow.json").Severity);
    }

    [Fact]
    public void Defender_names_gopath_once_and_is_a_note_when_exclusions_are_hidden()
    {
        var f = Single(new DefenderScanRule(), "positive-no-exclusions.json");
        Assert.DoesNotContain(f.Evidence, e => e.Name == "GOMODCACHE");
        Assert.Single(f.Evidence, e => e.Name == "GOPATH");
        Assert.Equal(Severity.Note, Single(new DefenderScanRule(), "positive-exclusions-hidden.json").Severity);
        var partial = Single(new DefenderScanRule(), "positive-gocache-not-excluded.json");
        Assert.Equal(["GOCACHE"], partial.Evidence.Where(e => e.Name.StartsWith("GO", StringComparison.Ordinal)).Select(e => e.Name));
    }

    [Fact]
    public void Every_finding_of_every_positive_fixture_has_a_location_and_safest_fix_first()
    {
        foreach (var @case in PackFixtures.CasesFor(new CloudEnvPack(), Fixtures).Where(c => c.Positive))
        {
            var rule = RuleReplay.RulesOf(new CloudEnvPack()).Single(r => r.Descriptor.Id == @case.RuleId);
            foreach (var f in RuleReplay.Run(rule, @case.File))
            {
                Assert.True(f.Location is not null, $"{@case}: no location");
                Assert.NotEmpty(f.Fixes);
                Assert.NotEmpty(f.Evidence);
            }
        }
    }
}
