using System.Text.Json.Serialization;

namespace GoBuildRules.Sdk;

/// <summary>
/// The go, git and gopls processes running while the scan ran, and the file locks under GOMODCACHE,
/// GOCACHE and the workspace with their holder and waiters (Linux /proc; empty elsewhere). One
/// reading shared by every pack and by `watch`, so that all of them name the same pids.
/// </summary>
public sealed record LiveProcessFacts
{
    /// <summary>Whether /proc could be read; when false the lists say nothing.</summary>
    public bool Scanned { get; init; }

    /// <summary>Why the reading is missing or partial (not Linux, a budget ran out), in words.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>go, git, git-*, gopls, any other process holding or waiting for a lock of <see cref="Locks"/>, and the children of lock holders (which share a flock's open file); ordered by pid.</summary>
    public IReadOnlyList<LiveProcess> Processes { get; init; } = [];

    /// <summary>Locks from /proc/locks on files under GOMODCACHE, GOCACHE or the workspace.</summary>
    public IReadOnlyList<FileLockFact> Locks { get; init; } = [];

    public LiveProcess? Process(int pid) => Processes.FirstOrDefault(p => p.Pid == pid);

    /// <summary>The locks <paramref name="pid"/> is blocked on.</summary>
    public IEnumerable<FileLockFact> WaitedOnBy(int pid) => Locks.Where(l => l.WaiterPids.Contains(pid));

    /// <summary>The locks <paramref name="pid"/> holds.</summary>
    public IEnumerable<FileLockFact> HeldBy(int pid) => Locks.Where(l => l.HolderPid == pid);

    /// <summary>
    /// The holder of <paramref name="fileLock"/> and its described children that share the locked
    /// file (inherited by `flock FILE CMD`): a flock is released only when all of them have closed it.
    /// </summary>
    public IReadOnlyList<int> KeepingHeld(FileLockFact fileLock) =>
        Processes.Where(p => p.ParentPid == fileLock.HolderPid && p.Files.Contains(fileLock.Path) && !fileLock.WaiterPids.Contains(p.Pid))
            .Select(p => p.Pid).Prepend(fileLock.HolderPid).ToList();
}

public sealed record LiveProcess(int Pid, string Name)
{
    public int ParentPid { get; init; }

    /// <summary>The command line, secrets redacted.</summary>
    public string CommandLine { get; init; } = "";

    /// <summary>The state letter of /proc/PID/stat: R running, S sleeping, D disk sleep, T stopped, t tracing stop.</summary>
    public string State { get; init; } = "";

    /// <summary>The kernel function the main thread waits in, or empty when running.</summary>
    public string Wchan { get; init; } = "";

    /// <summary>The distinct kernel wait functions of all its threads (Go parks most threads in futex).</summary>
    public IReadOnlyList<string> ThreadWaits { get; init; } = [];

    public double AgeSeconds { get; init; }

    /// <summary>User plus system CPU time used since it started.</summary>
    public double CpuSeconds { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Its TCP and UDP sockets (from /proc/net by inode); listening sockets included.</summary>
    public IReadOnlyList<LiveSocket> Sockets { get; init; } = [];

    /// <summary>Files it holds open under GOMODCACHE, GOCACHE or the workspace (any file, for a process `watch` runs).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Resident memory.</summary>
    public long RssKiB { get; init; }

    /// <summary>Its kernel stack (/proc/PID/stack), for a process of the tree `watch` runs and where the kernel lets it be read (root).</summary>
    public IReadOnlyList<string> KernelStack { get; init; } = [];

    /// <summary>False when its fds could not be read (another user's process): Sockets and Files are then empty, not known empty.</summary>
    public bool FdsReadable { get; init; } = true;

    /// <summary>go, gopls, git or a git helper (git-remote-https…): the programs that use the module cache.</summary>
    public static bool IsGoToolName(string comm) =>
        comm is "go" or "gopls" or "git" || comm.StartsWith("git-", StringComparison.Ordinal);

    [JsonIgnore]
    public bool IsGoTool => IsGoToolName(Name);

    [JsonIgnore]
    public bool Stopped => State is "T" or "t";

    /// <summary>"S (sleeping)", for messages.</summary>
    [JsonIgnore]
    public string StateText => $"{State} ({State switch
    {
        "R" => "running",
        "S" => "sleeping",
        "D" => "disk sleep",
        "T" => "stopped",
        "t" => "tracing stop",
        "Z" => "zombie",
        "I" => "idle",
        _ => "unknown",
    }})";

    /// <summary>Its sockets connected to a remote end (not listening, not closed).</summary>
    [JsonIgnore]
    public IEnumerable<LiveSocket> Connections => Sockets.Where(s => s.Remote is { } r && !r.EndsWith(":0", StringComparison.Ordinal) && s.State is not ("LISTEN" or "CLOSE"));
}

/// <param name="Protocol">tcp or udp (IPv6 included).</param>
/// <param name="Local">"127.0.0.1:51234", "[::1]:51234".</param>
/// <param name="Remote">The peer, in the same form; "0.0.0.0:0" when unconnected.</param>
/// <param name="State">The TCP state (ESTABLISHED, SYN_SENT, CLOSE_WAIT…); for UDP ESTABLISHED when connected.</param>
public sealed record LiveSocket(string Protocol, string Local, string Remote, string State)
{
    public override string ToString() => $"{Local} -> {Remote} {State}";
}

/// <summary>One file lock of /proc/locks, mapped to its path.</summary>
/// <param name="Path">The locked file.</param>
/// <param name="Type">FLOCK (cmd/go's lockedfile on Unix), POSIX or OFDLCK.</param>
/// <param name="Mode">READ or WRITE.</param>
/// <param name="HolderPid">The process that took it (for a flock, the one that called flock; its children may share the open file).</param>
public sealed record FileLockFact(string Path, string Type, string Mode, int HolderPid)
{
    /// <summary>Processes blocked until it is released ("->" lines of /proc/locks), the scan's own subprocesses left out.</summary>
    public IReadOnlyList<int> WaiterPids { get; init; } = [];

    /// <summary>The kernel's "major:minor:inode" of the file, as in /proc/locks.</summary>
    public string FileId { get; init; } = "";
}
