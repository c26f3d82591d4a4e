using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Watch;

/// <summary>Reading a stalled tree: which process is stuck, and which of its goroutines is the one that waits.</summary>
internal static class Stuck
{
    /// <summary>Top frames that are a goroutine's normal idle, never the cause of a stall.</summary>
    private static readonly string[] Helpers =
    [
        "os/signal.", "net/http.(*persistConn).readLoop", "net/http.(*persistConn).writeLoop", "testing.(*T).Run",
        "testing.(*M).", "testing.runTests", "testing.tRunner.func", "main.main", "time.Sleep", "net/http.(*Server).Serve",
        "cmd/go/internal/base.StartSigHandlers", "cmd/go/internal/base.processSignals",
    ];

    /// <summary>
    /// Loops of net/http that wait on a connection for whoever uses it: their goroutine is never the one
    /// to name, the one in roundTrip that waits for the answer is (it says which request, under which caller).
    /// </summary>
    private static readonly string[] ConnectionLoops = ["net/http.(*persistConn).readLoop", "net/http.(*persistConn).writeLoop"];

    /// <summary>Frames that wait for something outside the goroutine: what a stall is made of.</summary>
    private static readonly string[] Waits =
    [
        "sync.(*Mutex).Lock", "sync.(*RWMutex).", "sync.(*WaitGroup).Wait", "sync.(*Cond).Wait", "net/http.(*persistConn).roundTrip",
        "net/http.(*Transport).roundTrip", "os/exec.(*Cmd).Wait", "os.(*Process).Wait", "cmd/go/internal/lockedfile.", "net.(*conn).Read",
        "net.(*netFD).connect", "net.(*Resolver).",
    ];

    /// <summary>Goroutine states of a wait only another goroutine can end (runtime2.go waitReason strings).</summary>
    private static readonly string[] SyncWaits =
    [
        "semacquire", "sync.Mutex.Lock", "sync.RWMutex.Lock", "sync.RWMutex.RLock", "sync.Cond.Wait", "sync.WaitGroup.Wait",
        "chan receive", "chan send", "chan receive (nil chan)", "chan send (nil chan)", "select", "select (no cases)",
    ];

    /// <summary>States that may end by themselves or from outside: not a deadlock.</summary>
    private static readonly string[] Alive = ["running", "runnable", "IO wait", "syscall", "sleep", "timer goroutine (idle)"];

    /// <summary>Program names of C compilers and the wrappers that front them.</summary>
    private static readonly string[] Compilers = ["gcc", "cc", "clang", "cc1", "cc1plus", "g++", "c++", "clang++", "ccache", "sccache", "distcc", "icecc", "zig"];

    /// <summary>
    /// Whether a more specific rule of this pack names the cause of the stall (a deadlocked test binary,
    /// GBRUN002; a C compiler that never returns, GBRUN003): then the generic GBRUN001 stays silent.
    /// The rules and this check read the same predicates below, so they cannot disagree.
    /// </summary>
    public static bool HasSpecificCause(Snapshot snapshot, WatchFacts watch) =>
        DeadlockedTests(watch).Any() || HungCompiler(snapshot, watch) is not null;

    /// <summary>
    /// Test binaries of the tree, with a goroutine dump, whose goroutines (os/signal's watcher aside) all wait
    /// on a mutex, channel or wait group that only another of them could release; with those goroutines.
    /// </summary>
    public static IEnumerable<(BuildProcess Process, IReadOnlyList<Goroutine> Waiting)> DeadlockedTests(WatchFacts watch)
    {
        foreach (var p in watch.Processes.Where(IsTestBinary).Where(p => p.Goroutines.Count > 0))
        {
            var meaningful = p.Goroutines.Where(g => g.OwnFrames().Count > 0 && !g.OwnFrames()[0].StartsWith("os/signal.", StringComparison.Ordinal)).ToList();
            if (meaningful.Count > 0 && !meaningful.Any(g => Alive.Contains(g.State)) && meaningful.All(g => SyncWaits.Contains(g.State)))
            {
                yield return (p, meaningful);
            }
        }
    }

    /// <summary>The C compiler the build uses: CC of go env, else of the environment; its program only.</summary>
    public static string? Cc(Snapshot snapshot) =>
        (snapshot.GoEnv("CC") is { Length: > 0 } fromGo ? fromGo : snapshot.Env("CC"))?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    /// <summary>The topmost live C compiler (or wrapper) of the tree: by the build's CC, by its name, or as the child of the cgo tool (which runs nothing else).</summary>
    public static BuildProcess? HungCompiler(Snapshot snapshot, WatchFacts watch)
    {
        var cc = Cc(snapshot);
        return watch.Processes
            .Where(p => !p.State.StartsWith('Z'))
            .OrderBy(p => p.Depth)
            .FirstOrDefault(p => IsCompiler(p, cc) || watch.Process(p.ParentPid)?.Name == "cgo");
    }

    private static bool IsCompiler(BuildProcess p, string? cc)
    {
        var args = p.CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (cc is not null && args.Take(2).Any(a => a == cc || (!cc.Contains('/', StringComparison.Ordinal) && Path.GetFileName(a) == cc)))
        {
            return true;
        }

        return Compilers.Contains(p.Name) || (args.Length > 0 && Compilers.Contains(Path.GetFileName(args[0])));
    }

