using GoBuildRules.Rules.Cgo;
using GoBuildRules.Rules.CloudEnv;
using GoBuildRules.Rules.Ide;
using GoBuildRules.Rules.ModCache;
using GoBuildRules.Rules.Network;
using GoBuildRules.Rules.Toolchain;
using GoBuildRules.Rules.Vendor;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;

namespace GoBuildRules.AllPacks.Tests;

/// <summary>Every fixture of every pack, replayed through all first-party packs: no cause is reported by two rules.</summary>
public sealed class OneOwnerPerCauseTests
{
    private static readonly IRulePack[] Packs =
        [new CgoPack(), new CloudEnvPack(), new IdePack(), new ModCachePack(), new NetworkPack(), new ToolchainPack(), new VendorPack()];

    [Fact]
    public void No_two_rules_report_one_subject_on_any_fixture()
    {
        var fixtures = AllPacksReplay.AllFixtures();
        Assert.True(fixtures.Count > 100, $"the replay found only {fixtures.Count} fixtures: too few to mean anything");
        var shared = fixtures.SelectMany(f => AllPacksReplay.SharedCauses(Packs, f)).ToList();
        Assert.True(shared.Count == 0, string.Join("\n", shared));
    }
}
