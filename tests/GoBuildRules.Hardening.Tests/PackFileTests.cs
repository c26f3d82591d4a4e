using System.Diagnostics;
using System.Text.Json.Nodes;

namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// gobuildrules.json and gobuildrules.lock.json belong to the user: scans never write them, pack
/// commands edit them under a lock, keep comments and trailing commas, and say what changed.
/// </summary>
public sealed class PackFileTests
{
    private const string CommentedConfig = """
        {
          // The team's packs; see docs/configuration.md.
          "packs": {
            /* pinned for the 2026 audit */
          },
          "suppressions": [
            { "rule": "GBNET002", "justification": "mirror migration, OPS-1234 (Ana)" }, // keep this one
          ],
          "failOn": "error",
        }

        """;

    private static Dictionary<string, string?> Feed(Workspace w) => new() { ["GOBUILDRULES_FEED_TIMEOUT"] = "20" };

    private static void UseFolderFeed(Workspace w, string feed) =>
        w.Write("mod/nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{w.Combine("home", "nuget")}" /></config>
              <packageSources><clear /><add key="feed" value="{feed}" /></packageSources>
            </configuration>
            """);

    [Fact]
    public void Install_and_remove_keep_comments_and_trailing_commas_and_say_what_changed()
    {
        using var w = new Workspace();
        var feed = w.Combine("feed");
        Packages.Make(feed, "GoBuildRules.Rules.Ide", "9.0.0");
        UseFolderFeed(w, feed);
        w.Write("mod/gobuildrules.json", CommentedConfig);

        var install = w.Run(["packs", "install", "GoBuildRules.Rules.Ide@9.0.0"], Feed(w));
        Assert.True(install.ExitCode == 0, install.ToString());
        Harness.AssertNoStackTrace(install);
        Assert.Contains("added GoBuildRules.Rules.Ide 9.0.0 to", install.Stdout);
        Assert.Contains("gobuildrules.lock.json: added GoBuildRules.Rules.Ide 9.0.0", install.Stdout);
        var text = File.ReadAllText(w.Combine("mod", "gobuildrules.json"));
        Assert.Contains("// The team's packs; see docs/configuration.md.", text);
        Assert.Contains("/* pinned for the 2026 audit */", text);
        Assert.Contains("// keep this one", text);
        Assert.Contains("\"failOn\": \"error\",\n}", text);
        Assert.Contains("\"GoBuildRules.Rules.Ide\": \"9.0.0\"", text);

        var again = w.Run(["packs", "install", "GoBuildRules.Rules.Ide@9.0.0"], Feed(w));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("unchanged", again.Stdout);
        Assert.Equal(text, File.ReadAllText(w.Combine("mod", "gobuildrules.json")));

        var remove = w.Run(["packs", "remove", "GoBuildRules.Rules.Ide"]);
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Contains("removed GoBuildRules.Rules.Ide from", remove.Stdout);
        Assert.Equal(CommentedConfig, File.ReadAllText(w.Combine("mod", "gobuildrules.json")));
    }

    [Fact]
    public async Task Three_concurrent_installs_keep_every_entry()
    {
        using var w = new Workspace();
        var feed = w.Combine("feed");
        foreach (var id in Packages.Bundled)
        {
            Packages.Make(feed, id, "9.0.0");
        }

        UseFolderFeed(w, feed);
        w.Write("mod/gobuildrules.json", CommentedConfig);
        var runs = Packages.Bundled.Select(id => Task.Run(() => w.Run(["packs", "install", id + "@9.0.0"], Feed(w)))).ToArray();
        foreach (var r in await Task.WhenAll(runs))
        {
            Assert.True(r.ExitCode == 0, r.ToString());
            Harness.AssertNoStackTrace(r);
        }

        var config = GoBuildRules.Core.Config.TeamConfigFile.Load(w.Combine("mod", "gobuildrules.json"));
        var lockFile = GoBuildRules.Packs.LockFile.Load(w.Combine("mod"));
        foreach (var id in Packages.Bundled)
        {
            Assert.Equal("9.0.0", config.Packs[id]);
            Assert.Equal("9.0.0", lockFile.Find(id)?.Version);
        }

        Assert.Contains("// keep this one", File.ReadAllText(w.Combine("mod", "gobuildrules.json")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Scan_never_writes_the_lock_or_the_config(bool offline)
    {
        using var w = new Workspace();
        var feed = w.Combine("feed");
        Packages.Make(feed, "GoBuildRules.Rules.Ide", "9.0.0");
        Packages.Make(feed, "GoBuildRules.Rules.Ide", "9.1.0");
        UseFolderFeed(w, feed);
        w.Write("mod/gobuildrules.json", CommentedConfig);
        Assert.Equal(0, w.Run(["packs", "install", "GoBuildRules.Rules.Ide@9.0.0"], Feed(w)).ExitCode);
        Assert.Equal(0, w.Run(["packs", "install", "GoBuildRules.Rules.Ide@9.1.0"], Feed(w)).ExitCode);
        // The lock now disagrees with the config (9.0.0 locked, 9.1.0 asked) and names a pack that does not exist.
        var lockNode = JsonNode.Parse(File.ReadAllText(w.Combine("mod", "gobuildrules.lock.json")))!;
        lockNode["packs"]![0]!["version"] = "9.0.0";
        lockNode["packs"]!.AsArray().Add(JsonNode.Parse("""{ "id": "Bogus.Pack", "version": "1.0.0", "sha512": "AAAA", "dependencies": [] }"""));
        File.WriteAllText(w.Combine("mod", "gobuildrules.lock.json"), lockNode.ToJsonString());

        var before = Harness.Hashes(w.Path);
        var args = new List<string> { "scan", "--timeout", "20", "--format", "json" };
        if (offline) args.Add("--offline");
        var r = w.Run([.. args], Feed(w));
        Harness.AssertNoStackTrace(r);
        Assert.True(r.ExitCode is 0 or 1, r.ToString());
        Assert.Contains("no longer allows", r.Stderr);
        Harness.AssertUnchanged(before, w.Path, r);
    }

    [Fact]
    public void A_read_only_checkout_scans_normally()
    {
        using var w = new Workspace();
        // A checkout the scanning user cannot write: owned by root, scanned as nobody.
        var repo = Directory.CreateTempSubdirectory("gbr-ro-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(repo, "go.mod"), "module example.com/ro\n\ngo 1.19\n");
            File.WriteAllText(Path.Combine(repo, "gobuildrules.json"), CommentedConfig);
            File.WriteAllText(Path.Combine(repo, "gobuildrules.lock.json"), "{ \"version\": 1, \"packs\": [] }\n");
            var home = Directory.CreateTempSubdirectory("gbr-ro-home-").FullName;
            File.SetUnixFileMode(home, (UnixFileMode)0b111_111_111);
            File.SetUnixFileMode(repo, (UnixFileMode)0b111_101_101);
            foreach (var f in Directory.GetFiles(repo))
            {
                File.SetUnixFileMode(f, (UnixFileMode)0b110_100_100);
            }

            var before = Harness.Hashes(repo);
            var asNobody = Environment.UserName == "root";
            var args = new List<string> { "scan", "--path", repo, "--offline", "--timeout", "20", "--format", "json" };
            var r = asNobody
                ? RunAsNobody(args, repo, home)
                : Harness.Run(args, repo, new Dictionary<string, string?> { ["HOME"] = home, ["GOBUILDRULES_HOME"] = Path.Combine(home, "store") });
            Assert.True(r.ExitCode is 0 or 1, r.ToString());
            Harness.AssertNoStackTrace(r);
            Assert.Contains("\"findings\"", r.Stdout);
            Harness.AssertUnchanged(before, repo, r);
            Directory.Delete(home, recursive: true);
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }

    private static GoBuildRules.Tests.Shared.CliResult RunAsNobody(IReadOnlyList<string> args, string cwd, string home)
    {
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = cwd };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "--", Harness.DotnetHost, GoBuildRules.Tests.Shared.Cli.ToolAssembly }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = home;
        psi.Environment["GOBUILDRULES_HOME"] = Path.Combine(home, "store");
        psi.Environment["GOCACHE"] = Path.Combine(home, "gocache");
        psi.Environment["GOPATH"] = Path.Combine(home, "go");
        psi.Environment["GOPROXY"] = "off";
        psi.Environment["GOSUMDB"] = "off";
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(Harness.Timeout), "the read-only scan did not finish");
        p.WaitForExit();
        return new GoBuildRules.Tests.Shared.CliResult(p.ExitCode, stdout.Result, stderr.Result, TimeSpan.Zero);
    }
}
