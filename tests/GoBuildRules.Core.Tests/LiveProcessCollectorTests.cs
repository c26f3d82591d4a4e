using System.Diagnostics;
using GoBuildRules.Core.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Core.Tests;

public sealed class LiveProcessCollectorTests
{
    [Theory]
    [InlineData("0100007F:1F90", "127.0.0.1:8080")]
    [InlineData("00000000000000000000000001000000:0050", "[::1]:80")]
    [InlineData("0000000000000000FFFF00000100007F:01BB", "127.0.0.1:443")]
    [InlineData("nonsense", "nonsense")]
    public void Socket_endpoints_decode_as_the_kernel_prints_them(string hex, string expected) =>
        Assert.Equal(expected, LiveProcessCollector.Endpoint(hex));

    [Fact]
    public void Proc_locks_tell_holders_from_waiters_and_keep_the_file_id()
    {
        var lines = LiveProcessCollector.ParseLocks(
            "1: FLOCK  ADVISORY  WRITE 4242 fe:01:1234 0 EOF\n1: -> FLOCK  ADVISORY  WRITE 4343 fe:01:1234 0 EOF\n2: POSIX  ADVISORY  READ 77 00:1a:9 0 EOF\n3: OFDLCK ADVISORY  READ -1 00:05:2 0 EOF\ngarbage\n");
        Assert.Equal(4, lines.Count);
        Assert.Equal(new LiveProcessCollector.LockLine(1, false, "FLOCK", "WRITE", 4242, "254:1:1234"), lines[0]);
        Assert.Equal(new LiveProcessCollector.LockLine(1, true, "FLOCK", "WRITE", 4343, "254:1:1234"), lines[1]);
        Assert.Equal("0:26:9", lines[2].FileId);
    }

    [Fact]
    public void A_real_flock_is_mapped_to_its_file_with_holder_and_waiter()
    {
        using var t = new TempFolder("gbr-live");
        var lockFile = t.Write("gomodcache/cache/download/example.com/lib/@v/v1.0.0.lock", "");
        // Started through a shell that exits: the collector leaves out its own children (the scan's subprocesses).
        using var holder = Detached($"flock {lockFile} sleep 60");
        Process? waiter = null;
        try
        {
            WaitFor(() => File.ReadAllText("/proc/locks").Contains($" {holder.Id} "), "the holder never took the lock");
            waiter = Detached($"flock {lockFile} true");
            WaitFor(() => File.ReadAllText("/proc/locks").Contains($"-> FLOCK  ADVISORY  WRITE {waiter.Id} "), "the waiter never queued");

            var facts = new LiveProcessCollector().Collect(new LiveProcessScope([t.Combine("gomodcache")], []), CancellationToken.None);

            Assert.True(facts.Scanned);
            var held = Assert.Single(facts.Locks);
            Assert.Equal(lockFile, held.Path);
            Assert.Equal(holder.Id, held.HolderPid);
            Assert.Equal([waiter.Id], held.WaiterPids);
            Assert.Equal(("FLOCK", "WRITE"), (held.Type, held.Mode));
            var h = facts.Process(holder.Id)!;
            Assert.Equal("flock", h.Name);
            Assert.Equal($"flock {lockFile} sleep 60", h.CommandLine);
            Assert.Contains(lockFile, h.Files);
            // The sleep inherited the locked file: killing the holder alone would not release the lock.
            var child = Assert.Single(facts.Processes, p => p.ParentPid == holder.Id);
            Assert.Equal("sleep 60", child.CommandLine);
            Assert.Equal([holder.Id, child.Pid], facts.KeepingHeld(held));
            Assert.Equal("S", facts.Process(waiter.Id)!.State);
            Assert.Equal([held], facts.WaitedOnBy(waiter.Id));

            // Outside the scope the lock is not ours to report, unless it is a known lock file (a candidate).
            Assert.Empty(new LiveProcessCollector().Collect(new LiveProcessScope([t.Combine("elsewhere")], []), CancellationToken.None).Locks);
            var byCandidate = new LiveProcessCollector().Collect(new LiveProcessScope([], [lockFile]), CancellationToken.None);
            Assert.Equal(holder.Id, Assert.Single(byCandidate.Locks).HolderPid);
        }
        finally
        {
            Stop(holder);
            if (waiter is not null)
            {
                Stop(waiter);
                waiter.Dispose();
            }
        }
    }

    [Fact]
    public void An_exhausted_budget_stops_the_reading_and_says_so()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var facts = new LiveProcessCollector().Collect(new LiveProcessScope([], []), cancelled.Token);
        Assert.True(facts.Scanned);
        Assert.Empty(facts.Processes);
        Assert.Contains(facts.Problems, p => p.Contains("may be incomplete", StringComparison.Ordinal));
    }

    [Fact]
    public void Live_facts_round_trip_through_the_snapshot()
    {
        var snapshot = new Snapshot
        {
            LiveProcesses = new LiveProcessFacts
            {
                Scanned = true,
                Processes = [new LiveProcess(42, "go") { State = "S", Sockets = [new LiveSocket("tcp", "127.0.0.1:5000", "127.0.0.1:8080", "ESTABLISHED")] }],
                Locks = [new FileLockFact("/m/cache/lock", "FLOCK", "WRITE", 42) { WaiterPids = [43], FileId = "254:0:7" }],
            },
        };
        var json = snapshot.ToJson();
        var back = Snapshot.FromJson(json).LiveProcesses;
        Assert.Equal("127.0.0.1:8080", Assert.Single(Assert.Single(back.Processes).Sockets).Remote);
        Assert.Equal([43], Assert.Single(back.Locks).WaiterPids);
        Assert.DoesNotContain("stateText", json, StringComparison.Ordinal);
    }

    private static Process Detached(string command)
    {
        using var sh = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", command + " >/dev/null 2>&1 & echo $!"]) { UseShellExecute = false, RedirectStandardOutput = true })!;
        var pid = int.Parse(sh.StandardOutput.ReadLine()!.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        sh.WaitForExit(10_000);
        return Process.GetProcessById(pid);
    }

    private static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
        }

        p.WaitForExit(10_000);
    }

    private static void WaitFor(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), failure);
            Thread.Sleep(20);
        }
    }
}
