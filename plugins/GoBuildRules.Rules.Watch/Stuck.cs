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

    /// <summary>Frames that wait for something outside the goroutine: what a stall is made of.</summary>
    private static readonly string[] Waits =
    [
        "sync.(*Mutex).Lock", "sync.(*RWMutex).", "sync.(*WaitGroup).Wait", "sync.(*Cond).Wait", "net/http.(*persistConn).roundTrip",
        "net/http.(*Transport).roundTrip", "os/exec.(*Cmd).Wait", "os.(*Process).Wait", "cmd/go/internal/lockedfile.", "net.(*conn).Read",
        "net.(*netFD).connect", "net.(*Resolver).",
    ];

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
    public static Goroutine? Blocking(BuildProcess process) =>
        process.Goroutines
            .Select(g => (g, Own: g.OwnFrames()))
            .Where(x => x.Own.Count > 0)
            .OrderByDescending(x => Score(x.g, x.Own))
            .ThenByDescending(x => x.g.WaitMinutes)
            .ThenBy(x => x.g.Id)
            .Select(x => x.g)
            .FirstOrDefault();

    private static int Score(Goroutine g, IReadOnlyList<string> own)
    {
        var score = 0;
        if (own.Any(IsUserCode))
        {
            score += 4;
        }

        if (own.Take(3).Any(f => Waits.Any(w => f.StartsWith(w, StringComparison.Ordinal))))
        {
            score += 2;
        }

        if (Helpers.Any(h => own[0].StartsWith(h, StringComparison.Ordinal)))
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
