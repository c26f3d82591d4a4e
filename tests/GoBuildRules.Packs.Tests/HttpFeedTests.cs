using System.Text.Json.Nodes;
using GoBuildRules.Packs.Tests.Infrastructure;

namespace GoBuildRules.Packs.Tests;

/// <summary>A NuGet v3 feed over HTTP on 127.0.0.1 (service index + flat container).</summary>
[Collection(PackFeedCollection.Name)]
public sealed class HttpFeedTests(PackFeedFixture fixture)
{
    [Fact]
    public void Installs_from_a_v3_feed_and_never_downloads_a_cached_package_again()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg", "Contoso.GoPolicy.1.1.0.nupkg");
        using var feed = new V3Feed(repo.Feed);
        repo.UseSources(feed.IndexUrl);

        var install = repo.Run("packs", "install", "Contoso.GoPolicy");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("installed Contoso.GoPolicy 1.1.0", install.Stdout);
        Assert.Equal(1, feed.Downloads);
        Assert.Equal(feed.IndexUrl, (string?)JsonNode.Parse(repo.Lock)!["packs"]![0]!["source"]);

        // Installed: scan and restore use the store.
        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        Assert.Contains(report.Findings, f => f.RuleId == "CTSO001");
        Assert.Equal(0, repo.Run("packs", "restore").ExitCode);

        // A fresh pack store on the same machine: restored from the global packages folder.
        Directory.Delete(repo.Store, recursive: true);
        var restore = repo.Run("packs", "restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(1, feed.Downloads);

        // Another machine: downloaded once more, and the lock's hash matches.
        repo.NewMachine();
        var elsewhere = repo.Run("packs", "restore");
        Assert.True(elsewhere.ExitCode == 0, elsewhere.ToString());
        Assert.Equal(2, feed.Downloads);
    }

    [Fact]
    public void Credentials_from_nuget_config_are_used_and_never_written_anywhere()
    {
        const string password = "s3cret-feed-password";
        using var repo = new TestRepo(fixture).AddToFeed("Contoso.GoPolicy.1.0.0.nupkg");
        using var feed = new V3Feed(repo.Feed, ("ci-bot", password));

        repo.UseSources([feed.IndexUrl], ("ci-bot", "wrong-password"));
        var refused = repo.Run("packs", "install", "Contoso.GoPolicy");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.True(feed.Refused > 0);
        Assert.Equal(0, feed.Downloads);

        repo.UseSources([feed.IndexUrl], ("ci-bot", password));
        var install = repo.Run("packs", "install", "Contoso.GoPolicy");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Equal(1, feed.Downloads);

        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        foreach (var text in new[] { install.Stdout, install.Stderr, refused.Stderr, scan.Stdout, scan.Stderr, repo.Config, repo.Lock, repo.Run("packs", "list").Stdout })
        {
            Assert.DoesNotContain(password, text);
        }

        // "Anywhere": no file the tool or NuGet wrote (repository, pack store, packages folder) holds it; only the user's nuget.config does.
        var written = new[] { repo.Root, repo.Home, repo.GlobalPackages }.Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => f != Path.Combine(repo.Root, "nuget.config"))
            .ToList();
        Assert.NotEmpty(written);
        Assert.DoesNotContain(written, f => File.ReadAllText(f).Contains(password, StringComparison.Ordinal));
    }
}
