using System.Diagnostics;
using System.Globalization;
using System.Net;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>What to look at: the folders whose open files and locks matter, and lock files to identify by stat.</summary>
/// <param name="Roots">GOMODCACHE, GOCACHE and the workspace root (absolute).</param>
/// <param name="LockCandidates">Files cmd/go locks (lockedfile, flock on Unix) that may be locked by a process whose fds cannot be read.</param>
public sealed record LiveProcessScope(IReadOnlyList<string> Roots, IReadOnlyList<string> LockCandidates)
{
    /// <summary>
    /// The process tree `watch` runs: described whatever their name (sh, gcc, test binaries) and
    /// although they are children of this process, with every open file and their kernel stack.
    /// </summary>
    public IReadOnlySet<int> Watched { get; init; } = new HashSet<int>();

    private const int MaxRequiredCandidates = 256;

    /// <summary>
    /// The scope of a workspace. The lock files are those of cmd/go 1.19: modfetch's per-version
    /// GOMODCACHE/cache/download/MOD/@v/VER.lock and the .ziphash it read-locks, the side lock
    /// GOMODCACHE/cache/lock, GOCACHE/trim.txt and testexpire.txt, and go.mod / go.sum, which
    /// lockedfile.Transform locks while rewriting them.
    /// </summary>
    public static LiveProcessScope For(IReadOnlyDictionary<string, string> goEnv, WorkspaceFacts workspace)
    {
        var roots = new List<string>();
        var candidates = new List<string>();
        if (ModulePaths.ModCacheFolder(goEnv) is { } modCache && Path.IsPathRooted(modCache))
        {
            roots.Add(modCache);
            candidates.Add(Path.Combine(modCache, "cache", "lock"));
            foreach (var r in (workspace.GoMod?.Requires ?? []).Take(MaxRequiredCandidates))
            {
                var prefix = ModulePaths.DownloadPrefix(modCache, r.Path, r.Version);
                candidates.Add(prefix + ".lock");
                candidates.Add(prefix + ".ziphash");
            }
        }

        if (goEnv.GetValueOrDefault("GOCACHE") is { } goCache && goCache != "off" && Path.IsPathRooted(goCache))
        {
            roots.Add(goCache);
            candidates.Add(Path.Combine(goCache, "trim.txt"));
            candidates.Add(Path.Combine(goCache, "testexpire.txt"));
        }

        if (workspace.Root.Length > 0)
        {
            roots.Add(workspace.Root);
            candidates.AddRange(new[] { "go.mod", "go.sum", "go.work", "go.work.sum" }.Select(f => Path.Combine(workspace.Root, f)));
        }

        return new LiveProcessScope(roots, candidates);
    }
}

/// <param name="MaxProcesses">Processes described (go/git/gopls and lock holders/waiters).</param>
/// <param name="MaxFileDescriptors">Fds looked at per process.</param>
/// <param name="MaxLockLines">/proc/locks lines read.</param>
/// <param name="Time">The whole reading, after which what was found so far is kept.</param>
public sealed record LiveProcessBudget(int MaxProcesses, int MaxFileDescriptors, int MaxLockLines, TimeSpan Time)
{
    public static LiveProcessBudget Default { get; } = new(64, 4096, 4096, TimeSpan.FromSeconds(1));
}

/// <summary>
/// Reads the go, git and gopls processes running now from /proc, with what each waits on (state,
/// kernel wait channel, sockets, open cache files), and the locks of /proc/locks on files of the
/// scope with their holder and waiters. Reads only; never signals a process and never opens a
/// lock file (opening one could itself block on a hung mount or take part in the locking).
/// </summary>
public sealed class LiveProcessCollector(LiveProcessBudget budget, string proc = "/proc")
{
    private const int MaxListed = 16;

    // USER_HZ is 100 on every Linux architecture Go and .NET support.
    private const double ClockTicks = 100.0;

    public LiveProcessCollector() : this(LiveProcessBudget.Default)
    {
    }

    public LiveProcessFacts Collect(LiveProcessScope scope, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux())
        {
            return new LiveProcessFacts { Problems = ["live processes are read from /proc, which only Linux has"] };
        }

        if (!Directory.Exists(Path.Combine(proc, "self")))
        {
            return new LiveProcessFacts { Problems = [$"{proc} cannot be read: running processes are unknown"] };
        }

