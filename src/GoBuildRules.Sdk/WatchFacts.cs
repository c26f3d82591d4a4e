namespace GoBuildRules.Sdk;

public enum WatchOutcome
{
    /// <summary>No output, I/O or CPU progress of the whole process tree for the stall limit.</summary>
    Stalled,

    /// <summary>The hard --timeout passed while the build still made progress.</summary>
    TimedOut,
}

/// <summary>
/// What `gobuildrules watch` saw of a build that stalled or ran out of time, taken before anything
/// was stopped: the process tree with what each process waits on, and the goroutine dumps of its Go
/// processes. Null in a snapshot taken by `scan`.
/// </summary>
public sealed record WatchFacts
{
    public WatchOutcome Outcome { get; init; }

    /// <summary>The watched command line, secrets redacted.</summary>
    public string Command { get; init; } = "";

    /// <summary>How long the tree had made no progress when the capture began.</summary>
    public double IdleSeconds { get; init; }

    /// <summary>How long the command had run when the capture began.</summary>
    public double ElapsedSeconds { get; init; }

    /// <summary>The last progress seen before the stall: "output", "CPU", "process 123 ended"…</summary>
    public string LastProgress { get; init; } = "";

    public int RootPid { get; init; }

    /// <summary>The tree, parents before children.</summary>
    public IReadOnlyList<BuildProcess> Processes { get; init; } = [];

    /// <summary>Whether the command's output (and so the goroutine dumps) went through watch; false when it wrote to a terminal.</summary>
    public bool OutputCaptured { get; init; }

    public BuildProcess? Process(int pid) => Processes.FirstOrDefault(p => p.Pid == pid);
}

/// <summary>
/// One process of the watched tree at the moment of the capture. What it waits on in the kernel, its
/// sockets, open files and locks are in <see cref="Snapshot.LiveProcesses"/> under the same pid.
/// </summary>
public sealed record BuildProcess(int Pid, int ParentPid)
{
    /// <summary>0 for the watched command, 1 for its children…</summary>
    public int Depth { get; init; }

    public int ProcessGroup { get; init; }

    public int Session { get; init; }

    /// <summary>/proc/PID/comm.</summary>
    public string Name { get; init; } = "";

    /// <summary>The command line, secrets redacted.</summary>
    public string CommandLine { get; init; } = "";

    public string? Executable { get; init; }

    /// <summary>"S (sleeping)", "D (disk sleep)", "T (stopped)"… when the stall was detected.</summary>
    public string State { get; init; } = "";

    public double CpuSeconds { get; init; }

    public double AgeSeconds { get; init; }

    /// <summary>Built by Go: it prints its goroutines on SIGQUIT.</summary>
    public bool IsGo { get; init; }

    /// <summary>The goroutines it printed on SIGQUIT; empty when it is not a Go program or its dump could not be read.</summary>
    public IReadOnlyList<Goroutine> Goroutines { get; init; } = [];

    /// <summary>The file in the diagnose folder holding the raw dump.</summary>
    public string? GoroutineDumpFile { get; init; }
}

/// <summary>One goroutine of a SIGQUIT dump.</summary>
/// <param name="State">"semacquire", "select", "IO wait", "chan receive", "running", "syscall"…</param>
/// <param name="WaitMinutes">The "N minutes" Go prints for a goroutine blocked that long; 0 otherwise.</param>
/// <param name="Frames">Function names, innermost first ("sync.(*Mutex).Lock").</param>
public sealed record Goroutine(int Id, string State, int WaitMinutes, IReadOnlyList<string> Frames)
{
    public string? CreatedBy { get; init; }

    /// <summary>
    /// The frames that say what it waits for, without the runtime's own: from the first frame outside
    /// runtime, internal/poll and syscall (e.g. "sync.(*Mutex).Lock", "net/http.(*persistConn).roundTrip").
    /// </summary>
    public IReadOnlyList<string> OwnFrames() => Frames.SkipWhile(IsPlumbing).ToList();

    private static bool IsPlumbing(string f) =>
        f.StartsWith("runtime.", StringComparison.Ordinal) || f.StartsWith("runtime/internal/", StringComparison.Ordinal)
        || f.StartsWith("internal/poll.", StringComparison.Ordinal) || f.StartsWith("syscall.", StringComparison.Ordinal)
        || f.StartsWith("internal/syscall/", StringComparison.Ordinal) || f.StartsWith("sync.runtime_", StringComparison.Ordinal)
        || f is "sync.(*Mutex).lockSlow" or "sync.(*RWMutex).rUnlockSlow";
}
