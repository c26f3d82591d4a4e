using System.Diagnostics;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// SIGINT and SIGTERM end the tool within a second whatever it waits on — a `go` that hangs, a
/// FIFO, a template that loops, a feed that never answers — with exit 130 or 143, no process
/// left behind, no partial output and the previous report untouched.
/// </summary>
public sealed class SignalTests
{
    public static TheoryData<string, string> Waits() => new()
    {
        { "TERM", "hanging go" },
        { "INT", "hanging go" },
        { "TERM", "fifo snapshot" },
        { "INT", "fifo config" },
        { "TERM", "slow template" },
        { "INT", "slow template" },
        { "TERM", "stalled feed" },
        { "TERM", "fifo report target" },
    };

    [Theory]
    [MemberData(nameof(Waits))]
    public async Task A_signal_ends_the_wait_cleanly(string signal, string wait)
    {
        using var w = new Workspace();
        using var tarpit = new Tarpit();
        var env = new Dictionary<string, string?>();
        string[] args;
        var started = w.Combine("home", "go-started");
        var go = w.Write("bin/go", $"#!/bin/sh\n# A go that waits on a proxy that never answers.\ntouch '{started}'\nexec sleep 120\n");
        File.SetUnixFileMode(go, (UnixFileMode)0b111_101_101);
        switch (wait)
        {
            case "hanging go":
                env["PATH"] = w.Combine("bin") + ":/usr/bin:/bin";
                args = ["scan", "--offline", "--timeout", "120", "--format", $"json={w.Combine(Workspace.Important)}"];
                break;
            case "fifo snapshot":
                Mkfifo(w.Combine("fifo"));
                // The FIFO is refused before it is opened, so this one ends by itself: still no hang.
                args = ["scan", "--from", w.Combine("fifo"), "--format", $"json={w.Combine(Workspace.Important)}"];
                break;
            case "fifo config":
                Mkfifo(w.Combine("fifo"));
                args = ["scan", "--offline", "--config", w.Combine("fifo")];
                break;
            case "slow template":
                w.Write("slow.scriban", "{{ for i in 1..1000000 }}{{ x = '' | string.pad_left 2000000 }}{{ end }}done");
                args = ["scan", "--from", w.Combine("snapshot.json"), "--template", $"md={w.Combine("slow.scriban")}", "--format", $"md={w.Combine(Workspace.Important)}"];
                break;
            case "stalled feed":
                args = ["packs", "install", "Contoso.GoPolicy", "--source", tarpit.Url + "/v3/index.json"];
                break;
            case "fifo report target":
                Mkfifo(w.Combine("report.fifo"));
                args = ["scan", "--from", w.Combine("snapshot.json"), "--format", $"json={w.Combine(Workspace.Important)}", "--format", $"md={w.Combine("report.fifo")}"];
                break;
            default:
                throw new ArgumentException(wait);
        }

        var before = Harness.Hashes(w.Path);
        using var p = Harness.Start(args, w.Module, w.Environment(env), "", out var mark);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // The signal must find the tool waiting, not still starting up (under load that takes seconds).
        Func<bool> waiting = wait switch
        {
            "hanging go" => () => File.Exists(started),
            "stalled feed" => () => tarpit.Accepted > 0,
            "fifo report target" => () => Directory.EnumerateFiles(w.Path, ".IMPORTANT.json.*.tmp").Any(),
            // Start-up costs under two seconds of CPU; past four the template is rendering.
            "slow template" => () => CpuSeconds(p.Id) > 4,
            _ => () => false,
        };
        var ready = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (!p.HasExited && !waiting() && DateTime.UtcNow < ready)
        {
            await Task.Delay(100);
        }

        var signalled = false;
        if (!p.WaitForExit(TimeSpan.FromSeconds(1)))
        {
            // Still waiting, as it should: now the signal.
            using (var kill = Process.Start("kill", [$"-{signal}", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            signalled = true;
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(15)), $"{wait}: still running after SIG{signal}");
        }

        p.WaitForExit();
        var r = new CliResult(p.ExitCode, await stdout, await stderr, TimeSpan.Zero);
        Harness.AssertNothingLeftBehind(mark, r);
        Harness.AssertNoStackTrace(r);
        Harness.AssertUnchanged(before, w.Path, r);
        if (signalled)
        {
            Assert.True(r.ExitCode == (signal == "TERM" ? 143 : 130), r.ToString());
            Assert.Contains(signal == "TERM" ? "terminated" : "interrupted", r.Stderr);
        }
        else
        {
            Assert.True(r.ExitCode == 2, r.ToString());
        }
    }

    [Fact]
    public async Task Sigterm_kills_the_go_it_started()
    {
        using var w = new Workspace();
        var pids = w.Combine("pids");
        var go = w.Write("bin/go", $"#!/bin/sh\necho $$ >> '{pids}'\nexec sleep 120\n");
        File.SetUnixFileMode(go, (UnixFileMode)0b111_101_101);
        using var p = Harness.Start(["scan", "--offline", "--timeout", "120"], w.Module, w.Environment(new() { ["PATH"] = w.Combine("bin") + ":/usr/bin:/bin" }), "", out var mark);
        var stderr = p.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!File.Exists(pids) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        Assert.True(File.Exists(pids), "the fake go never ran");
        using (var kill = Process.Start("kill", ["-TERM", p.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(15)));
        Assert.Equal(143, p.ExitCode);
        var r = new CliResult(p.ExitCode, "", await stderr, TimeSpan.Zero);
        Harness.AssertNothingLeftBehind(mark, r);
        foreach (var pid in File.ReadAllLines(pids).Select(int.Parse))
        {
            Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), $"go {pid} still runs");
        }
    }

    /// <summary>User plus system CPU time of a process, from /proc/PID/stat (clock ticks of 1/100 s).</summary>
    private static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static void Mkfifo(string path)
    {
        using var p = Process.Start("mkfifo", [path]);
        p.WaitForExit();
    }
}
