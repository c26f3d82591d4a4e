using System.Globalization;

namespace GoBuildRules.Core.Watch;

/// <summary>One process of the watched tree at one instant: what stall detection compares.</summary>
/// <param name="StartTicks">Start time since boot in clock ticks: with the pid, the process's identity (pids are reused).</param>
/// <param name="CpuTicks">User + system time in clock ticks.</param>
/// <param name="IoBytes">Bytes read + written through syscalls (/proc/PID/io rchar + wchar), output included; null when unreadable.</param>
public sealed record TreeProcess(int Pid, int ParentPid, int ProcessGroup, int Session, char State, long StartTicks, long CpuTicks, long? IoBytes)
{
    public (int Pid, long StartTicks) Identity => (Pid, StartTicks);
}

/// <summary>
/// The processes that descend from the watched command, found by the parent-pid chain in /proc (so a
/// child that called setsid, or left the command's process group, is still counted), plus the orphans
/// re-parented to watch as their subreaper.
/// </summary>
public static class ProcessTree
{
    /// <summary>USER_HZ: 100 on every Linux architecture .NET supports.</summary>
    public const double ClockTicksPerSecond = 100.0;

    /// <summary>
    /// The tree under <paramref name="root"/> (itself included while it lives), with the orphans
    /// re-parented to <paramref name="self"/> that were seen in it before, or with every child of
    /// <paramref name="self"/> when <paramref name="adoptAll"/> (while stopping: a helper that was
    /// orphaned between two samples is the build's too).
    /// </summary>
    public static IReadOnlyList<TreeProcess> Sample(int root, int self, IReadOnlySet<int> adopted, bool adoptAll = false, string proc = "/proc")
    {
        var all = new List<TreeProcess>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories(proc);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        foreach (var dir in entries)
        {
            var name = Path.GetFileName(dir.AsSpan());
            if (name.Length == 0 || !char.IsAsciiDigit(name[0]) || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            if (ReadStat(dir, pid) is { } p)
            {
                all.Add(p);
            }
        }

        var children = all.ToLookup(p => p.ParentPid);
        var tree = new List<TreeProcess>();
        var queue = new Queue<TreeProcess>(all.Where(p => p.Pid == root || (p.ParentPid == self && (adoptAll || adopted.Contains(p.Pid)))));
        var seen = new HashSet<int>();
        while (queue.TryDequeue(out var p))
        {
            if (!seen.Add(p.Pid))
            {
                continue;
            }

            tree.Add(p with { IoBytes = ReadIo(Path.Combine(proc, p.Pid.ToString(CultureInfo.InvariantCulture))) });
            foreach (var c in children[p.Pid])
            {
                queue.Enqueue(c);
            }
        }

        return tree;
    }

    /// <summary>/proc/PID/stat; comm may hold spaces and parentheses, so the fields start after the last ')'.</summary>
    public static TreeProcess? ParseStat(int pid, string stat)
    {
        var close = stat.LastIndexOf(')');
        if (close < 0 || close + 2 >= stat.Length)
        {
            return null;
        }

        // Field numbers of proc(5) minus 3: state is field 3.
        var f = stat[(close + 2)..].Split(' ');
        if (f.Length < 20)
        {
            return null;
        }

        long L(int i) => long.TryParse(f[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new TreeProcess(pid, (int)L(1), (int)L(2), (int)L(3), f[0].Length > 0 ? f[0][0] : '?', L(19), L(11) + L(12), null);
    }

    private static TreeProcess? ReadStat(string dir, int pid)
    {
        try
        {
            return ParseStat(pid, File.ReadAllText(Path.Combine(dir, "stat")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long? ReadIo(string dir)
    {
        try
        {
            long total = 0;
            foreach (var line in File.ReadLines(Path.Combine(dir, "io")))
            {
                if (line.StartsWith("rchar:", StringComparison.Ordinal) || line.StartsWith("wchar:", StringComparison.Ordinal))
                {
                    total += long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
                }
            }

            return total;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
