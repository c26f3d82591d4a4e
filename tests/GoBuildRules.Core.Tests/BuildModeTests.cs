using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Tests;

/// <summary>
/// cmd/go's build mode (modload.setDefaultBuildMod, go 1.19) as the SDK reads it for every pack;
/// the packs' real-go tests (ModCache vendoring, Network with vendor/) check it against go itself.
/// </summary>
public sealed class BuildModeTests
{
    private static Snapshot Module(string go, bool vendorDir, string goflags = "", bool goWork = false) => new()
    {
        Go = new GoFacts { Env = new Dictionary<string, string> { ["GOWORK"] = goWork ? "/w/go.work" : "", ["GOFLAGS"] = goflags } },
        Workspace = new WorkspaceFacts
        {
            Root = "/w/app",
            GoMod = new GoModFile("go.mod") { Go = go },
            GoWork = goWork ? new GoWorkFile("../go.work") : null,
        },
        Repository = new RepositoryIndex { Vendor = vendorDir ? new SubtreeSize("vendor", 3, 5) : null },
        GoSettings = GoSettings.Resolve(new Dictionary<string, string> { ["GOFLAGS"] = goflags }, n => n == "GOFLAGS" && goflags.Length > 0 ? goflags : null, new GoEnvFile((string?)null)),
    };

    [Theory]
    [InlineData("1.19", true, "", false, true)]         // default since 1.14: a vendor folder means vendor mode
    [InlineData("1.13", true, "", false, false)]        // before 1.14: readonly, vendor/ ignored
    [InlineData("1.19", false, "", false, false)]
    [InlineData("1.19", false, "-mod=vendor", false, true)]
    [InlineData("1.19", true, "-mod=mod", false, false)]
    [InlineData("1.19", true, "-mod=readonly", false, false)]
    [InlineData("1.19", true, "", true, false)]         // workspace mode never vendors (go 1.19-1.21)
    [InlineData("1.19", true, "-mod=vendor", true, false)]
    public void Vendor_mode_is_decided_as_cmd_go_decides_it(string go, bool vendorDir, string goflags, bool goWork, bool vendor)
    {
        var s = Module(go, vendorDir, goflags, goWork);
        Assert.Equal(goWork, BuildMode.Workspace(s));
        Assert.Equal(vendor, BuildMode.Vendor(s));
    }
}