        var clock = Stopwatch.StartNew();
        var problems = new List<string>();
        bool OutOfBudget() => ct.IsCancellationRequested || clock.Elapsed > budget.Time;
        var self = Environment.ProcessId;
        var roots = scope.Roots.Where(Path.IsPathRooted).Select(r => r.TrimEnd('/') + "/").ToList();
        bool UnderRoot(string path) => roots.Any(r => path.StartsWith(r, StringComparison.Ordinal));

        // 1. The locks, and which of them are on files of the scope.
        var lines = ParseLocks(ProcFiles.Read(Path.Combine(proc, "locks")) ?? "", budget.MaxLockLines);
        var lockedIds = lines.Select(l => l.FileId).ToHashSet(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        if (lockedIds.Count > 0)
        {
            foreach (var candidate in scope.LockCandidates)
            {
                if (OutOfBudget()) break;
                if (FileId.Of(candidate) is { } id && lockedIds.Contains(id)) paths.TryAdd(id, candidate);
            }

            // A lock holder or waiter has the file open: its fd names the file even when no candidate did.
            foreach (var pid in lines.Select(l => l.Pid).Distinct().Where(p => p != self))
            {
                if (OutOfBudget()) break;
                foreach (var (fd, target) in Fds(Path.Combine(proc, pid.ToString(CultureInfo.InvariantCulture))) ?? [])
                {
                    if (UnderRoot(target) && FileId.Of(fd) is { } id && lockedIds.Contains(id)) paths.TryAdd(id, target);
                }
            }
        }

        // The scan's own subprocesses (the oracle's `go list` may queue on a held lock) are left out
        // everywhere, as in the process list: they are not a user's build.
        var ownChildren = lines.Select(l => l.Pid).Distinct().Where(p => ParentOf(p) == self && !scope.Watched.Contains(p)).ToHashSet();
        var locks = new List<FileLockFact>();
        foreach (var holder in lines.Where(l => !l.Waiting && paths.ContainsKey(l.FileId) && !ownChildren.Contains(l.Pid)))
        {
            locks.Add(new FileLockFact(paths[holder.FileId], holder.Type, holder.Mode, holder.Pid)
            {
                FileId = holder.FileId,
                // The kernel prints each blocked request right under the lock that blocks it, with its number.
                WaiterPids = lines.Where(w => w.Waiting && w.Number == holder.Number && w.FileId == holder.FileId && !ownChildren.Contains(w.Pid)).Select(w => w.Pid).Distinct().Order().ToList(),
            });
        }

        var lockPids = locks.SelectMany(l => l.WaiterPids.Prepend(l.HolderPid)).ToHashSet();
        var holderPids = locks.Select(l => l.HolderPid).ToHashSet();

        // 2. The processes: go, git, gopls, and whoever holds or waits for one of those locks.
        List<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories(proc).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new LiveProcessFacts { Problems = [$"{proc} cannot be listed: {e.Message}"] };
        }

