using System.Diagnostics;
using System.Globalization;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Watch.Tests;

/// <summary>Real hangs of real go 1.19: caught, captured, explained, stopped, exit 124, nothing left.</summary>
[Collection("watch")]
public sealed class StallTests
{
    private const string Stall = "3s";

    /// <summary>Where GBR_WRITE_FIXTURES=1 writes the captures (see <see cref="Capture.WriteFixtureIfAsked"/>).</summary>
    private const string Fixtures = "GoBuildRules.Rules.Watch.Tests/fixtures/";

    [Fact]
    public void Go_mod_download_against_a_tarpit_proxy()
    {
        using var tarpit = new Tarpit();
        using var m = new GoModule();
        m.Write("go.mod", "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.0.0\n");
        m.Write("main.go", "package main\n\nimport _ \"example.com/lib\"\n\nfunc main() {}\n");
        m.Environment["GOPROXY"] = tarpit.Url;

        var result = m.Watch("--stall", Stall, "--format", "json", "--", "go", "mod", "download");

        Assert.True(result.ExitCode == 124, result.ToString());
        var capture = Capture.Read(m.DiagnoseFolder());
        var go = capture.Processes.First(p => p.GetProperty("depth").GetInt32() == 0);
        Assert.Equal("go", go.GetProperty("name").GetString());
        var pid = go.GetProperty("pid").GetInt32().ToString(CultureInfo.InvariantCulture);
        // The live facts show the go command's connection to the tarpit.
        Assert.Contains($"127.0.0.1:{tarpit.Port}", File.ReadAllText(Path.Combine(capture.Folder, "processes.txt")));
        capture.WriteFixtureIfAsked(m, Fixtures + "GBRUN001/positive-go-mod-download-tarpit-proxy.json");
        // No test binary, no C compiler: the fallback names the stuck go command, once.
        Assert.Equal(1, capture.Count("GBRUN001"));
        Assert.Equal(0, capture.Count("GBRUN002") + capture.Count("GBRUN003"));
        var stalled = capture.Message("GBRUN001");
        Assert.Contains($"pid {pid}", stalled);
        Assert.Contains($"127.0.0.1:{tarpit.Port}", stalled);
        Assert.Contains("gobuildrules: build stalled for", result.Stderr);
        // The summary names the owner of the cause, the stalled proxy; GBRUN001 is the evidence in the report.
        Assert.StartsWith("GBNET002", result.Stderr.Split("build stalled for ")[1].Split(": ", 2)[1]);
        Assert.Contains("report: diagnose/", result.Stderr);
        Assert.True(capture.Watch.GetProperty("idleSeconds").GetDouble() < 3 + 10, "the stall was caught late");
        capture.AssertNoneLeft();
    }

    [Fact]
    public void Go_build_waiting_for_a_module_lock_held_by_another_process()
    {
        using var m = new GoModule();
        m.Write("go.mod", "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.0.0\n");
        m.Write("main.go", "package main\n\nimport _ \"example.com/lib\"\n\nfunc main() {}\n");
        // The module's go.mod is in the cache already: go needs no proxy to load the graph and goes
        // straight to the zip download, which takes the per-version lock first (modfetch.download).
        var versions = m.Combine("gopath", "pkg", "mod", "cache", "download", "example.com", "lib", "@v");
        m.Write(Path.Combine(versions, "v1.0.0.mod"), "module example.com/lib\n");
        m.Write(Path.Combine(versions, "v1.0.0.info"), "{\"Version\":\"v1.0.0\",\"Time\":\"2024-01-01T00:00:00Z\"}\n");
        var lockFile = Path.Combine(versions, "v1.0.0.lock");
        using var holder = Process.Start(new ProcessStartInfo("flock", [lockFile, "sleep", "120"]) { UseShellExecute = false, WorkingDirectory = m.Root })!;
        try
        {
            WaitUntil(() => File.ReadAllText("/proc/locks").Contains($" {holder.Id} ", StringComparison.Ordinal));
            var result = m.Watch("--stall", Stall, "--format", "json", "--", "go", "build", "-o", m.Combine("app"), ".");

            Assert.True(result.ExitCode == 124, result.ToString());
            var capture = Capture.Read(m.DiagnoseFolder());
            capture.WriteFixtureIfAsked(m, Fixtures + "GBRUN001/positive-go-build-module-lock-held.json");
            Assert.Equal(1, capture.Count("GBRUN001"));
            Assert.Equal(0, capture.Count("GBRUN002") + capture.Count("GBRUN003"));
            var stalled = capture.Message("GBRUN001");
            Assert.Contains("v1.0.0.lock", stalled);
            Assert.Contains($"held by pid {holder.Id}", stalled);
            Assert.StartsWith("GBMOD016", result.Stderr.Split("build stalled for ")[1].Split(": ", 2)[1]);
            Assert.Contains("v1.0.0.lock", File.ReadAllText(Path.Combine(capture.Folder, "processes.txt")));
            capture.AssertNoneLeft();
            Assert.False(holder.HasExited, "watch must not touch a process outside the build's tree");
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }
    }

