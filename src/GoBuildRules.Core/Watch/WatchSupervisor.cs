using System.Runtime.InteropServices;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Watch;

/// <param name="Command">The program and its arguments, as given after `--`.</param>
public sealed record WatchOptions(IReadOnlyList<string> Command)
{
    public TimeSpan Stall { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan? Timeout { get; init; }

    public TimeSpan KillAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the tree is sampled: an eighth of the stall limit, between 0.1 and 1 s.</summary>
    public TimeSpan SampleInterval => TimeSpan.FromMilliseconds(Math.Clamp(Stall.TotalMilliseconds / 8, 100, 1000));
}

public enum WatchEnd
{
    /// <summary>The command ended by itself; <see cref="WatchResult.ExitCode"/> is its code.</summary>
    Exited,
    Stalled,
    TimedOut,
    Interrupted,
    NotFound,
    NotExecutable,
}

/// <summary>The moment a stall or the timeout was detected, before anything is signalled.</summary>
public sealed record WatchStall(WatchOutcome Outcome, int RootPid, TimeSpan Idle, TimeSpan Elapsed, string LastProgress, IReadOnlyList<TreeProcess> Tree);

/// <summary>The raw goroutine dump one Go process printed on SIGQUIT.</summary>
public sealed record GoroutineCapture(int Pid, string Name, string Text);

public sealed record WatchResult(WatchEnd End)
{
    /// <summary>The command's exit code when it ended by itself (128 + N when killed by signal N, as a shell says).</summary>
    public int? ExitCode { get; init; }

    public TimeSpan Elapsed { get; init; }

    public WatchStall? Stall { get; init; }

    /// <summary>Dumps of the Go processes, deepest first; empty when the output went to a terminal.</summary>
    public IReadOnlyList<GoroutineCapture> Dumps { get; init; } = [];

    /// <summary>Go processes that were sent SIGQUIT (whether or not their dump could be kept).</summary>
    public IReadOnlyList<int> Quit { get; init; } = [];

    /// <summary>Whether stdout/stderr went through watch (not a terminal), so output and dumps could be kept.</summary>
    public bool OutputCaptured { get; init; }

    /// <summary>The last lines of the command's output, when captured.</summary>
    public IReadOnlyList<string> OutputTail { get; init; } = [];

    /// <summary>Processes of the tree still alive after SIGKILL (should never happen; reported if it does).</summary>
    public IReadOnlyList<int> Survivors { get; init; } = [];

    /// <summary>Why the command could not be started (NotFound, NotExecutable).</summary>
    public string? StartError { get; init; }
}

/// <summary>watch itself cannot work here (not Linux, spawn set-up failed): exit 125.</summary>
public sealed class WatchException(string message) : Exception(message);

/// <summary>
/// Runs a command in a process group of its own, passes its terminal or output through untouched,
/// detects a stall of its whole process tree, lets the caller capture evidence while the tree is
/// still stuck, then takes the goroutine dumps and stops every process of the tree.
/// </summary>
public sealed class WatchSupervisor
{
    private const int TailLines = 50;
    private static readonly TimeSpan PerDump = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AllDumps = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan DumpSettle = TimeSpan.FromMilliseconds(400);