        var uptime = ProcFiles.Read(Path.Combine(proc, "uptime"))?.Split(' ') is [var first, ..] && double.TryParse(first, CultureInfo.InvariantCulture, out var up) ? up : (double?)null;
        Dictionary<string, LiveSocket>? sockets = null;
        var found = new List<LiveProcess>();
        foreach (var dir in dirs)
        {
            if (OutOfBudget())
            {
                problems.Add($"the reading of /proc stopped after {clock.Elapsed.TotalSeconds:0.#} s with {found.Count} processes described: the list may be incomplete");
                break;
            }

            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            var comm = ProcFiles.Read(Path.Combine(dir, "comm"))?.Trim();
            if (comm is null)
            {
                continue;
            }

            var watched = scope.Watched.Contains(pid);
            var wanted = LiveProcess.IsGoToolName(comm) || lockPids.Contains(pid) || watched;
            if (!wanted && holderPids.Count == 0)
            {
                continue;
            }

            var stat = ProcFiles.Read(Path.Combine(dir, "stat"));
            if (stat is null || stat.LastIndexOf(')') is var close && close < 0 || close + 2 > stat.Length)
            {
                continue;
            }

            // comm may hold spaces and parentheses: the fields start after the last ')'.
            var f = stat[(close + 2)..].Split(' ');
            var state = f.Length > 0 ? f[0] : "?";
            var ppid = f.Length > 1 && int.TryParse(f[1], CultureInfo.InvariantCulture, out var pp) ? pp : 0;
            // A flock holder's children inherit the locked open file and keep the lock when the holder
            // dies (`flock FILE CMD`): they are described too, so that a fix can name them.
            // A zombie holds no lock and no file; a child of this scan (its own `go env`, a probe's git) is not a user's build.
            if (!(wanted || holderPids.Contains(ppid)) || state is "Z" or "X" || (ppid == self && !watched))
            {
                continue;
            }

            if (found.Count >= budget.MaxProcesses)
            {
                problems.Add($"more than {budget.MaxProcesses} go, git, gopls and lock-holding processes run: only the first {budget.MaxProcesses} are described");
                break;
            }

            double Ticks(int i) => f.Length > i && long.TryParse(f[i], CultureInfo.InvariantCulture, out var t) ? t : 0;
            sockets ??= ReadSockets(proc);
            var (fdsReadable, processSockets, files) = OpenFiles(dir, sockets, watched ? IsFile : UnderRoot);
            found.Add(new LiveProcess(pid, comm)
            {
                ParentPid = ppid,
                CommandLine = Secrets.Redact(string.Join(' ', (ProcFiles.Read(Path.Combine(dir, "cmdline")) ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries))),
                State = state,
                Wchan = Wchan(dir),
                ThreadWaits = ThreadWaits(dir),
                AgeSeconds = uptime is { } u && f.Length > 19 ? Math.Max(0, Math.Round(u - Ticks(19) / ClockTicks, 1)) : 0,
                CpuSeconds = Math.Round((Ticks(11) + Ticks(12)) / ClockTicks, 2),
                WorkingDirectory = ProcFiles.Link(Path.Combine(dir, "cwd")),
                Sockets = processSockets,
                Files = files,
                FdsReadable = fdsReadable,
                RssKiB = f.Length > 21 ? (long)Ticks(21) * (Environment.SystemPageSize / 1024) : 0,
                KernelStack = watched ? KernelStack(dir) : [],
            });
        }

