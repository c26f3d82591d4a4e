using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Cgo.Tests;

/// <summary>
/// The real gobuildrules and the real go on a tiny cgo module. Each test has its own GOCACHE,
/// GOPATH and GOENV, no network (GOPROXY=off; the module has no dependencies) and deadlines on
/// every process.
/// </summary>
public sealed class CgoIntegrationTests
{
    private static readonly TimeSpan GoDeadline = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan CliDeadline = TimeSpan.FromSeconds(90);

    private const string GoMod = "module example.com/cgodemo\n\ngo 1.19\n";

    private const string MainGo = """
        package main

        // #cgo CFLAGS: -DANSWER=42
        // int answer(void) { return ANSWER; }
        import "C"

        import "fmt"

        func main() { fmt.Println(C.answer()) }
        """;

    private sealed class Module : IDisposable
    {
        private readonly TempFolder tmp = new("cgo-it");

        public Module(string mainGo = MainGo)
        {
            tmp.Write("m/go.mod", GoMod);
            tmp.Write("m/main.go", mainGo);
            Directory.CreateDirectory(tmp.Combine("cache"));
            Directory.CreateDirectory(tmp.Combine("gopath"));
        }

        public string Dir => tmp.Combine("m");

        public string Combine(string name) => tmp.Combine(name);

        public Dictionary<string, string?> Env(params (string Name, string? Value)[] extra)
        {
            var env = new Dictionary<string, string?>
            {
                ["GOCACHE"] = tmp.Combine("cache"),
                ["GOPATH"] = tmp.Combine("gopath"),
                ["GOENV"] = tmp.Combine("goenv"),
                ["GOFLAGS"] = "-mod=mod",
                ["GOPROXY"] = "off",
                ["GOTOOLCHAIN"] = "local",
                ["GOOS"] = null,
                ["GOARCH"] = null,
                ["CC"] = null,
                ["CXX"] = null,
                ["CGO_ENABLED"] = null,
                ["CGO_CFLAGS_ALLOW"] = null,
            };
            foreach (var (name, value) in extra) env[name] = value;
            return env;
        }

        public void Dispose() => tmp.Dispose();
    }

    private static CliResult Scan(Module m, Dictionary<string, string?> env, params string[] extra) =>
        Cli.Run(["scan", "--offline", "--path", m.Dir, "--format", "json", "--timeout", "30", .. extra], m.Dir, env, CliDeadline);

    private sealed record Reported(string RuleId, string Severity, string Subject, string? File, int? Line);