    private static bool IsTestBinary(BuildProcess p) =>
        p.Name.EndsWith(".test", StringComparison.Ordinal) || p.CommandLine.Contains(" -test.", StringComparison.Ordinal);

    /// <summary>The process a stall is "in": the deepest live one, a Go process with a dump first, then one stopped or in disk sleep.</summary>
    public static BuildProcess? Culprit(WatchFacts watch) =>
        watch.Processes
            .Where(p => !p.State.StartsWith('Z'))
            .OrderByDescending(p => p.Depth)
            .ThenByDescending(p => p.Goroutines.Count > 0)
            .ThenByDescending(p => p.State.StartsWith('T') || p.State.StartsWith('D'))
            .ThenBy(p => p.Pid)
            .FirstOrDefault();

    /// <summary>The goroutine that waits for what holds the process up; null when none says so.</summary>
    public static Goroutine? Blocking(BuildProcess process)
    {
        // In the go command itself, package main is cmd/go's (main.invoke), not the user's code.
        var goCommand = process.Goroutines.Any(g => g.Frames.Any(f => f.StartsWith("cmd/go/internal/", StringComparison.Ordinal)));
        return process.Goroutines
            .Select(g => (g, Own: g.OwnFrames()))
            .Where(x => x.Own.Count > 0)
            .OrderByDescending(x => Score(x.g, x.Own, goCommand))
            .ThenByDescending(x => x.g.WaitMinutes)
            .ThenBy(x => x.g.Id)
            .Select(x => x.g)
            .FirstOrDefault();
    }

    private static int Score(Goroutine g, IReadOnlyList<string> own, bool goCommand)
    {
        var score = 0;
        if (own.Any(f => IsUserCode(f) && !(goCommand && f.StartsWith("main.", StringComparison.Ordinal))))
        {
            score += 4;
        }

        if (own.Take(3).Any(f => Waits.Any(w => f.StartsWith(w, StringComparison.Ordinal))))
        {
            score += 2;
        }

        if (Helpers.Any(h => own[0].StartsWith(h, StringComparison.Ordinal)) || own.Any(f => ConnectionLoops.Any(l => f.StartsWith(l, StringComparison.Ordinal))))
        {
            score -= 8;
        }

        if (g.State is "running" or "runnable")
        {
            score -= 1;
        }

        return score;
    }

    /// <summary>"net/http.(*persistConn).roundTrip under cmd/go/internal/modfetch.(*proxyRepo).getBytes".</summary>
    public static string Describe(Goroutine g)
    {
        var own = g.OwnFrames();
        var top = own.Count > 0 ? own[0] : g.Frames.FirstOrDefault() ?? "?";
        var under = own.Skip(1).FirstOrDefault(f => IsUserCode(f) || f.StartsWith("cmd/", StringComparison.Ordinal));
        var wait = g.WaitMinutes > 0 ? $", {g.WaitMinutes} min" : "";
        return $"goroutine {g.Id} [{g.State}{wait}] in {top}{(under is null || under == top ? "" : $" under {under}")}";
    }

    /// <summary>A function outside the standard library: its import path's first element has a dot ("example.com/…"), or it is main.</summary>
    public static bool IsUserCode(string frame)
    {
        var slash = frame.IndexOf('/', StringComparison.Ordinal);
        var firstElement = slash < 0 ? frame.Split('.')[0] : frame[..slash];
        return frame.StartsWith("main.", StringComparison.Ordinal) || (slash > 0 && firstElement.Contains('.', StringComparison.Ordinal));
    }

    /// <summary>"S (sleeping) in futex_wait_queue".</summary>
    public static string Waiting(BuildProcess p, LiveProcess? live) => live is { Wchan.Length: > 0 } ? $"{p.State} in {live.Wchan}" : p.State;

    public static string Outcome(WatchFacts w) =>
        w.Outcome == WatchOutcome.Stalled ? $"made no progress for {w.IdleSeconds:0} s" : $"was still running at the {w.ElapsedSeconds:0} s timeout";

    /// <summary>Evidence lines common to every watch finding about a process.</summary>
    public static List<Evidence> ProcessEvidence(Snapshot snapshot, BuildProcess p)
    {
        var live = snapshot.LiveProcesses.Process(p.Pid);
        var evidence = new List<Evidence>
        {
            new("pid", p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("command", p.CommandLine),
            new("state", Waiting(p, live)),
            new("cpu", $"{p.CpuSeconds:0.00} s in {p.AgeSeconds:0.#} s"),
        };
        evidence.AddRange((live?.Connections ?? []).Select(s => new Evidence("socket", $"{s.Protocol} {s}")));
        evidence.AddRange(snapshot.LiveProcesses.WaitedOnBy(p.Pid).Select(l => new Evidence("waits for lock", $"{l.Path} held by pid {l.HolderPid}")));
        evidence.AddRange(snapshot.LiveProcesses.HeldBy(p.Pid).Select(l => new Evidence("holds lock", l.Path)));
        if (p.GoroutineDumpFile is { } file)
        {
            evidence.Add(new Evidence("goroutine dump", file));
        }

        return evidence;
    }
}
