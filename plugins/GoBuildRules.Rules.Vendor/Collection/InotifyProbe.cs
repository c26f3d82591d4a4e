using System.Diagnostics;
using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>
/// Reads the inotify limits and what is in use now: every process's fds that link to
/// anon_inode:inotify, and the `inotify wd:` lines of their fdinfo (one per watch).
/// </summary>
internal static class InotifyProbe
{
    public sealed record Budget(int MaxProcesses, int MaxFds, TimeSpan Time);

    public static readonly Budget Default = new(20_000, 400_000, TimeSpan.FromSeconds(1.5));

    public static InotifyFacts Collect(string procRoot, Budget budget, CancellationToken ct)
    {
        var sys = Path.Combine(procRoot, "sys", "fs", "inotify");
        var watches = ReadLong(Path.Combine(sys, "max_user_watches"));
        var instances = ReadLong(Path.Combine(sys, "max_user_instances"));
        if (watches is null && instances is null)
        {
            return new InotifyFacts { Available = false, Error = $"{sys} cannot be read" };
        }

        var uid = EffectiveUid(Path.Combine(procRoot, "self", "status")) ?? -1;
        var sw = Stopwatch.StartNew();
        var holders = new List<InotifyHolder>();
        int scanned = 0, unreadable = 0, fds = 0;
        var truncated = false;

        // The scan's own process is not a watcher of the user's; its fds would only blur the count.
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        IEnumerable<string> pids;
        try
        {
            pids = Directory.EnumerateDirectories(procRoot).Select(Path.GetFileName).Where(n => n is { Length: > 0 } && n.All(char.IsAsciiDigit))!;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new InotifyFacts { Available = true, MaxUserWatches = watches, MaxUserInstances = instances, Uid = uid, Error = e.Message };
        }

        foreach (var pidText in pids)
        {
            if (ct.IsCancellationRequested || scanned >= budget.MaxProcesses || fds >= budget.MaxFds || sw.Elapsed > budget.Time)
            {
                truncated = true;
                break;
            }

            if (pidText == self && procRoot == "/proc")
            {
                continue;
            }

            scanned++;
            var pidDir = Path.Combine(procRoot, pidText!);
            int inst = 0, wd = 0;
            try
            {
                foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(pidDir, "fd")))
                {
                    fds++;
                    string? target;
                    try
                    {
                        target = new FileInfo(fd).LinkTarget;
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        continue;
                    }

                    if (target != "anon_inode:inotify")
                    {
                        continue;
                    }

                    inst++;
                    wd += CountWatches(Path.Combine(pidDir, "fdinfo", Path.GetFileName(fd)));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's process (when not root) or one that just exited.
                unreadable++;
                continue;
            }

            if (inst > 0)
            {
                var owner = EffectiveUid(Path.Combine(pidDir, "status")) ?? -1;
                var command = ReadText(Path.Combine(pidDir, "comm"))?.Trim() ?? "?";
                holders.Add(new InotifyHolder(int.Parse(pidText!, CultureInfo.InvariantCulture), Secrets.Redact(command), owner, inst, wd));
            }
        }

        var mine = holders.Where(h => h.Uid == uid).ToList();
        return new InotifyFacts
        {
            Available = true,
            MaxUserWatches = watches,
            MaxUserInstances = instances,
            MaxQueuedEvents = ReadLong(Path.Combine(sys, "max_queued_events")),
            Uid = uid,
            WatchesInUse = mine.Sum(h => h.Watches),
            InstancesInUse = mine.Sum(h => h.Instances),
            ProcessesScanned = scanned,
            ProcessesUnreadable = unreadable,
            Truncated = truncated,
            Holders = holders.OrderByDescending(h => h.Watches).ThenByDescending(h => h.Instances).Take(200).ToList(),
        };
    }

    private static int CountWatches(string fdinfo)
    {
        var text = ReadText(fdinfo);
        if (text is null)
        {
            return 0;
        }

        var count = 0;
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("inotify wd:", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The second field of the Uid: line (real, effective, saved, fs).</summary>
    private static int? EffectiveUid(string statusFile)
    {
        var text = ReadText(statusFile);
        var line = text?.Split('\n').FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        var fields = line?.Split(['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: >= 3 } && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
    }

    private static long? ReadLong(string file) =>
        long.TryParse(ReadText(file)?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static string? ReadText(string file)
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
}