    [Fact]
    public void Cgo_build_whose_compiler_hangs_and_whose_helper_left_the_session()
    {
        using var m = new GoModule();
        m.Write("main.go", "package main\n\n// int answer(void) { return 42; }\nimport \"C\"\n\nfunc main() { println(C.answer()) }\n");
        var marker = "gbr-watch-setsid-" + Guid.NewGuid().ToString("N")[..8];
        // A wrapper that starts a helper in a session of its own (as a compiler server would) and never returns.
        var cc = m.Write("hangcc.sh", $"#!/bin/sh\nsetsid sh -c 'sleep 120; :' {marker} &\nexec sleep 120\n");
        File.SetUnixFileMode(cc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        m.Environment["CGO_ENABLED"] = "1";
        m.Environment["CC"] = cc;

        var result = m.Watch("--stall", Stall, "--format", "json", "--", "go", "build", "-o", m.Combine("app"), ".");

        Assert.True(result.ExitCode == 124, result.ToString());
        var capture = Capture.Read(m.DiagnoseFolder());
        capture.WriteFixtureIfAsked(
            m,
            Fixtures + "GBRUN003/positive-cc-script-sleeps.json",
            Fixtures + "GBRUN001/negative-cgo-compiler-sleeps.json",
            Fixtures + "GBRUN002/negative-no-test-binary.json",
            "GoBuildRules.Rules.Toolchain.Tests/fixtures/GBGO020/negative-watched-build-stuck-in-cc-is-gbrun003s.json",
            "GoBuildRules.Rules.ModCache.Tests/fixtures/GBMOD008/negative-watched-build-is-the-watch-packs.json");
        Assert.Contains("hangcc.sh", capture.Message("GBRUN003"));
        Assert.Equal(1, capture.Count("GBRUN003"));
        // The compiler is the cause: the generic "stuck in sleep" would say it a second time.
        Assert.Equal(0, capture.Count("GBRUN001"));
        Assert.StartsWith("GBRUN003", result.Stderr.Split("build stalled for ")[1].Split(": ", 2)[1]);
        var helper = capture.Processes.Single(p => p.GetProperty("commandLine").GetString()!.Contains(marker, StringComparison.Ordinal));
        Assert.NotEqual(capture.Watch.GetProperty("rootPid").GetInt32(), helper.GetProperty("processGroup").GetInt32());
        capture.AssertNoneLeft();
        Assert.DoesNotContain(ProcessInfo.All(), p => p.CommandLine.Contains(marker, StringComparison.Ordinal) && p.State != 'Z');
    }

    [Fact]
    public void Go_test_whose_test_deadlocks_names_the_blocked_frame()
    {
        using var m = new GoModule("example.com/dl");
        m.Write("dl_test.go", """
            package dl

            import (
            	"sync"
            	"testing"
            )

            var mu sync.Mutex

            func lockTwice() {
            	mu.Lock()
            	mu.Lock()
            }

            func TestDeadlock(t *testing.T) {
            	lockTwice()
            }
            """);

        var result = m.Watch("--stall", Stall, "--format", "json", "--format", "sarif", "--", "go", "test", "./...");

        Assert.True(result.ExitCode == 124, result.ToString());
        var capture = Capture.Read(m.DiagnoseFolder());
        capture.WriteFixtureIfAsked(
            m,
            Fixtures + "GBRUN002/positive-go-test-mutex-locked-twice.json",
            Fixtures + "GBRUN001/negative-go-test-deadlock.json",
            Fixtures + "GBRUN003/negative-no-compiler.json");
        var deadlock = capture.Message("GBRUN002");
        Assert.Equal(1, capture.Count("GBRUN002"));
        Assert.Equal(0, capture.Count("GBRUN001"));
        Assert.Contains("sync.(*Mutex).Lock", deadlock);
        Assert.Contains("example.com/dl.TestDeadlock", deadlock);
        var test = capture.Processes.Single(p => p.GetProperty("name").GetString() == "dl.test");
        var dump = File.ReadAllText(Path.Combine(capture.Folder, $"goroutines-{test.GetProperty("pid").GetInt32()}.txt"));
        Assert.Contains("sync.(*Mutex).Lock", dump);
        Assert.Contains("GBRUN002", result.Stderr);
        Assert.True(File.Exists(Path.Combine(capture.Folder, "report.sarif")));
        // go test passes the dump on to the log too, as Go's own test timeout would.
        Assert.Contains("SIGQUIT: quit", result.Stdout);
        capture.AssertNoneLeft();
    }

    [Fact]
    public void Timeout_stops_a_build_that_still_makes_progress()
    {
        using var m = new GoModule();
        var result = m.Watch("--stall", "60s", "--timeout", "3s", "--kill-after", "1s", "--format", "json", "--", "sh", "-c", "while :; do echo tick; sleep 0.2; done");
        Assert.True(result.ExitCode == 124, result.ToString());
        Assert.Contains("build timed out after", result.Stderr);
        var capture = Capture.Read(m.DiagnoseFolder());
        Assert.Equal("timedOut", capture.Watch.GetProperty("outcome").GetString());
        Assert.Contains("tick", File.ReadAllText(Path.Combine(capture.Folder, "output-tail.txt")));
        capture.AssertNoneLeft();
    }

    [Fact]
    public void Secrets_in_the_command_line_and_environment_never_reach_the_capture()
    {
        using var m = new GoModule();
        const string ArgSecret = "ghp_argSECRET0123456789abcdef";
        const string EnvSecret = "envSECRET0123456789abcdef";
        m.Environment["GITHUB_TOKEN"] = EnvSecret;
        m.Environment["GOPROXY"] = $"https://user:{EnvSecret}@proxy.example.invalid";

        var result = m.Watch("--stall", "2s", "--format", "json", "--format", "html", "--format", "sarif", "--", "sh", "-c", "sleep 60", "sh", $"--token={ArgSecret}");

        Assert.True(result.ExitCode == 124, result.ToString());
        var folder = m.DiagnoseFolder();
        foreach (var file in Directory.GetFiles(folder))
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(ArgSecret, text);
            Assert.DoesNotContain(EnvSecret, text);
        }

        Assert.DoesNotContain(ArgSecret, result.Stderr);
        Assert.DoesNotContain(EnvSecret, result.Stderr);
        Assert.Contains("REDACTED", File.ReadAllText(Path.Combine(folder, "processes.txt")));
    }