    public async Task<WatchResult> RunAsync(WatchOptions options, Func<WatchStall, CancellationToken, Task>? onStall, CancellationToken interrupt)
    {
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/proc/self"))
        {
            throw new WatchException("watch needs Linux and /proc to follow the build's processes");
        }

        if (options.Command.Count == 0)
        {
            throw new WatchException("no command to run: give it after --, e.g. gobuildrules watch -- go build ./...");
        }

        // Orphans of the build (a daemonised helper, children of a killed parent) come to us instead
        // of init, so that they stay in the tree and are stopped with it.
        Native.BecomeSubreaper();
        var tee = new OutputTee();
        var (dup2, parentEnds, pumps) = PlanOutput();
        var started = DateTimeOffset.UtcNow;
        int rc, pid;
        try
        {
            rc = Native.Spawn(options.Command[0], options.Command, dup2, out pid);
        }
        finally
        {
            foreach (var fd in parentEnds)
            {
                Native.Close(fd);
            }
        }

        if (rc != 0)
        {
            foreach (var (readFd, _) in pumps)
            {
                Native.Close(readFd);
            }

            return rc switch
            {
                Native.ENOENT => new WatchResult(WatchEnd.NotFound) { StartError = $"{options.Command[0]}: command not found" },
                Native.EACCES or Native.ENOEXEC or Native.EISDIR => new WatchResult(WatchEnd.NotExecutable) { StartError = $"{options.Command[0]}: not executable ({Marshal.GetPInvokeErrorMessage(rc)})" },
                _ => throw new WatchException($"cannot start {options.Command[0]}: {Marshal.GetPInvokeErrorMessage(rc)}"),
            };
        }

        foreach (var (readFd, target) in pumps)
        {
            tee.Pump(readFd, target);
        }

        var exited = WaitForExit(pid);
        var self = Environment.ProcessId;
        var everSeen = new HashSet<int>();
        var monitor = new ActivityMonitor(started);
        IReadOnlyList<TreeProcess> tree = [];
        WatchOutcome? outcome = null;
        var interrupted = false;
        while (true)
        {
            try
            {
                await Task.WhenAny(exited, Task.Delay(options.SampleInterval, interrupt)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            if (exited.IsCompleted)
            {
                break;
            }

            if (interrupt.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }

            var now = DateTimeOffset.UtcNow;
            tree = ProcessTree.Sample(pid, self, everSeen);
            everSeen.UnionWith(tree.Select(p => p.Pid).Where(p => p != pid));
            monitor.Observe(tree, now);
            if (options.Timeout is { } limit && now - started >= limit)
            {
                outcome = WatchOutcome.TimedOut;
                break;
            }

            if (monitor.Idle(now) >= options.Stall)
            {
                outcome = WatchOutcome.Stalled;
                break;
            }
        }

        if (exited.IsCompleted)
        {
            tee.Drain(TimeSpan.FromSeconds(2));
            return new WatchResult(WatchEnd.Exited)
            {
                ExitCode = ExitCodeOf(await exited.ConfigureAwait(false)),
                Elapsed = DateTimeOffset.UtcNow - started,
                OutputCaptured = pumps.Count > 0,
            };
        }

        if (interrupted)
        {
            // What the terminal would have sent the build, had it been in the foreground group; then
            // the same stop as for a stall.
            Signal(pid, self, everSeen, Native.SIGINT);
            await WaitForEmptyAsync(pid, self, everSeen, TimeSpan.FromSeconds(1), exited).ConfigureAwait(false);
            var survivors = await StopAsync(pid, self, everSeen, Native.SIGTERM, options.KillAfter, exited).ConfigureAwait(false);
            tee.Drain(TimeSpan.FromSeconds(1));
            return new WatchResult(WatchEnd.Interrupted) { Elapsed = DateTimeOffset.UtcNow - started, Survivors = survivors, OutputCaptured = pumps.Count > 0 };
        }

        var at = DateTimeOffset.UtcNow;
        var stall = new WatchStall(outcome!.Value, pid, monitor.Idle(at), at - started, monitor.LastProgressKind, tree);
        if (onStall is not null)
        {
            try
            {
                await onStall(stall, interrupt).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Whatever went wrong with the evidence, the build must not outlive watch.
                await StopAsync(pid, self, everSeen, Native.SIGTERM, options.KillAfter, exited).ConfigureAwait(false);
                throw;
            }
        }

        tee.BeginCapture();
        var (quit, windows) = await TakeDumpsAsync(pid, self, everSeen, tee, pumps.Count > 0).ConfigureAwait(false);
        var left = await StopAsync(pid, self, everSeen, Native.SIGTERM, options.KillAfter, exited).ConfigureAwait(false);
        tee.Drain(TimeSpan.FromSeconds(1));
        var dumps = pumps.Count > 0 ? SplitDumps(tee.EndCapture(), quit, windows) : [];
        return new WatchResult(outcome == WatchOutcome.Stalled ? WatchEnd.Stalled : WatchEnd.TimedOut)
        {
            Elapsed = DateTimeOffset.UtcNow - started,
            Stall = stall,
            Dumps = dumps,
            Quit = quit.Select(q => q.Pid).ToList(),
            OutputCaptured = pumps.Count > 0,
            OutputTail = pumps.Count > 0 ? tee.Tail(TailLines).Select(Secrets.Redact).ToList() : [],
            Survivors = left,
        };
    }

    /// <summary>
    /// A terminal is inherited as is. A stream that is not a terminal (a CI log pipe, a file) goes
    /// through a pipe of ours so that its tail and the goroutine dumps can be kept; when stdout and
    /// stderr are the same file (2>&amp;1) they share one pipe, so their interleaving is kept too.
    /// </summary>
    private static (List<(int, int)> Dup2, List<int> ParentEnds, List<(int Read, Stream Target)> Pumps) PlanOutput()
    {
        var dup2 = new List<(int, int)>();
        var parentEnds = new List<int>();
        var pumps = new List<(int, Stream)>();
        var outTty = Native.IsATty(1) == 1;
        var errTty = Native.IsATty(2) == 1;
        var outTarget = FdTarget(1);
        var errTarget = FdTarget(2);
        if (outTarget is null || errTarget is null)
        {
            // A closed stdout or stderr: leave it so; the command sees what it would have seen.
            return (dup2, parentEnds, pumps);
        }

        if (!outTty && !errTty && outTarget == errTarget)
        {
            var (r, w) = Native.Pipe();
            dup2.Add((w, 1));
            dup2.Add((w, 2));
            parentEnds.Add(w);
            pumps.Add((r, Console.OpenStandardOutput()));
            return (dup2, parentEnds, pumps);
        }

        if (!outTty)
        {
            var (r, w) = Native.Pipe();
            dup2.Add((w, 1));
            parentEnds.Add(w);
            pumps.Add((r, Console.OpenStandardOutput()));
        }

        if (!errTty)
        {
            var (r, w) = Native.Pipe();
            dup2.Add((w, 2));
            parentEnds.Add(w);
            pumps.Add((r, Console.OpenStandardError()));
        }

        return (dup2, parentEnds, pumps);
    }

    private static string? FdTarget(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>waitpid on a thread of its own: only this child is reaped, never the runtime's.</summary>
    private static Task<int> WaitForExit(int pid)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            while (true)
            {
                var r = Native.WaitPid(pid, out var status, 0);
                if (r == pid)
                {
                    done.SetResult(status);
                    return;
                }

                if (r < 0 && Marshal.GetLastPInvokeError() != Native.EINTR)
                {
                    done.SetResult(-1);
                    return;
                }
            }
        }) { IsBackground = true, Name = "watch waitpid" };
        thread.Start();
        return done.Task;
    }

