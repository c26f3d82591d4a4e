using System.Globalization;
using System.Net;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>
/// Finds the go, git and gopls processes running now from /proc and records what each waits on:
/// its state and kernel wait channel, its TCP connections, the cache files it holds open and
/// whether it holds or waits for a file lock. Reads only; never signals a process.
/// </summary>
public static class ProcessScanner
{
    private const int MaxProcesses = 64;
    private const int MaxFileDescriptors = 4096;
    private const int MaxListed = 16;

    /// <summary>Command names (/proc/PID/comm) of the processes that use the caches.</summary>
    public static bool IsInteresting(string comm) =>
        comm is "go" or "gopls" or "git" || comm.StartsWith("git-", StringComparison.Ordinal);

    public static (bool Scanned, IReadOnlyList<CacheProcess> Processes) Scan(IReadOnlyList<string> cacheRoots, CancellationToken ct, string proc = "/proc")
    {
        if (!Directory.Exists(Path.Combine(proc, "self")))
        {
            return (false, []);
        }

        var uptime = ReadUptime(proc);
        var self = Environment.ProcessId;
        var found = new List<CacheProcess>();
        Dictionary<string, string>? sockets = null;
        (HashSet<int> Holders, HashSet<int> Waiters)? locks = null;
        IEnumerable<string> pids;
        try
        {
            pids = Directory.EnumerateDirectories(proc).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (false, []);
        }

        foreach (var dir in pids)
        {
            if (ct.IsCancellationRequested || found.Count >= MaxProcesses)
            {
                break;
            }

            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == self)
            {
                continue;
            }

            var comm = Read(Path.Combine(dir, "comm"))?.Trim();
            if (comm is null || !IsInteresting(comm))
            {
                continue;
            }

            var stat = Read(Path.Combine(dir, "stat"));
            if (stat is null)
            {
                continue;
            }

            // comm may hold spaces and parentheses: the fields start after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var state = fields.Length > 0 ? fields[0] : "?";
            // A zombie holds no lock and no file; a child of this scan (a probe's git) is not a user's build.
            if (state is "Z" or "X" || (fields.Length > 1 && fields[1] == self.ToString(CultureInfo.InvariantCulture)))
            {
                continue;
            }

            var started = fields.Length > 19 && long.TryParse(fields[19], CultureInfo.InvariantCulture, out var ticks) ? ticks / ClockTicks : (double?)null;
            sockets ??= ReadSockets(proc);
            locks ??= ReadLocks(proc);
            var (connections, cacheFiles) = OpenFiles(dir, sockets, cacheRoots);
            found.Add(new CacheProcess(pid, comm)
            {
                CommandLine = Secrets.Redact(string.Join(' ', (Read(Path.Combine(dir, "cmdline")) ?? "").Split('\0', StringSplitOptions.RemoveEmptyEntries))),
                State = $"{state} ({StateName(state)})",
                Wchan = Wchan(dir),
                ThreadWaits = ThreadWaits(dir),
                AgeSeconds = uptime is { } up && started is { } s ? Math.Max(0, Math.Round(up - s, 1)) : 0,
                WorkingDirectory = Link(Path.Combine(dir, "cwd")),
                Connections = connections,
                CacheFiles = cacheFiles,
                HoldsFileLock = locks.Value.Holders.Contains(pid),
                WaitsForFileLock = locks.Value.Waiters.Contains(pid),
            });
        }

        return (true, found.OrderBy(p => p.Pid).ToList());
    }

    // USER_HZ is 100 on every Linux architecture Go and .NET support.
    private const double ClockTicks = 100.0;

    private static string StateName(string s) => s switch
    {
        "R" => "running",
        "S" => "sleeping",
        "D" => "disk sleep",
        "T" => "stopped",
        "t" => "tracing stop",
        "Z" => "zombie",
        "X" => "dead",
        "I" => "idle",
        _ => "unknown",
    };

    private static string Wchan(string dir)
    {
        var w = Read(Path.Combine(dir, "wchan"))?.Trim() ?? "";
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

    private static (IReadOnlyList<string> Connections, IReadOnlyList<string> CacheFiles) OpenFiles(string dir, Dictionary<string, string> sockets, IReadOnlyList<string> cacheRoots)
    {
        var connections = new List<string>();
        var files = new List<string>();
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")).Take(MaxFileDescriptors))
            {
                var target = Link(fd);
                if (target is null)
                {
                    continue;
                }

                if (target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    if (sockets.TryGetValue(target[8..^1], out var connection) && connections.Count < MaxListed)
                    {
                        connections.Add(connection);
                    }
                }
                else if (files.Count < MaxListed && cacheRoots.Any(r => target.StartsWith(r.TrimEnd('/') + "/", StringComparison.Ordinal)))
                {
                    files.Add(target);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Another user's process: its fds are not ours to read; state and wchan still tell a lot.
        }

        return (connections, files);
    }

    /// <summary>socket inode → "local -> remote STATE" for every TCP socket of the host.</summary>
    public static Dictionary<string, string> ReadSockets(string proc)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in new[] { "net/tcp", "net/tcp6" })
        {
            var text = Read(Path.Combine(proc, file));
            if (text is null)
            {
                continue;
            }

            foreach (var line in text.Split('\n').Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length < 10)
                {
                    continue;
                }

                map[f[9]] = $"{Endpoint(f[1])} -> {Endpoint(f[2])} {TcpState(f[3])}";
            }
        }

        return map;
    }

    /// <summary>"0100007F:1F90" (little-endian words, as the kernel prints them) → "127.0.0.1:8080".</summary>
    public static string Endpoint(string hex)
    {
        var parts = hex.Split(':');
        if (parts.Length != 2)
        {
            return hex;
        }

        var port = int.Parse(parts[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var bytes = Convert.FromHexString(parts[0]);
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

    /// <summary>/proc/locks: "1: FLOCK ADVISORY WRITE 1234 …" holds, "1: -> FLOCK …" waits.</summary>
    public static (HashSet<int> Holders, HashSet<int> Waiters) ReadLocks(string proc)
    {
        var holders = new HashSet<int>();
        var waiters = new HashSet<int>();
        foreach (var line in (Read(Path.Combine(proc, "locks")) ?? "").Split('\n'))
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var waiting = f.Length > 1 && f[1] == "->";
            var pidField = waiting ? 5 : 4;
            if (f.Length > pidField && int.TryParse(f[pidField], CultureInfo.InvariantCulture, out var pid))
            {
                (waiting ? waiters : holders).Add(pid);
            }
        }

        return (holders, waiters);
    }

    private static double? ReadUptime(string proc) =>
        Read(Path.Combine(proc, "uptime"))?.Split(' ') is [var first, ..] && double.TryParse(first, CultureInfo.InvariantCulture, out var up) ? up : null;

    private static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Link(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
