using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// A feed that accepts connections and never answers, or that holds a file that is not a
/// package, gives a clean outcome naming the feed and the request, within its deadlines.
/// </summary>
public sealed class FeedTests
{
    private static Dictionary<string, string?> ShortDeadlines() => new() { ["GOBUILDRULES_FEED_TIMEOUT"] = "2", ["GOBUILDRULES_RESTORE_TIMEOUT"] = "20" };

    private static void UseFeeds(Workspace w, params string[] feeds) =>
        w.Write("mod/nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{w.Combine("home", "nuget")}" /></config>
              <packageSources><clear />{string.Concat(feeds.Select((f, i) => $"<add key=\"feed{i}\" value=\"{f}\" />"))}</packageSources>
            </configuration>
            """);

    public static TheoryData<string> StalledCommands() => ["install", "install pinned", "update", "scan", "restore"];

    [Theory]
    [MemberData(nameof(StalledCommands))]
    public void A_feed_that_never_answers_is_reported_not_waited_for(string command)
    {
        using var w = new Workspace();
        using var tarpit = new Tarpit();
        UseFeeds(w, tarpit.Url + "/v3/index.json");
        if (command is "update" or "scan" or "restore")
        {
            w.Write("mod/gobuildrules.json", "{ \"packs\": { \"Contoso.GoPolicy\": \"[1.0,2.0)\" } }");
        }

        string[] args = command switch
        {
            "install" => ["packs", "install", "Contoso.GoPolicy"],
            "install pinned" => ["packs", "install", "Contoso.GoPolicy@1.0.0"],
            "update" => ["packs", "update"],
            "restore" => ["packs", "restore"],
            _ => ["scan", "--offline", "--timeout", "5"],
        };
        if (command == "scan")
        {
            // --offline would not ask the feed; a scan that restores does.
            args = ["scan", "--timeout", "5"];
        }

        var before = Harness.Hashes(w.Path);
        var r = w.Run(args, ShortDeadlines());
        Harness.AssertCleanError(r, 2, "no answer within 2 s");
        Assert.Contains(tarpit.Url, r.Stderr);
        Harness.AssertUnchanged(before, w.Path, r);
    }

    [Fact]
    public void A_garbage_package_in_a_folder_feed_is_skipped_with_a_warning_naming_it()
    {
        using var w = new Workspace();
        var feed = w.Combine("feed");
        Packages.Make(feed, "GoBuildRules.Rules.Ide", "9.0.0");
        w.Write("feed/Broken.Pack.1.0.0.nupkg", "this is not a zip file");
        w.Write("feed/GoBuildRules.Rules.Ide.9.5.0.nupkg", "PK\u0003\u0004 truncated");
        UseFeeds(w, feed);

        var r = w.Run(["packs", "install", "GoBuildRules.Rules.Ide"], ShortDeadlines());
        Assert.True(r.ExitCode == 0, r.ToString());
        Harness.AssertNoStackTrace(r);
        Assert.Contains("installed GoBuildRules.Rules.Ide 9.0.0", r.Stdout);
        Assert.Contains("Broken.Pack.1.0.0.nupkg", r.Stderr);
        Assert.Contains("GoBuildRules.Rules.Ide.9.5.0.nupkg", r.Stderr);

        var pinned = w.Run(["packs", "install", "GoBuildRules.Rules.Vendor@1.0.0"], ShortDeadlines());
        Harness.AssertNoStackTrace(pinned);
        Assert.Equal(2, pinned.ExitCode);
    }
}