    /// <summary>A wait status as a shell reports it: the exit code, or 128 + the signal.</summary>
    private static int ExitCodeOf(int status)
    {
        if (status < 0)
        {
            return 125;
        }

        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    /// <summary>
    /// SIGQUIT to every Go process of the tree, deepest first (a test binary before the `go test` that
    /// collects its output), each given a few seconds to print and exit. The go command itself ignores
    /// SIGQUIT while it runs children (cmd/go/internal/base/signal_unix.go), so it rarely dumps.
    /// </summary>
    /// <returns>The processes signalled, and per process the byte range of the capture its dump arrived in.</returns>
    private static async Task<(IReadOnlyList<(int Pid, string Name, bool Exited)> Quit, IReadOnlyList<(int Pid, int Start, int End)> Windows)> TakeDumpsAsync(int root, int self, HashSet<int> everSeen, OutputTee tee, bool captured)
    {
        var tree = ProcessTree.Sample(root, self, everSeen);
        var depth = Depths(tree, root);
        var goProcesses = tree
            .Where(p => p.State is not ('Z' or 'X') && GoBinary.IsGo($"/proc/{p.Pid}/exe"))
            .OrderByDescending(p => depth.GetValueOrDefault(p.Pid))
            .ThenByDescending(p => p.Pid)
            .ToList();
        var quit = new List<(int, string, bool)>();
        var windows = new List<(int, int, int)>();
        var budget = DateTimeOffset.UtcNow + AllDumps;
        foreach (var p in goProcesses)
        {
            if (DateTimeOffset.UtcNow >= budget)
            {
                break;
            }

            var name = ReadComm(p.Pid) ?? "";
            var start = tee.Mark();
            // A stopped process prints nothing until it is continued.
            Native.Kill(p.Pid, Native.SIGCONT);
            if (Native.Kill(p.Pid, Native.SIGQUIT) != 0)
            {
                continue;
            }

            var until = DateTimeOffset.UtcNow + PerDump;
            while (DateTimeOffset.UtcNow < until && IsAlive(p.Pid, p.StartTicks))
            {
                await Task.Delay(50).ConfigureAwait(false);
            }

            // One that is still alive handles SIGQUIT (the go command does while it runs children): no dump.
            quit.Add((p.Pid, name, !IsAlive(p.Pid, p.StartTicks)));

            if (!captured)
            {
                continue;
            }

            // A test binary's dump reaches us through `go test`, which prints it once the binary has
            // exited: wait until the output has been quiet for a moment.
            var settleUntil = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(2);
            while (DateTimeOffset.UtcNow < settleUntil && DateTimeOffset.UtcNow - tee.LastWrite < DumpSettle)
            {
                await Task.Delay(50).ConfigureAwait(false);
            }

            windows.Add((p.Pid, start, tee.Mark()));
        }

        return (quit, windows);
    }

    /// <summary>
    /// Cuts the captured output into one dump per process: its own window when the dump arrived in
    /// it; a dump that arrived only later (the go command prints a child's output once every holder
    /// of the child's pipe has exited, e.g. cgo waiting on a hung compiler) goes to the one signalled
    /// process still without a dump, if there is exactly one.
    /// </summary>
    private static IReadOnlyList<GoroutineCapture> SplitDumps(byte[] captured, IReadOnlyList<(int Pid, string Name, bool Exited)> quit, IReadOnlyList<(int Pid, int Start, int End)> windows)
    {
        var dumps = new List<GoroutineCapture>();
        string Text(int start, int end) => System.Text.Encoding.UTF8.GetString(captured, start, Math.Max(0, Math.Min(end, captured.Length) - start));
        foreach (var (pid, start, end) in windows)
        {
            var text = Text(start, end);
            if (!text.Contains("goroutine ", StringComparison.Ordinal))
            {
                continue;
            }

            // The go command relays a child's output ("# runtime/cgo" and the child's dump) once the
            // child is gone: in the go command's window it is the dump of an earlier process still
            // without one.
            var owner = quit.First(q => q.Pid == pid);
            var relayed = owner.Name == "go"
                ? quit.TakeWhile(q => q.Pid != pid).LastOrDefault(q => q.Exited && dumps.All(d => d.Pid != q.Pid))
                : default;
            dumps.Add(relayed.Pid != 0 ? new GoroutineCapture(relayed.Pid, relayed.Name, text) : new GoroutineCapture(pid, owner.Name, text));
        }

        var lateStart = windows.Count == 0 ? 0 : windows.Max(w => w.End);
        var late = Text(lateStart, captured.Length);
        var missing = quit.Where(q => q.Exited && dumps.All(d => d.Pid != q.Pid)).ToList();
        if (missing.Count == 1 && late.Split("SIGQUIT: quit").Length == 2)
        {
            dumps.Add(new GoroutineCapture(missing[0].Pid, missing[0].Name, late));
        }

        return dumps;
    }

    /// <summary>
    /// Sends <paramref name="first"/> to the tree leaves first, level by level, so that a parent sees
    /// its child fail and says so in the log (the go command prints a child's output, a dump included,
    /// only once the child and everything holding its pipe have exited); then to the group. Waits up to
    /// <paramref name="killAfter"/>, then SIGKILLs what is left, until the tree is empty.
    /// </summary>
    private static async Task<IReadOnlyList<int>> StopAsync(int root, int self, HashSet<int> everSeen, int first, TimeSpan killAfter, Task<int> rootExited)
    {
        var tree = Alive(root, self, everSeen);
        var depth = Depths(tree, root);
        foreach (var level in tree.GroupBy(p => depth.GetValueOrDefault(p.Pid)).OrderByDescending(g => g.Key))
        {
            foreach (var p in level)
            {
                Native.Kill(p.Pid, first);
                // A stopped process acts on the signal only once continued.
                Native.Kill(p.Pid, Native.SIGCONT);
            }

            await Task.Delay(level.Key == 0 ? 0 : 150).ConfigureAwait(false);
        }

        Signal(root, self, everSeen, first);
        if (await WaitForEmptyAsync(root, self, everSeen, killAfter, rootExited).ConfigureAwait(false))
        {
            return [];
        }

        Signal(root, self, everSeen, Native.SIGKILL);
        if (await WaitForEmptyAsync(root, self, everSeen, TimeSpan.FromSeconds(5), rootExited).ConfigureAwait(false))
        {
            return [];
        }

        return Alive(root, self, everSeen).Select(p => p.Pid).ToList();
    }

    private static void Signal(int root, int self, HashSet<int> everSeen, int signal)
    {
        // The tree first: once the group is signalled, a parent may die and its orphans leave the chain.
        var alive = Alive(root, self, everSeen);
        Native.Kill(-root, signal);
        foreach (var p in alive)
        {
            Native.Kill(p.Pid, signal);
            if (signal != Native.SIGKILL)
            {
                Native.Kill(p.Pid, Native.SIGCONT);
            }
        }

        if (signal != Native.SIGKILL)
        {
            Native.Kill(-root, Native.SIGCONT);
        }
    }

    private static async Task<bool> WaitForEmptyAsync(int root, int self, HashSet<int> everSeen, TimeSpan within, Task<int> rootExited)
    {
        var until = DateTimeOffset.UtcNow + within;
        while (true)
        {
            ReapAdopted(self, everSeen);
            var alive = Alive(root, self, everSeen);
            if (alive.Count == 0 && rootExited.IsCompleted)
            {
                return true;
            }

            if (DateTimeOffset.UtcNow >= until)
            {
                return false;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The live processes to stop: the tree, and every other child of watch (an orphan of the build
    /// not seen yet). Only the tree's are remembered, hence reaped by us: a child of the runtime's own
    /// (a collector's subprocess) is the runtime's to reap, and reaping it would make the runtime fail.
    /// </summary>
    private static List<TreeProcess> Alive(int root, int self, HashSet<int> everSeen)
    {
        foreach (var p in ProcessTree.Sample(root, self, everSeen))
        {
            if (p.Pid != root)
            {
                everSeen.Add(p.Pid);
            }
        }

        return ProcessTree.Sample(root, self, everSeen, adoptAll: true).Where(p => p.State is not ('Z' or 'X')).ToList();
    }

    /// <summary>Orphans of the tree re-parented to us are ours to reap; nothing else is (the runtime reaps its own children).</summary>
    private static void ReapAdopted(int self, HashSet<int> everSeen)
    {
        foreach (var pid in everSeen)
        {
            if (ParentOf(pid) == self)
            {
                Native.WaitPid(pid, out _, Native.WNOHANG);
            }
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            return ProcessTree.ParseStat(pid, File.ReadAllText($"/proc/{pid}/stat"))?.ParentPid;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int pid, long startTicks)
    {
        try
        {
            var p = ProcessTree.ParseStat(pid, File.ReadAllText($"/proc/{pid}/stat"));
            return p is not null && p.StartTicks == startTicks && p.State is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string? ReadComm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Depth of each process below the root along the parent chain; adopted orphans count as depth 1.</summary>
    public static IReadOnlyDictionary<int, int> Depths(IReadOnlyList<TreeProcess> tree, int root)
    {
        var byPid = tree.ToDictionary(p => p.Pid);
        var depth = new Dictionary<int, int>();
        int Of(int pid, int guard)
        {
            if (depth.TryGetValue(pid, out var d))
            {
                return d;
            }

            d = pid == root || guard > 64 || !byPid.TryGetValue(pid, out var p) || !byPid.ContainsKey(p.ParentPid) ? (pid == root ? 0 : 1) : Of(p.ParentPid, guard + 1) + 1;
            depth[pid] = d;
            return d;
        }

        foreach (var p in tree)
        {
            Of(p.Pid, 0);
        }

        return depth;
    }
}
