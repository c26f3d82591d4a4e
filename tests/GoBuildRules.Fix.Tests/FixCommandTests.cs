using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoBuildRules.Rules.ModCache.Tests;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Fix.Tests;

/// <summary>
/// `gobuildrules fix` end to end: real broken modules in a private Go world (own GOPATH, GOMODCACHE,
/// GOCACHE, GOENV, HOME, GOBUILDRULES_HOME; a file:// GOPROXY, GOSUMDB off), the real built tool, the
/// real go 1.19. Each automatic fix must make the real `go build` succeed, and undo must put back
/// every byte and every `go env` value.
/// </summary>
public sealed class FixCommandTests
{
    private const string Lib = "example.com/lib";
    private const string Lib2 = "example.com/lib2";
    private const string V1 = "v1.0.0";

    /// <summary>The world's environment for the tool and go: default -mod (readonly), a HOME and a tool home of its own.</summary>
    private static GoModuleWorld World()
    {
        var w = new GoModuleWorld();
        w.Env["GOFLAGS"] = null;
        w.Env["HOME"] = Path.Combine(w.Root, "home");
        w.Env["GOBUILDRULES_HOME"] = Path.Combine(w.Root, "gbr-home");
        Directory.CreateDirectory(w.Env["HOME"]!);
        return w;
    }

    /// <summary>Two modules in the cache; lib's .ziphash damaged, lib2's go.sum lines gone: go build fails twice over.</summary>
    private static GoModuleWorld DamagedCacheAndMissingSums()
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

    [Fact]
    public void Damaged_cache_entry_and_missing_go_sum_lines_are_planned_applied_proved_by_go_build_and_undone()
    {
        using var w = DamagedCacheAndMissingSums();
        var before = State(w);

        // The plan changes nothing.
        var plan = Fix(w, "--path", w.App);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("[apply] GBMOD005 example.com/lib@v1.0.0", plan.Stdout);
        Assert.Contains("[apply] GBMOD006 example.com/lib2@v1.0.0", plan.Stdout);
        Assert.Contains("runs in " + w.App + ": go mod download example.com/lib2@v1.0.0", plan.Stdout);
        Assert.Contains("moves aside into the undo journal (not deleted): " + w.Extracted(Lib, V1), plan.Stdout);
        AssertSame(before, State(w));

        var applied = Fix(w, "--path", w.App, "--apply", "--yes", "--format", "json");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var result = JsonNode.Parse(applied.Stdout)!;
        Assert.All(result["applied"]!.AsArray(), f => Assert.Equal("applied", (string?)f!["outcome"]));
        Assert.Equal(2, result["applied"]!.AsArray().Count);
        var gone = result["verification"]!["gone"]!.AsArray().Select(g => (string)g!).ToList();
        Assert.Contains(gone, g => g.StartsWith("GBMOD005 example.com/lib@v1.0.0", StringComparison.Ordinal));
        Assert.Contains(gone, g => g.StartsWith("GBMOD006 example.com/lib2@v1.0.0", StringComparison.Ordinal));
        Assert.Empty(result["verification"]!["notEffective"]!.AsArray());
        Assert.DoesNotContain(result["verification"]!["remaining"]!.AsArray(), r => ((string)r!).StartsWith("GBMOD", StringComparison.Ordinal));
        Assert.Equal(0, (int)result["goBuild"]!["exitCode"]!);

        // The proof does not rest on the tool's word: the real go build passes now, and a new scan is clean of both.
        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode == 0, build.Output);
        var rescan = w.Scan();
        // Live-state rules read other processes of this busy machine, not the module.
        Assert.DoesNotContain(rescan.Findings, f => f.RuleId is "GBMOD005" or "GBMOD006" || (f.Severity == GoBuildRules.Sdk.Severity.Error && !LiveStateRules.Ids.Contains(f.RuleId)));

        var undo = Fix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.Contains("0 refused", undo.Stdout);
        AssertSame(before, State(w));
        Assert.NotEqual(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);

