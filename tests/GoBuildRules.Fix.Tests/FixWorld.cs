using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GoBuildRules.Rules.ModCache.Tests;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Fix.Tests;

/// <summary>
/// Real broken modules in a private Go world (own GOPATH, GOMODCACHE, GOCACHE, GOENV, HOME,
/// GOBUILDRULES_HOME; a file:// GOPROXY, GOSUMDB off), the real built tool and the real go 1.19,
/// and the state a fix may change (files by hash, the GOENV file, `go env -json`).
/// </summary>
internal static class FixWorld
{
    public const string Lib = "example.com/lib";
    public const string Lib2 = "example.com/lib2";
    public const string V1 = "v1.0.0";

    /// <summary>The world's environment for the tool and go: default -mod (readonly), a HOME and a tool home of its own.</summary>
    public static GoModuleWorld World()
    {
        var w = new GoModuleWorld();
        w.Env["GOFLAGS"] = null;
        w.Env["HOME"] = Path.Combine(w.Root, "home");
        w.Env["GOBUILDRULES_HOME"] = Path.Combine(w.Root, "gbr-home");
        Directory.CreateDirectory(w.Env["HOME"]!);
        return w;
    }

    /// <summary>Two modules in the cache; lib's .ziphash damaged, lib2's go.sum lines gone: go build fails twice over.</summary>
    public static GoModuleWorld DamagedCacheAndMissingSums()
    {
        var w = World();
        w.Publish(Lib, V1, "package lib\n\nfunc Hello() string { return \"hi\" }\n");
        w.Publish(Lib2, V1, "package lib2\n\nfunc Hello() string { return \"hi\" }\n");
        w.WriteApp((Lib, V1), (Lib2, V1));
        var fill = w.Go("build", "-mod=mod", "-o", "/dev/null", ".");
        Assert.True(fill.ExitCode == 0, fill.Output);

        var ziphash = w.DownloadPrefix(Lib, V1) + ".ziphash";
        File.SetUnixFileMode(ziphash, File.GetUnixFileMode(ziphash) | UnixFileMode.UserWrite);
        File.WriteAllText(ziphash, $"h1:{new string('B', 43)}=\n");
        var sum = Path.Combine(w.App, "go.sum");
        File.WriteAllLines(sum, File.ReadAllLines(sum).Where(l => !l.StartsWith(Lib2 + " ", StringComparison.Ordinal)));

        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode != 0, build.Output);
        Assert.Contains("checksum mismatch", build.Output);
        return w;
    }

    public static CliResult RunFix(GoModuleWorld w, params string[] args) =>
        Cli.Run(["fix", "--timeout", "30", .. args], w.App, w.Env, TimeSpan.FromSeconds(240));

    public static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Every file of the module folder, the GOENV file and (unless told otherwise) the module cache by
    /// hash, and `go env -json`. GOGCCFLAGS names a fresh temporary folder on every call; GOCACHE is
    /// go's own build cache, which any build fills.
    /// </summary>
    public static SortedDictionary<string, string> State(GoModuleWorld w, string? folder = null, bool includeModCache = true)
    {
        var state = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Hash(string root)
        {
            if (!Directory.Exists(root)) return;
            foreach (var f in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                using var s = File.OpenRead(f);
                state[f] = Convert.ToHexStringLower(SHA256.HashData(s)) + " " + File.GetUnixFileMode(f);
            }
        }

        Hash(folder ?? w.App);
        if (includeModCache) Hash(w.ModCache);
        var goEnv = w.Env["GOENV"]!;
        state["GOENV file"] = File.Exists(goEnv) ? Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(goEnv))) : "absent";
        var env = JsonNode.Parse(w.GoIn(folder ?? w.App, "env", "-json").Stdout)!.AsObject();
        env.Remove("GOGCCFLAGS");
        state["go env -json"] = env.ToJsonString();
        return state;
    }

    public static void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var differences = expected.Keys.Union(actual.Keys)
            .Where(k => !expected.TryGetValue(k, out var a) || !actual.TryGetValue(k, out var b) || a != b)
            .Select(k => $"{k}: {(expected.TryGetValue(k, out var a) ? a : "(absent)")} -> {(actual.TryGetValue(k, out var b) ? b : "(absent)")}")
            .ToList();
        Assert.True(differences.Count == 0, "changed:\n" + string.Join("\n", differences.Take(20)));
    }
}
