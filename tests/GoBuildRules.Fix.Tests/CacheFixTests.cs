using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GoBuildRules.Rules.ModCache.Tests;
using GoBuildRules.Tests.Shared;
using static GoBuildRules.Fix.Tests.FixWorld;

namespace GoBuildRules.Fix.Tests;

/// <summary>`fix` on a damaged cache entry and missing go.sum lines: the "done when" case, the prompt, the refusals. Each automatic fix must make the real `go build` succeed; undo must put back every byte and every `go env` value.</summary>
public sealed class CacheFixTests
{
    [Fact]
    public void Damaged_cache_entry_and_missing_go_sum_lines_are_planned_applied_proved_by_go_build_and_undone()
    {
        using var w = DamagedCacheAndMissingSums();
        var before = State(w);

        // Without a terminal and without --yes nothing is applied: exit 2 and one line.
        var unasked = RunFix(w, "--path", w.App, "--apply");
        Assert.Equal(2, unasked.ExitCode);
        var line = Assert.Single(Lines(unasked.Stderr));
        Assert.StartsWith("gobuildrules: error: ", line);
        Assert.Contains("--yes", line);
        Assert.Equal("", unasked.Stdout);
        Assert.False(Directory.Exists(Path.Combine(w.Env["GOBUILDRULES_HOME"]!, "fix")), "a journal was written although nothing was applied");
        AssertSame(before, State(w));

        // The plan changes nothing.
        var plan = RunFix(w, "--path", w.App);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("[apply] GBMOD005 example.com/lib@v1.0.0", plan.Stdout);
        Assert.Contains("[apply] GBMOD006 example.com/lib2@v1.0.0", plan.Stdout);
        Assert.Contains("runs in " + w.App + ": go mod download example.com/lib2@v1.0.0", plan.Stdout);
        Assert.Contains("moves aside into the undo journal (not deleted), if present: " + w.Extracted(Lib, V1), plan.Stdout);
        AssertSame(before, State(w));

        var applied = RunFix(w, "--path", w.App, "--apply", "--yes", "--format", "json");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        var result = JsonNode.Parse(applied.Stdout)!;
        Assert.All(result["applied"]!.AsArray(), f => Assert.Equal("applied", (string?)f!["outcome"]));
        Assert.Equal(2, result["applied"]!.AsArray().Count);
        var gone = result["verification"]!["gone"]!.AsArray().Select(g => (string)g!).ToList();
        Assert.Contains(gone, g => g.StartsWith("GBMOD005 example.com/lib@v1.0.0", StringComparison.Ordinal));
        Assert.Contains(gone, g => g.StartsWith("GBMOD006 example.com/lib2@v1.0.0", StringComparison.Ordinal));
        Assert.Empty(result["verification"]!["notEffective"]!.AsArray());
        Assert.DoesNotContain(result["verification"]!["remaining"]!.AsArray(), r => ((string)r!).StartsWith("GBMOD005", StringComparison.Ordinal) || ((string)r!).StartsWith("GBMOD006", StringComparison.Ordinal));
        Assert.Equal(0, (int)result["goBuild"]!["exitCode"]!);

        // The proof does not rest on the tool's word: the real go build passes now, and a new scan is clean of both.
        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode == 0, build.Output);
        var rescan = w.Scan();
        // Live-state rules read other processes of this busy machine, not the module.
        Assert.DoesNotContain(rescan.Findings, f => f.RuleId is "GBMOD005" or "GBMOD006" || (f.Severity == GoBuildRules.Sdk.Severity.Error && !LiveStateRules.Ids.Contains(f.RuleId)));

        var undo = RunFix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        Assert.Contains("0 refused", undo.Stdout);
        AssertSame(before, State(w));
        Assert.NotEqual(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);

        // Undone once: nothing is left to undo.
        var again = RunFix(w, "--undo");
        Assert.Equal(2, again.ExitCode);
        Assert.Single(Lines(again.Stderr));
    }

    [Fact]
    public async Task On_a_terminal_each_fix_is_asked_for_and_only_the_accepted_one_is_applied()
    {
        using var w = DamagedCacheAndMissingSums();
        var sum = File.ReadAllBytes(Path.Combine(w.App, "go.sum"));

        // script(1) gives the tool a pseudo-terminal; the answers go in through it: no to #1, yes to #2.
        var command = string.Join(' ', new[] { "dotnet", Cli.ToolAssembly, "fix", "--path", w.App, "--apply", "--timeout", "30" }.Select(GoBuildRules.Sdk.Fix.ShellQuote));
        var psi = new System.Diagnostics.ProcessStartInfo("script", ["-qec", command, "/dev/null"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = w.App,
        };
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment[Cli.LoopbackOnlyVariable] = "1";
        foreach (var (k, v) in w.Env)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        using var p = System.Diagnostics.Process.Start(psi)!;
        p.StandardInput.Write("n\ny\n");
        p.StandardInput.Flush();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        var text = (await p.StandardOutput.ReadToEndAsync(deadline.Token)).Replace("\r", "", StringComparison.Ordinal);
        await p.WaitForExitAsync(deadline.Token);

        Assert.Contains("Apply #1 GBMOD006: Record the hashes of example.com/lib2@v1.0.0 in go.sum? [y/N]", text);
        Assert.Contains("Apply #2 GBMOD005: Delete only example.com/lib@v1.0.0 from the module cache and download it again? [y/N]", text);
        Assert.Contains("#1 skipped: GBMOD006", text);
        Assert.Contains("#2 applied: GBMOD005", text);
        Assert.Equal(sum, File.ReadAllBytes(Path.Combine(w.App, "go.sum")));
        // go.sum still lacks lib2's lines, so the proof fails and says so.
        Assert.Equal(1, p.ExitCode);
        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.Contains("missing go.sum entry", build.Output);
        Assert.DoesNotContain("checksum mismatch", build.Output);
    }
}
