using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GoBuildRules.Rules.ModCache.Tests;
using GoBuildRules.Tests.Shared;
using static GoBuildRules.Fix.Tests.FixWorld;

namespace GoBuildRules.Fix.Tests;

/// <summary>`fix` by go commands that rewrite files (go work use, go mod vendor): backed up first, restored by undo.</summary>
public sealed class WorkspaceFixTests
{
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

        var applied = RunFix(w, "--path", module, "--apply", "--yes");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("#1 applied: GBMOD012", applied.Stdout);
        Assert.Contains("+++ b/../go.work", applied.Stdout);
        Assert.Contains("./svc", applied.Stdout);
        Assert.Equal(0, w.GoIn(module, "build", "-o", "/dev/null", ".").ExitCode);

        var undo = RunFix(w, "--undo");
        Assert.True(undo.ExitCode == 0, undo.ToString());
        AssertSame(before, State(w, parent));
        Assert.NotEqual(0, w.GoIn(module, "build", "-o", "/dev/null", ".").ExitCode);
    }

    [Fact]
    public void Inconsistent_vendoring_is_fixed_by_re_vendoring_and_undo_refuses_a_go_sum_edited_since_and_restores_vendor()
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

        var applied = RunFix(w, "--path", w.App, "--apply", "--yes", "--only", "GBMOD010");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("#1 applied: GBMOD010", applied.Stdout);
        Assert.Contains("vendor/: ", applied.Stdout);
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);

        // The user edits go.sum after the fix: undo leaves that file alone and restores the rest.
        var sum = Path.Combine(w.App, "go.sum");
        var edited = File.ReadAllText(sum) + "example.com/other v1.0.0/go.mod h1:" + new string('C', 43) + "=\n";
        File.WriteAllText(sum, edited);
        var undo = RunFix(w, "--undo");
        Assert.Equal(1, undo.ExitCode);
        Assert.Contains($"refused:  {sum}: changed since the fix", undo.Stdout);
        Assert.Contains(Lines(undo.Stderr), l => l.StartsWith("gobuildrules: warning: not undone: " + sum, StringComparison.Ordinal));
        Assert.Equal(edited, File.ReadAllText(sum));
        var after = State(w, w.App, includeModCache: false);
        Assert.Equal(
            before.Where(kv => kv.Key != sum).Select(kv => kv.Key + " " + kv.Value),
            after.Where(kv => kv.Key != sum).Select(kv => kv.Key + " " + kv.Value));
        Assert.Contains("inconsistent vendoring", w.Go("build", "-o", "/dev/null", ".").Output);
    }
}
