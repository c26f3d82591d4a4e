using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Toolchain.Tests;

/// <summary>
/// The go oracle through the real tool and the real go: each setup of issue 10's first table, where
/// `go build ./...` fails, must end as an error finding that carries go's own message and exit 1;
/// and the oracle must never write anything of the user's.
/// </summary>
public sealed class OracleIntegrationTests
{
    private sealed record ReportFinding(string RuleId, string Severity, string Message, string? File, int? Line);

    /// <summary>An environment isolated from this machine's go settings; GOPROXY and GOSUMDB are off (Cli.Run).</summary>
    private static Dictionary<string, string?> Environment(TempFolder t, params (string Name, string? Value)[] set) =>
        GoEnvironment.Isolated(t, ["GOFLAGS", "GO111MODULE", "GOWORK", "GONOSUMDB", "GOPRIVATE", "GOTOOLCHAIN", "GOBUILDRULES_PROBE_BUDGET"],
            [("GOPROXY", "off"), ("GOSUMDB", "off"), .. set]);

    private static (CliResult Result, IReadOnlyList<ReportFinding> Findings) Scan(string folder, Dictionary<string, string?> env)
    {
        var result = Cli.Run(["scan", "--offline", "--path", folder, "--format", "json", "--timeout", "20"], folder, env, TimeSpan.FromSeconds(90));
        using var doc = JsonDocument.Parse(result.Stdout);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f =>
        {
            var location = f.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.Object ? l : (JsonElement?)null;
            return new ReportFinding(
                f.GetProperty("ruleId").GetString()!,
                f.GetProperty("severity").GetString()!,
                f.GetProperty("message").GetString()!,
                location?.GetProperty("file").GetString(),
                location is { } loc && loc.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null);
        }).ToList();
        return (result, findings);
    }

    /// <summary>The line of `go build`'s stderr that names the cause (after a "go: errors parsing" header).</summary>
    private static string Cause(GoToolchain.GoResult build)
    {
        var lines = build.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => !l.StartsWith("go: downloading", StringComparison.Ordinal) && !l.StartsWith("go: errors parsing", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(lines);
        return lines[0].TrimEnd(':');
    }

    /// <summary>Runs the real go build and the real tool on the same setup; both must fail, the tool with go's words.</summary>
    private static ReportFinding AssertSameVerdict(string folder, Dictionary<string, string?> env, string ruleId, string goSays)
    {
        var build = GoToolchain.Run(folder, env, TimeSpan.FromSeconds(60), "build", "./...");
        Assert.False(build.TimedOut);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains(goSays, build.Stderr);
        var cause = Cause(build);

        var (result, findings) = Scan(folder, env);
        Assert.True(result.ExitCode == 1, result.ToString());
        var finding = Assert.Single(findings, f => f.RuleId == ruleId && f.Message.Contains(cause, StringComparison.Ordinal));
        Assert.Equal("error", finding.Severity);
        // Nothing go says is reported twice or left to the fallback.
        Assert.DoesNotContain(findings, f => f.RuleId == "GBGO011");
        return finding;
    }

    /// <summary>
    /// A module requiring the file proxy's module, tidied and with every module downloaded into the
    /// isolated cache (tidy alone leaves out the .info files go build fetches to stamp build info).
    /// Returns the module folder and the environment that filled the cache.
    /// </summary>
    private static (string App, Dictionary<string, string?> Fill) CachedConsumer(TempFolder t)
    {
        var proxy = FileProxy.Build(t);
        var app = FileProxy.Consumer(t);
        var fill = Environment(t, ("GOPROXY", proxy), ("GOFLAGS", "-mod=mod"));
        Assert.Equal(0, GoToolchain.Run(app, fill, TimeSpan.FromSeconds(60), "mod", "tidy").ExitCode);
        Assert.Equal(0, GoToolchain.Run(app, fill, TimeSpan.FromSeconds(60), "mod", "download").ExitCode);
        return (app, fill);
    }

    private static string Module(TempFolder t, string goMod = "module example.com/app\n\ngo 1.19\n")
    {
        t.Write("app/go.mod", goMod);
        t.Write("app/main.go", "package main\n\nfunc main() {}\n");
        return t.Combine("app");
    }

    [Fact]
    public void An_emptied_go_mod_is_an_error_with_gos_message()
    {
        using var t = new TempFolder("oracle");
        var app = Module(t, "");
        var f = AssertSameVerdict(app, Environment(t), "GBGO004", "go: no module declaration in go.mod");
        Assert.Equal("go.mod", f.File);
    }

    [Fact]
    public void GOCACHE_off_is_an_error()
    {
        using var t = new TempFolder("oracle");
        AssertSameVerdict(Module(t), Environment(t, ("GOCACHE", "off")), "GBGO008", "build cache is disabled by GOCACHE=off");
    }

    [Fact]
    public void A_replace_to_a_missing_folder_is_an_error_at_the_replace_line()
    {
        using var t = new TempFolder("oracle");
        var app = Module(t, "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.0.0\n\nreplace example.com/lib => ../lib-fork\n");
        t.Write("app/main.go", "package main\n\nimport \"example.com/lib\"\n\nfunc main() { lib.Hi() }\n");
        var f = AssertSameVerdict(app, Environment(t), "GBGO005", "replacement directory ../lib-fork does not exist");
        Assert.Equal(("go.mod", 7), (f.File, f.Line));
    }

    [Fact]
    public void GOFLAGS_with_a_non_flag_is_an_error()
    {
        using var t = new TempFolder("oracle");
        var f = AssertSameVerdict(Module(t), Environment(t, ("GOFLAGS", "-mod=mod trimpath")), "GBGO007", "go: parsing $GOFLAGS: non-flag \"trimpath\"");
        Assert.Contains("leading dash", f.Message);
    }

    [Fact]
    public void GO111MODULE_off_in_a_module_with_requirements_is_an_error()
    {
        using var t = new TempFolder("oracle");
        var app = Module(t, "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.0.0\n");
        t.Write("app/main.go", "package main\n\nimport \"example.com/lib\"\n\nfunc main() { lib.Hi() }\n");
        AssertSameVerdict(app, Environment(t, ("GO111MODULE", "off")), "GBGO009", "cannot find package \"example.com/lib\" in any of");
    }

    [Fact]
    public void A_go_work_use_of_a_missing_folder_is_an_error_at_the_use_line()
    {
        using var t = new TempFolder("oracle");
        var app = Module(t);
        t.Write("app/go.work", "go 1.19\n\nuse (\n\t.\n\t./tools\n)\n");
        var f = AssertSameVerdict(app, Environment(t), "GBGO006", "tools/go.mod: no such file or directory");
        Assert.Equal(("go.work", 5), (f.File, f.Line));
    }

    [Fact]
    public void A_go_mod_written_for_Go_1_22_is_an_error_at_the_go_line_and_GBNET014_is_quiet()
    {
        using var t = new TempFolder("oracle");
        var app = Module(t, "module example.com/app\n\ngo 1.22.0\n\ntoolchain go1.22.4\n");
        var f = AssertSameVerdict(app, Environment(t), "GBGO004", "invalid go version '1.22.0'");
        Assert.Equal(("go.mod", 3), (f.File, f.Line));
        var (_, findings) = Scan(app, Environment(t));
        Assert.Contains(findings, x => x.RuleId == "GBGO004" && x.Message.Contains("unknown directive: toolchain", StringComparison.Ordinal) && x.Line == 5);
        Assert.DoesNotContain(findings, x => x.RuleId == "GBNET014");
    }

    [Fact]
    public void A_healthy_module_with_its_requirements_in_the_cache_has_no_go_error()
    {
        using var t = new TempFolder("oracle");
        var (app, _) = CachedConsumer(t);
        var env = Environment(t);
        Assert.Equal(0, GoToolchain.Run(app, env, TimeSpan.FromSeconds(60), "build", "./...").ExitCode);

        var (result, findings) = Scan(app, env);
        Assert.DoesNotContain(findings, f => f.RuleId.StartsWith("GBGO", StringComparison.Ordinal));
        Assert.Equal("false", Snapshot(app, env).GetProperty("goOracle").GetProperty("needsDownload").ToString().ToLowerInvariant());
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void A_checksum_mismatch_is_one_go_error_with_its_security_notice_not_one_per_line()
    {
        using var t = new TempFolder("oracle");
        var (app, fill) = CachedConsumer(t);
        var ziphash = Path.Combine(fill["GOMODCACHE"]!, "cache", "download", FileProxy.Module, "@v", FileProxy.Version + ".ziphash");
        File.SetAttributes(ziphash, FileAttributes.Normal);
        File.WriteAllText(ziphash, "h1:" + new string('A', 43) + "=");
        var env = Environment(t);
        var build = GoToolchain.Run(app, env, TimeSpan.FromSeconds(60), "build", "./...");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("checksum mismatch", build.Stderr);
        Assert.Contains("SECURITY ERROR", build.Stderr);

        var (result, findings) = Scan(app, env);
        Assert.Equal(1, result.ExitCode);
        // go's one message, notice included, is one finding; none of its lines is an error of its own.
        var go = Assert.Single(findings, f => f.RuleId == "GBGO011");
        Assert.StartsWith("go says: verifying " + FileProxy.Module + "@" + FileProxy.Version + ": checksum mismatch", go.Message);
        Assert.Contains("SECURITY ERROR", go.Message);
        Assert.EndsWith("For more information, see 'go help module-auth'.", go.Message);
        // The cause is named by the module cache pack, at error level.
        Assert.Contains(findings, f => f.RuleId == "GBMOD005" && f.Severity == "error");
    }

    [Fact]
    public void Modules_missing_from_the_cache_are_a_download_need_an_error_only_with_GOPROXY_off()
    {
        using var t = new TempFolder("oracle");
        var proxy = FileProxy.Build(t);
        var app = FileProxy.Consumer(t);
        var fill = Environment(t, ("GOPROXY", proxy), ("GOFLAGS", "-mod=mod"), ("GOMODCACHE", t.Combine("fill-cache")));
        Assert.Equal(0, GoToolchain.Run(app, fill, TimeSpan.FromSeconds(60), "mod", "tidy").ExitCode);

        // The user's GOPROXY is off: go build cannot fetch, it fails.
        var off = Environment(t);
        var build = GoToolchain.Run(app, off, TimeSpan.FromSeconds(60), "build", "./...");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("module lookup disabled by GOPROXY=off", build.Stderr);
        var (offResult, offFindings) = Scan(app, off);
        var need = Assert.Single(offFindings, f => f.RuleId == "GBGO010");
        Assert.Equal("error", need.Severity);
        Assert.Contains(FileProxy.Module + "@" + FileProxy.Version, need.Message);
        Assert.Equal(1, offResult.ExitCode);

        // With a proxy that serves it, go build downloads and succeeds: a note, not an error.
        var online = Environment(t, ("GOPROXY", proxy));
        var (_, onlineFindings) = Scan(app, online);
        var note = Assert.Single(onlineFindings, f => f.RuleId == "GBGO010");
        Assert.Equal("note", note.Severity);
        Assert.Contains("not breakage", note.Message);
        Assert.Equal(0, GoToolchain.Run(app, online, TimeSpan.FromSeconds(60), "build", "./...").ExitCode);
    }

    [Fact]
    public void The_oracle_writes_nothing_with_GOFLAGS_mod_mod_and_a_missing_go_sum_line()
    {
        using var t = new TempFolder("oracle");
        var (app, _) = CachedConsumer(t);
        var sum = Path.Combine(app, "go.sum");
        File.WriteAllLines(sum, File.ReadAllLines(sum).Where(l => !l.Contains("/go.mod ", StringComparison.Ordinal)));
        var env = Environment(t, ("GOFLAGS", "-mod=mod"));

        // Control: the same go list without the oracle's care rewrites go.sum.
        var control = Copy(app, t.Combine("control"));
        Assert.Equal(0, GoToolchain.Run(control, env, TimeSpan.FromSeconds(60), "list", "-e", "-json", "-deps", "./...").ExitCode);
        Assert.NotEqual(Hash(app), Hash(control));

        var before = Hash(app);
        var snapshot = Snapshot(app, env);
        Assert.Equal(before, Hash(app));
        Assert.True(snapshot.GetProperty("goOracle").GetProperty("ran").GetBoolean());
        Assert.Equal("false", snapshot.GetProperty("goOracle").GetProperty("needsDownload").ToString().ToLowerInvariant());
    }

    [Fact]
    public void The_oracle_writes_nothing_in_workspace_mode_where_go_would_write_go_work_sum()
    {
        using var t = new TempFolder("oracle");
        var proxy = FileProxy.Build(t);
        var app = FileProxy.Consumer(t);
        Assert.Equal(0, GoToolchain.Run(app, Environment(t, ("GOPROXY", proxy), ("GOFLAGS", "-mod=mod")), TimeSpan.FromSeconds(60), "mod", "tidy").ExitCode);
        File.Delete(Path.Combine(app, "go.sum"));
        t.Write("ws/go.work", "go 1.19\n\nuse ../app\n");
        var work = t.Combine("ws");
        var env = Environment(t, ("GOWORK", Path.Combine(work, "go.work")));

        // Control: plain go list in this workspace writes go.work.sum.
        var controlRoot = t.Combine("control");
        Copy(app, Path.Combine(controlRoot, "app"));
        Directory.CreateDirectory(Path.Combine(controlRoot, "ws"));
        File.Copy(Path.Combine(work, "go.work"), Path.Combine(controlRoot, "ws", "go.work"));
        GoToolchain.Run(Path.Combine(controlRoot, "app"), Environment(t, ("GOWORK", Path.Combine(controlRoot, "ws", "go.work"))), TimeSpan.FromSeconds(60), "list", "-e", "-json", "-deps", "./...");
        Assert.True(File.Exists(Path.Combine(controlRoot, "ws", "go.work.sum")), "control: go list did not write go.work.sum, so this test would prove nothing");

        var before = (Hash(app), Hash(work));
        var snapshot = Snapshot(app, env);
        Assert.Equal(before, (Hash(app), Hash(work)));
        Assert.True(snapshot.GetProperty("goOracle").GetProperty("workspaceMode").GetBoolean());
        Assert.Equal(0, snapshot.GetProperty("goOracle").GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public void The_oracle_reads_vendor_and_writes_nothing()
    {
        using var t = new TempFolder("oracle");
        var proxy = FileProxy.Build(t);
        var app = FileProxy.Consumer(t);
        var fill = Environment(t, ("GOPROXY", proxy), ("GOFLAGS", "-mod=mod"));
        Assert.Equal(0, GoToolchain.Run(app, fill, TimeSpan.FromSeconds(60), "mod", "tidy").ExitCode);
        Assert.Equal(0, GoToolchain.Run(app, fill, TimeSpan.FromSeconds(60), "mod", "vendor").ExitCode);
        // An empty module cache: only vendor/ can make this build work offline.
        var env = Environment(t, ("GOMODCACHE", t.Combine("empty-cache")));
        Assert.Equal(0, GoToolchain.Run(app, env, TimeSpan.FromSeconds(60), "build", "./...").ExitCode);

        var before = Hash(app);
        var snapshot = Snapshot(app, env);
        Assert.Equal(before, Hash(app));
        Assert.Equal(0, snapshot.GetProperty("goOracle").GetProperty("errors").GetArrayLength());
    }

    private static JsonElement Snapshot(string folder, Dictionary<string, string?> env)
    {
        var result = Cli.Run(["snapshot", "--offline", "--path", folder, "--timeout", "20"], folder, env, TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, result.ToString());
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.Clone();
    }

    /// <summary>Every file name and content under the folder, so any write shows.</summary>
    private static string Hash(string folder)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            text.Append(Path.GetRelativePath(folder, file)).Append('\0').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))).Append('\n');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return to;
    }
}