    [Fact]
    public async Task Sigint_stops_the_whole_tree_and_exits_130()
    {
        using var m = new GoModule();
        var marker = "gbr-watch-sigint-" + Guid.NewGuid().ToString("N")[..8];
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, WorkingDirectory = m.Root, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { Cli.ToolAssembly, "watch", "--kill-after", "2s", "--", "sh", "-c", "setsid sh -c 'sleep 120; :' \"$0-a\" & sh -c 'sleep 120; :' \"$0-b\"", marker })
        {
            psi.ArgumentList.Add(a);
        }

        using var watch = Process.Start(psi)!;
        var stderr = watch.StandardError.ReadToEndAsync();
        _ = watch.StandardOutput.ReadToEndAsync();
        try
        {
            WaitUntil(() => ProcessInfo.All().Count(p => p.CommandLine.Contains(marker, StringComparison.Ordinal)) >= 3);
            Assert.Equal(0, Kill(watch.Id, 2));
            Assert.True(watch.WaitForExit(TimeSpan.FromSeconds(30)), "watch did not stop on SIGINT");
            Assert.Equal(130, watch.ExitCode);
            Assert.Contains("interrupted", await stderr);
            Assert.DoesNotContain(ProcessInfo.All(), p => p.CommandLine.Contains(marker, StringComparison.Ordinal) && p.State != 'Z');
        }
        finally
        {
            if (!watch.HasExited) watch.Kill(entireProcessTree: true);
        }
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "the set-up did not happen within 60 s");
            Thread.Sleep(100);
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
