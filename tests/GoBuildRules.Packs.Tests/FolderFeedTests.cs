using System.Text.Json.Nodes;
using GoBuildRules.Packs.Tests.Infrastructure;

namespace GoBuildRules.Packs.Tests;

/// <summary>The whole life of a pack from a folder feed: install, list, scan, update, remove.</summary>
[Collection(PackFeedCollection.Name)]
public sealed class FolderFeedTests(PackFeedFixture fixture)
{
    [Fact]
    public void Install_list_scan_update_remove()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg");

        var install = repo.Run("packs", "install", "Contoso.GoPolicy");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal("1.0.0", (string?)JsonNode.Parse(repo.Config)!["packs"]!["Contoso.GoPolicy"]);
        var locked = JsonNode.Parse(repo.Lock)!["packs"]![0]!;
        Assert.Equal("Contoso.GoPolicy", (string?)locked["id"]);
        Assert.Equal("1.0.0", (string?)locked["version"]);
        Assert.Equal(PackFeeds.Sha512Of(Path.Combine(repo.Feed, "Contoso.GoPolicy.1.0.0.nupkg")), (string?)locked["sha512"]);
        Assert.True(File.Exists(Path.Combine(repo.Store, "contoso.gopolicy", "1.0.0", "lib", "net10.0", "Contoso.GoPolicy.dll")));
        Assert.True(File.Exists(Path.Combine(repo.GlobalPackages, "contoso.gopolicy", "1.0.0", "contoso.gopolicy.1.0.0.nupkg")), "the global packages folder is the download cache");

        var list = repo.Run("packs", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"Contoso\.GoPolicy 1\.0\.0  \[in use\]  sdk 1\.0\.0\.0  3 rules  source .*feed", list.Stdout);

        var (scan, report) = repo.Scan();
        Assert.True(scan.ExitCode == 1, scan.ToString());
        var finding = Assert.Single(report!.Findings, f => f.RuleId == "CTSO001");
        Assert.Equal("Contoso.GoPolicy", finding.PackId);
        Assert.Contains("GOPROXY is 'off'", finding.Message);
        Assert.Contains(report.Packs, p => p.Id == "GoBuildRules.Rules.Toolchain");

        repo.AddToFeed("Contoso.GoPolicy.1.1.0.nupkg");
        var update = repo.Run("packs", "update");
        Assert.True(update.ExitCode == 0, update.ToString());
        Assert.Contains("updated Contoso.GoPolicy 1.0.0 -> 1.1.0", update.Stdout);
        Assert.Equal("1.1.0", (string?)JsonNode.Parse(repo.Config)!["packs"]!["Contoso.GoPolicy"]);
        Assert.Equal("1.1.0", (string?)JsonNode.Parse(repo.Lock)!["packs"]![0]!["version"]);
        var afterUpdate = repo.Run("packs", "list");
        Assert.Contains("Contoso.GoPolicy 1.1.0  [in use]", afterUpdate.Stdout);
        Assert.Contains("Contoso.GoPolicy 1.0.0  sdk", afterUpdate.Stdout);

        var remove = repo.Run("packs", "remove", "Contoso.GoPolicy");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Empty(JsonNode.Parse(repo.Config)!["packs"]!.AsObject());
        Assert.Empty(JsonNode.Parse(repo.Lock)!["packs"]!.AsArray());
        Assert.False(Directory.Exists(Path.Combine(repo.Store, "contoso.gopolicy")));
        var (_, afterRemove) = repo.Scan();
        Assert.DoesNotContain(afterRemove!.Findings, f => f.RuleId.StartsWith("CTSO", StringComparison.Ordinal));
    }

    [Fact]
    public void Range_picks_the_highest_matching_version_and_the_config_keeps_the_range()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg", "Contoso.GoPolicy.1.1.0.nupkg");
        var install = repo.Run("packs", "install", "Contoso.GoPolicy@[1.0,1.1)");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("installed Contoso.GoPolicy 1.0.0", install.Stdout);
        Assert.Equal("[1.0,1.1)", (string?)JsonNode.Parse(repo.Config)!["packs"]!["Contoso.GoPolicy"]);
    }

    [Fact]
    public void Scan_restores_the_configured_packs_first_but_only_restore_write_lock_writes_the_lock()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg");
        repo.Config = """{ "packs": { "Contoso.GoPolicy": "1.0.0" } }""";

        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        Assert.Contains(report.Findings, f => f.RuleId == "CTSO001");
        Assert.False(File.Exists(Path.Combine(repo.Root, "gobuildrules.lock.json")), "a scan never writes the lock file");
        Assert.Contains("does not lock Contoso.GoPolicy", scan.Stderr);

        var restore = repo.Run("packs", "restore", "--write-lock");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Contains("changed gobuildrules.lock.json: added Contoso.GoPolicy 1.0.0", restore.Stdout);
        Assert.Equal("1.0.0", (string?)JsonNode.Parse(repo.Lock)!["packs"]![0]!["version"]);
    }

    [Fact]
    public void Offline_scan_with_a_pack_missing_fails_with_a_clear_message()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg");
        repo.Config = """{ "packs": { "Contoso.GoPolicy": "1.0.0" } }""";

        var (scan, report) = repo.Scan("--offline");
        Assert.Equal(2, scan.ExitCode);
        Assert.Null(report);
        Assert.Contains("Contoso.GoPolicy 1.0.0", scan.Stderr);
        Assert.Contains("--offline", scan.Stderr);
        Assert.Contains("packs restore", scan.Stderr);
    }

    [Fact]
    public void Offline_install_uses_the_global_packages_folder()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg");
        Assert.Equal(0, repo.Run("packs", "install", "Contoso.GoPolicy@1.0.0").ExitCode);
        // Same machine (same global packages folder), a fresh pack store, and the feed gone.
        Directory.Delete(repo.Store, recursive: true);
        Directory.Delete(repo.Feed, recursive: true);

        var restore = repo.Run("packs", "restore", "--offline");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        var (_, report) = repo.Scan("--offline");
        Assert.Contains(report!.Findings, f => f.RuleId == "CTSO001");
    }

    [Fact]
    public void A_first_party_pack_pinned_in_the_config_replaces_the_bundled_copy()
    {
        using var repo = new TestRepo(fixture).AddToFeed("GoBuildRules.Rules.Toolchain.0.1.0.nupkg");
        var install = repo.Run("packs", "install", "GoBuildRules.Rules.Toolchain@0.1.0");
        Assert.True(install.ExitCode == 0, install.ToString());

        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        var toolchain = Assert.Single(report.Packs, p => p.Id == "GoBuildRules.Rules.Toolchain");
        Assert.False(toolchain.Bundled);
        Assert.DoesNotContain(report.Notifications, n => n.Level == Core.Engine.NotificationLevel.Error);
    }
}