    private static List<Reported> Findings(CliResult result)
    {
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => new Reported(
            f.GetProperty("ruleId").GetString()!,
            f.GetProperty("severity").GetString()!,
            f.GetProperty("subject").GetString()!,
            f.TryGetProperty("location", out var loc) && loc.ValueKind == JsonValueKind.Object ? loc.GetProperty("file").GetString() : null,
            f.TryGetProperty("location", out var l2) && l2.ValueKind == JsonValueKind.Object && l2.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null)).ToList();
    }

    [Fact]
    public void Missing_cc_with_cgo_on_is_the_gbcgo001_error_exit_1_and_go_build_really_fails()
    {
        using var m = new Module();
        var env = m.Env(("CGO_ENABLED", "1"), ("CC", "/nonexistent/gcc"));

        var scan = Scan(m, env);

        Assert.True(scan.ExitCode == 1, scan.ToString());
        var finding = Assert.Single(Findings(scan), f => f.RuleId == "GBCGO001");
        Assert.Equal(("error", "main.go", (int?)5), (finding.Severity, finding.File, finding.Line));
        Assert.Contains("/nonexistent/gcc", scan.Stdout);

        var build = GoToolchain.Run(m.Dir, env, GoDeadline, "build", "-o", m.Combine("out"), ".");
        Assert.False(build.TimedOut, "go build did not finish in time");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("C compiler \"/nonexistent/gcc\" not found", build.Output);
    }

    [Fact]
    public void Cgo_off_gives_no_gbcgo_finding_and_go_build_shows_the_excluded_files()
    {
        using var m = new Module();
        var env = m.Env(("CGO_ENABLED", "0"), ("CC", "/nonexistent/gcc"));

        var scan = Scan(m, env);

        Assert.True(scan.ExitCode == 0, scan.ToString());
        Assert.DoesNotContain(Findings(scan), f => f.RuleId.StartsWith("GBCGO", StringComparison.Ordinal));

        // What the CGO_ENABLED=0 fix risks, seen for real: the cgo file drops out of the build.
        var build = GoToolchain.Run(m.Dir, env, GoDeadline, "build", "-o", m.Combine("out"), ".");
        Assert.False(build.TimedOut, "go build did not finish in time");
        Assert.Contains("build constraints exclude all Go files", build.Output);
    }

    [Fact]
    public void Snapshot_then_scan_from_gives_the_same_findings_as_the_live_scan()
    {
        using var m = new Module();
        var env = m.Env(("CGO_ENABLED", "1"), ("CC", "/nonexistent/gcc"));
        var file = m.Combine("f.json");

        var live = Scan(m, env);
        var snapshot = Cli.Run(["snapshot", "--offline", "--path", m.Dir, "-o", file, "--timeout", "30"], m.Dir, env, CliDeadline);
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        var replay = Cli.Run(["scan", "--from", file, "--format", "json"], m.Dir, env, CliDeadline);

        Assert.Equal(live.ExitCode, replay.ExitCode);
        var liveSet = Findings(live).Where(f => !LiveStateRules.Ids.Contains(f.RuleId)).Select(f => (f.RuleId, f.Subject)).Order().ToList();
        var replaySet = Findings(replay).Where(f => !LiveStateRules.Ids.Contains(f.RuleId)).Select(f => (f.RuleId, f.Subject)).Order().ToList();
        Assert.Contains(("GBCGO001", "CC"), liveSet);
        Assert.Equal(liveSet, replaySet);
    }

    [Theory]
    [InlineData("#cgo CFLAGS: -DANSWER=42 -fplugin=evil.so", "invalid flag in #cgo CFLAGS: -fplugin=evil.so")]
    [InlineData("#cgo CFLAGS: -DANSWER=42 -D @foo", "invalid flag in #cgo CFLAGS: -D @foo (see https://golang.org/s/invalidflag)")]
    [InlineData("#cgo LDFLAGS: -Wl,--plugin=x.so", "invalid flag in #cgo LDFLAGS: -Wl,--plugin=x.so")]
    [InlineData("#cgo pkg-config: -lsqlite3", "invalid pkg-config package name: -lsqlite3")]
    public void A_refused_cgo_line_is_reported_in_the_words_go_build_uses(string directive, string goMessage)
    {
        using var m = new Module(MainGo.Replace("#cgo CFLAGS: -DANSWER=42", directive));
        var env = m.Env(("CGO_ENABLED", "1"));

        var scan = Scan(m, env);
        var build = GoToolchain.Run(m.Dir, env, GoDeadline, "build", "-o", m.Combine("out"), ".");

        Assert.False(build.TimedOut, "go build did not finish in time");
        Assert.Contains(goMessage, build.Output);
        var finding = Assert.Single(Findings(scan), f => f.RuleId == "GBCGO006");
        Assert.Equal(("main.go", (int?)3), (finding.File, finding.Line));
        Assert.Contains($"fails with '{goMessage}'", scan.Stdout);
        Assert.Equal(1, scan.ExitCode);
    }

    [Fact]
    public void A_relative_include_path_that_looks_like_a_flag_is_accepted_like_go_build_accepts_it()
    {
        // go/build turns "-I -foo" into "-I <package dir>/-foo" before the check, so it passes.
        using var m = new Module(MainGo.Replace("#cgo CFLAGS: -DANSWER=42", "#cgo CFLAGS: -DANSWER=42 -I -foo"));
        var env = m.Env(("CGO_ENABLED", "1"));

        var scan = Scan(m, env);
        var build = GoToolchain.Run(m.Dir, env, GoDeadline, "build", "-o", m.Combine("out"), ".");

        Assert.False(build.TimedOut, "go build did not finish in time");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotContain(Findings(scan), f => f.RuleId.StartsWith("GBCGO", StringComparison.Ordinal));
    }

    [Fact]
    public void Cross_compiling_without_cgo_set_is_gbcgo002_and_go_really_excludes_the_cgo_file()
    {
        using var m = new Module();
        var env = m.Env(("GOARCH", OtherArch()));

        var scan = Scan(m, env);

        var finding = Assert.Single(Findings(scan), f => f.RuleId == "GBCGO002");
        Assert.Equal(("error", "main.go", (int?)5), (finding.Severity, finding.File, finding.Line));
        // go list loads the package without compiling the standard library for the target.
        var list = GoToolchain.Run(m.Dir, env, GoDeadline, "list", ".");
        Assert.False(list.TimedOut, "go list did not finish in time");
        Assert.Contains("build constraints exclude all Go files", list.Output);
    }

    private static string OtherArch() =>
        System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "amd64" : "arm64";

    [Fact]
    public void Cross_compiling_with_the_host_gcc_is_reported_from_its_real_dumpmachine()
    {
        using var m = new Module();
        var env = m.Env(("CGO_ENABLED", "1"), ("GOARCH", OtherArch()), ("CC_FOR_TARGET", "aarch64-linux-gnu-gcc"));

        var scan = Scan(m, env);

        var finding = Assert.Single(Findings(scan), f => f.RuleId == "GBCGO003");
        Assert.Equal("error", finding.Severity);
        Assert.Contains("only make.bash reads it", scan.Stdout);
    }
}