        return new LiveProcessFacts
        {
            Scanned = true,
            Problems = problems,
            Processes = found.OrderBy(p => p.Pid).ToList(),
            Locks = locks.OrderBy(l => l.Path, StringComparer.Ordinal).ToList(),
        };
    }

    private int ParentOf(int pid)
    {
        var stat = ProcFiles.Read(Path.Combine(proc, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        var close = stat?.LastIndexOf(')') ?? -1;
        return close > 0 && stat!.Length > close + 2 && stat[(close + 2)..].Split(' ') is [_, var ppid, ..]
            && int.TryParse(ppid, CultureInfo.InvariantCulture, out var parent) ? parent : 0;
    }

    /// <summary>One line of /proc/locks: "1: FLOCK  ADVISORY  WRITE 4242 08:01:1234 0 EOF", or "1: -> FLOCK …" for a blocked request.</summary>
    public sealed record LockLine(int Number, bool Waiting, string Type, string Mode, int Pid, string FileId);

    public static IReadOnlyList<LockLine> ParseLocks(string text, int maxLines = int.MaxValue)
    {
        var result = new List<LockLine>();
        foreach (var line in text.Split('\n').Take(maxLines))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var waiting = f.Length > 1 && f[1] == "->";
            var o = waiting ? 1 : 0;
            // number: type advisory|mandatory mode pid maj:min:ino start end; OFD locks print pid -1.
            if (f.Length < 6 + o
                || !int.TryParse(f[0].TrimEnd(':'), CultureInfo.InvariantCulture, out var number)
                || !int.TryParse(f[4 + o], CultureInfo.InvariantCulture, out var pid)
                || NormalizeFileId(f[5 + o]) is not { } id)
            {
                continue;
            }

            result.Add(new LockLine(number, waiting, f[1 + o], f[3 + o], pid, id));
        }

        return result;
    }

    /// <summary>"fe:00:1234" (hex major and minor, decimal inode) → "254:0:1234".</summary>
    private static string? NormalizeFileId(string field)
    {
        var p = field.Split(':');
        return p.Length == 3
            && uint.TryParse(p[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var major)
            && uint.TryParse(p[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var minor)
            && ulong.TryParse(p[2], CultureInfo.InvariantCulture, out var inode)
            ? FileId.Format(major, minor, inode)
            : null;
    }

    private (bool Readable, IReadOnlyList<LiveSocket> Sockets, IReadOnlyList<string> Files) OpenFiles(string dir, Dictionary<string, LiveSocket> sockets, Func<string, bool> underRoot)
    {
        var found = new List<LiveSocket>();
        var files = new List<string>();
        var fds = Fds(dir);
        if (fds is null)
        {
            // Another user's process: its fds are not ours to read; state and wchan still tell a lot.
            return (false, [], []);
        }

        foreach (var (_, target) in fds)
        {
            if (target.StartsWith("socket:[", StringComparison.Ordinal))
            {
                if (found.Count < MaxListed && sockets.TryGetValue(target[8..^1], out var socket))
                {
                    found.Add(socket);
                }
            }
            else if (files.Count < MaxListed && underRoot(target))
            {
                files.Add(target);
            }
        }

        return (true, found, files);
    }

    /// <summary>The fds of a process with their targets; null when they cannot be read.</summary>
    private List<(string Fd, string Target)>? Fds(string dir)
    {
        try
        {
            var result = new List<(string, string)>();
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Take(budget.MaxFileDescriptors))
            {
                if (ProcFiles.Link(fd) is { } target)
                {
                    result.Add((fd, target));
                }
            }

            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A file or folder, not a pipe, socket, device or anonymous inode.</summary>
    private static bool IsFile(string target) =>
        target.StartsWith('/') && !target.StartsWith("/dev/", StringComparison.Ordinal) && !target.StartsWith("/proc/", StringComparison.Ordinal);

    /// <summary>/proc/PID/stack: "[&lt;0&gt;] futex_wait_queue+0x60/0xa0" lines; readable by root only on most kernels.</summary>
    private static IReadOnlyList<string> KernelStack(string dir) =>
        (ProcFiles.Read(Path.Combine(dir, "stack")) ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Contains("] ", StringComparison.Ordinal) ? l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..] : l)
            .Take(32)
            .ToList();

    private static string Wchan(string dir)
    {
        var w = ProcFiles.Read(Path.Combine(dir, "wchan"))?.Trim() ?? "";
        return w == "0" ? "" : w;
    }

    private static IReadOnlyList<string> ThreadWaits(string dir)
    {
        try
        {
            return Directory.EnumerateDirectories(Path.Combine(dir, "task"))
                .Take(256)
                .Select(Wchan)
                .Where(w => w.Length > 0)
                .GroupBy(w => w)
                .Select(g => g.Count() == 1 ? g.Key : $"{g.Key} ×{g.Count()}")
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>socket inode → socket, for every TCP and UDP socket of the host (IPv4 and IPv6).</summary>
    public static Dictionary<string, LiveSocket> ReadSockets(string proc)
    {
        var map = new Dictionary<string, LiveSocket>(StringComparer.Ordinal);
        foreach (var (file, protocol) in new[] { ("net/tcp", "tcp"), ("net/tcp6", "tcp"), ("net/udp", "udp"), ("net/udp6", "udp") })
        {
            foreach (var line in (ProcFiles.Read(Path.Combine(proc, file)) ?? "").Split('\n').Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length >= 10)
                {
                    map[f[9]] = new LiveSocket(protocol, Endpoint(f[1]), Endpoint(f[2]), protocol == "udp" ? UdpState(f[3]) : TcpState(f[3]));
                }
            }
        }

        return map;
    }

    /// <summary>"0100007F:1F90" (little-endian words, as the kernel prints them) → "127.0.0.1:8080".</summary>
    public static string Endpoint(string hex)
    {
        var parts = hex.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var port))
        {
            return hex;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(parts[0]);
        }
        catch (FormatException)
        {
            return hex;
        }

        if (bytes.Length is not (4 or 16))
        {
            return hex;
        }

        for (var i = 0; i + 4 <= bytes.Length; i += 4)
        {
            Array.Reverse(bytes, i, 4);
        }

        var address = new IPAddress(bytes);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
    }

    private static string TcpState(string hex) => hex switch
    {
        "01" => "ESTABLISHED",
        "02" => "SYN_SENT",
        "03" => "SYN_RECV",
        "04" => "FIN_WAIT1",
        "05" => "FIN_WAIT2",
        "06" => "TIME_WAIT",
        "07" => "CLOSE",
        "08" => "CLOSE_WAIT",
        "09" => "LAST_ACK",
        "0A" => "LISTEN",
        "0B" => "CLOSING",
        _ => hex,
    };

    // The kernel keeps UDP sockets in TCP's state numbers: 01 connected, 07 unconnected.
    private static string UdpState(string hex) => hex == "01" ? "ESTABLISHED" : "CLOSE";
}