        // Undone once: nothing is left to undo.
        var again = Fix(w, "--undo");
        Assert.Equal(2, again.ExitCode);
        Assert.Single(Lines(again.Stderr));
    }

    [Fact]
    public void Without_a_terminal_and_without_yes_nothing_is_applied_and_the_exit_code_is_2_with_one_line()
    {
        using var w = DamagedCacheAndMissingSums();
        var before = State(w);
        var run = Fix(w, "--path", w.App, "--apply");
        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(Lines(run.Stderr));
        Assert.StartsWith("gobuildrules: error: ", line);
        Assert.Contains("--yes", line);
        Assert.Equal("", run.Stdout);
        AssertSame(before, State(w));
        Assert.False(Directory.Exists(Path.Combine(w.Env["GOBUILDRULES_HOME"]!, "fix")), "a journal was written although nothing was applied");
    }

    [Fact]
    public void Undo_refuses_a_file_changed_after_the_fix_and_restores_the_rest()
    {
        using var w = DamagedCacheAndMissingSums();
        var ziphash = w.DownloadPrefix(Lib, V1) + ".ziphash";
        var damaged = File.ReadAllBytes(ziphash);
        var applied = Fix(w, "--path", w.App, "--apply", "--yes");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.NotEqual(damaged, File.ReadAllBytes(ziphash));

        var sum = Path.Combine(w.App, "go.sum");
        var edited = File.ReadAllText(sum) + "example.com/other v1.0.0/go.mod h1:" + new string('C', 43) + "=\n";
        File.WriteAllText(sum, edited);

        var undo = Fix(w, "--undo");
        Assert.Equal(1, undo.ExitCode);
        Assert.Contains($"refused:  {sum}: changed since the fix", undo.Stdout);
        Assert.Contains(Lines(undo.Stderr), l => l.StartsWith("gobuildrules: warning: not undone: " + sum, StringComparison.Ordinal));
        Assert.Equal(edited, File.ReadAllText(sum));
        Assert.Equal(damaged, File.ReadAllBytes(ziphash));
    }

    [Fact]
    public void Goflags_mod_in_a_workspace_is_fixed_with_go_env_u_and_undo_restores_the_goenv_file_and_every_go_env_value()
    {
        using var w = World();
        var parent = Path.Combine(w.Root, "ws");
        var module = Path.Combine(parent, "svc");
        Directory.CreateDirectory(module);
        File.WriteAllText(Path.Combine(parent, "go.work"), "go 1.19\n\nuse ./svc\n");
        File.WriteAllText(Path.Combine(module, "go.mod"), "module example.com/svc\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(module, "main.go"), "package main\n\nfunc main() {}\n");
        Assert.Equal(0, w.GoIn(module, "env", "-w", "GOFLAGS=-mod=mod").ExitCode);
        var build = w.GoIn(module, "build", "-o", "/dev/null", ".");
        Assert.Contains("-mod may only be set to readonly when in workspace mode", build.Output);
        var before = State(w, module);

        var plan = Fix(w, "--path", module);
        Assert.Contains("[apply] GBMOD015", plan.Stdout);
        Assert.Contains($"go env: GOFLAGS \"-mod=mod\" (from the GOENV file {w.Env["GOENV"]} line 1) -> removed from the GOENV file", plan.Stdout);
        AssertSame(before, State(w, module));

        var applied = Fix(w, "--path", module, "--apply", "--yes");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("go env GOFLAGS: \"-mod=mod\" (EnvFile) -> \"\"", applied.Stdout);
        Assert.Equal(0, w.GoIn(module, "build", "-o", "/dev/null", ".").ExitCode);

        var undo = Fix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        AssertSame(before, State(w, module));
        Assert.Equal("-mod=mod", w.GoIn(module, "env", "GOFLAGS").Stdout.Trim());
    }

    [Fact]
    public void Go_work_without_the_module_is_fixed_with_go_work_use_and_undo_restores_go_work()
    {
        using var w = World();
        var parent = Path.Combine(w.Root, "ws");
        var module = Path.Combine(parent, "svc");
        Directory.CreateDirectory(Path.Combine(parent, "other"));
        Directory.CreateDirectory(module);
        File.WriteAllText(Path.Combine(parent, "go.work"), "go 1.19\n\nuse ./other\n");
        File.WriteAllText(Path.Combine(parent, "other", "go.mod"), "module example.com/other\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(module, "go.mod"), "module example.com/svc\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(module, "main.go"), "package main\n\nfunc main() {}\n");
        Assert.Contains("not one of the workspace modules", w.GoIn(module, "build", "-o", "/dev/null", ".").Output);
        var before = State(w, parent);

        var applied = Fix(w, "--path", module, "--apply", "--yes");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("#1 applied: GBMOD012", applied.Stdout);
        Assert.Contains("+++ b/../go.work", applied.Stdout);
        Assert.Contains("./svc", applied.Stdout);
        Assert.Equal(0, w.GoIn(module, "build", "-o", "/dev/null", ".").ExitCode);

        var undo = Fix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        AssertSame(before, State(w, parent));
        Assert.NotEqual(0, w.GoIn(module, "build", "-o", "/dev/null", ".").ExitCode);
    }

    [Fact]
    public void Inconsistent_vendoring_is_fixed_by_re_vendoring_and_undo_restores_vendor_and_go_sum()
    {
        using var w = World();
        w.Publish(Lib, V1, "package lib\n\nfunc Hello() string { return \"hi\" }\n");
        w.WriteApp((Lib, V1));
        Assert.Equal(0, w.Go("mod", "download", $"{Lib}@{V1}").ExitCode);
        var vendor = w.Go("mod", "vendor");
        Assert.True(vendor.ExitCode == 0, vendor.Output);
        w.Publish(Lib, "v1.1.0", "package lib\n");
        w.WriteApp((Lib, "v1.1.0"));
        Assert.Contains("inconsistent vendoring", w.Go("build", "-o", "/dev/null", ".").Output);
        // The module cache keeps what go mod download added (go's own cache, not the user's files).
        var before = State(w, w.App, includeModCache: false);

        var applied = Fix(w, "--path", w.App, "--apply", "--yes", "--only", "GBMOD010");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("#1 applied: GBMOD010", applied.Stdout);
        Assert.Contains("vendor/: ", applied.Stdout);
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);

        var undo = Fix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        AssertSame(before, State(w, w.App, includeModCache: false));
        Assert.Contains("inconsistent vendoring", w.Go("build", "-o", "/dev/null", ".").Output);
    }

    [Fact]
    public void A_failing_proxy_entry_before_a_working_fallback_is_dropped_with_go_env_w_and_undone()
    {
        using var w = World();
        using var failing = new StatusServer(500);
        w.Publish(Lib, V1, "package lib\n\nfunc Hello() string { return \"hi\" }\n");
        w.WriteApp((Lib, V1));
        // go.sum from a cache of its own: the world's cache stays empty, so the build must fetch.
        var sums = new Dictionary<string, string?>(w.Env) { ["GOMODCACHE"] = Path.Combine(w.Root, "other-cache"), ["GOFLAGS"] = "-mod=mod" };
        Assert.Equal(0, GoToolchain.Run(w.App, sums, TimeSpan.FromSeconds(90), "build", "-o", "/dev/null", ".").ExitCode);
        w.Env["GOPROXY"] = null;
        var list = $"{failing.Url},file://{w.Proxy}";
        Assert.Equal(0, w.Go("env", "-w", "GOPROXY=" + list).ExitCode);
        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode != 0 && build.Output.Contains("500", StringComparison.Ordinal), build.Output);
        var before = State(w, w.App, includeModCache: false);

        var plan = Fix(w, "--path", w.App);
        Assert.Contains("[apply] GBNET003", plan.Stdout);
        Assert.Contains($"go env: GOPROXY \"{list}\" (from the GOENV file {w.Env["GOENV"]} line 1) -> \"file://{w.Proxy}\"", plan.Stdout);

        var applied = Fix(w, "--path", w.App, "--apply", "--yes");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("applied: GBNET003", applied.Stdout);
        Assert.Contains("go build -o /dev/null ./...: ok", applied.Stdout);
        Assert.Equal("file://" + w.Proxy, w.Go("env", "GOPROXY").Stdout.Trim());
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);

        var undo = Fix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        AssertSame(before, State(w, w.App, includeModCache: false));
        Assert.Equal(list, w.Go("env", "GOPROXY").Stdout.Trim());
    }

    private static CliResult Fix(GoModuleWorld w, params string[] args) =>
        Cli.Run(["fix", "--timeout", "30", .. args], w.App, w.Env, TimeSpan.FromSeconds(240));

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Every file of the module folder, the GOENV file and (unless told otherwise) the module cache by
    /// hash, and `go env -json`. GOGCCFLAGS names a fresh temporary folder on every call; GOCACHE is
    /// go's own build cache, which any build fills.
    /// </summary>
    private static SortedDictionary<string, string> State(GoModuleWorld w, string? folder = null, bool includeModCache = true)
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

    private static void AssertSame(SortedDictionary<string, string> expected, SortedDictionary<string, string> actual)
    {
        var differences = expected.Keys.Union(actual.Keys)
            .Where(k => !expected.TryGetValue(k, out var a) || !actual.TryGetValue(k, out var b) || a != b)
            .Select(k => $"{k}: {(expected.TryGetValue(k, out var a) ? a : "(absent)")} -> {(actual.TryGetValue(k, out var b) ? b : "(absent)")}")
            .ToList();
        Assert.True(differences.Count == 0, "changed:\n" + string.Join("\n", differences.Take(20)));
    }
}
