using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GoBuildRules.Rules.ModCache.Tests;
using GoBuildRules.Tests.Shared;
using static GoBuildRules.Fix.Tests.FixWorld;

namespace GoBuildRules.Fix.Tests;

/// <summary>`fix` through `go env -w`/`-u`: undo restores the GOENV file byte for byte and every `go env` value.</summary>
public sealed class SettingFixTests
{
    [Fact]
    public void Goflags_mod_in_a_workspace_is_fixed_with_go_env_u_and_undo_restores_the_goenv_file_and_every_go_env_value()
    {
        using var w = World();
        var module = GoWorkspaces.WithOneModule(w.Root);
        Assert.Equal(0, w.GoIn(module, "env", "-w", "GOFLAGS=-mod=mod").ExitCode);
        var build = w.GoIn(module, "build", "-o", "/dev/null", ".");
        Assert.Contains("-mod may only be set to readonly when in workspace mode", build.Output);
        var before = State(w, module);

        var plan = RunFix(w, "--path", module);
        Assert.Contains("[apply] GBMOD015", plan.Stdout);
        Assert.Contains($"go env: GOFLAGS \"-mod=mod\" (from the GOENV file {w.Env["GOENV"]} line 1) -> removed from the GOENV file", plan.Stdout);
        AssertSame(before, State(w, module));

        var applied = RunFix(w, "--path", module, "--apply", "--yes");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("go env GOFLAGS: \"-mod=mod\" (EnvFile) -> \"\"", applied.Stdout);
        Assert.Equal(0, w.GoIn(module, "build", "-o", "/dev/null", ".").ExitCode);

        var undo = RunFix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        AssertSame(before, State(w, module));
        Assert.Equal("-mod=mod", w.GoIn(module, "env", "GOFLAGS").Stdout.Trim());
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

        var plan = RunFix(w, "--path", w.App);
        Assert.Contains("[apply] GBNET003", plan.Stdout);
        Assert.Contains($"go env: GOPROXY \"{list}\" (from the GOENV file {w.Env["GOENV"]} line 1) -> \"file://{w.Proxy}\"", plan.Stdout);

        var applied = RunFix(w, "--path", w.App, "--apply", "--yes");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("applied: GBNET003", applied.Stdout);
        Assert.Contains("go build -o /dev/null ./...: ok", applied.Stdout);
        Assert.Equal("file://" + w.Proxy, w.Go("env", "GOPROXY").Stdout.Trim());
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);

        var undo = RunFix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        AssertSame(before, State(w, w.App, includeModCache: false));
        Assert.Equal(list, w.Go("env", "GOPROXY").Stdout.Trim());
    }
}
