using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

/// <summary>A cache or workspace lock that go commands wait for, whose holder will not release it soon.</summary>
internal sealed record StuckLock(FileLockFact Lock, LiveProcess Holder, string Why, IReadOnlyList<LiveProcess> Waiters);

/// <summary>What GBMOD016 and GBMOD008 share: which held locks are the cause of a wait, so that one cause gives one finding.</summary>
internal static class LockHolders
{
    /// <summary>A go holder asleep this long having used under 1% of it on a CPU is making no progress.</summary>
    public const double SilentSeconds = 300;

    /// <summary>Why <paramref name="holder"/> will not release its lock soon, or null when it looks busy.</summary>
    public static string? WhyStuck(LiveProcess holder, Snapshot s, IReadOnlyList<EndpointVerdict> verdicts)
    {
        var live = s.LiveProcesses;
        if (holder.Stopped)
        {
            return $"it is stopped (state {holder.StateText}), so it releases nothing until it is continued or killed";
        }

        if (live.WaitedOnBy(holder.Pid).FirstOrDefault() is { } chained)
        {
            return $"it is itself waiting for the lock {chained.Path}, held by pid {chained.HolderPid}";
        }

        if (EndpointVerdicts.Of(holder, verdicts) is { } net)
        {
            return $"it waits on the {net.Verdict.Variable} entry {net.Verdict.Entry} ({net.Socket.Remote}), which the probe found {net.Verdict.Verdict}";
        }

        if (!holder.IsGoTool && holder.State != "R")
        {
            return $"it is not a go command but {holder.Name}, {holder.StateText}: go's lock stays held until it and the children that share the file exit";
        }

        if (holder.State is "S" or "D" && holder.AgeSeconds >= SilentSeconds && holder.CpuSeconds < holder.AgeSeconds * 0.01)
        {
            return $"it has been asleep ({holder.StateText}) for {Seconds(holder.AgeSeconds)} s having used {holder.CpuSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s of CPU: it makes no progress";
        }

        return null;
    }

    /// <summary>Locks that a go command waits for and whose holder is stuck.</summary>
    public static IReadOnlyList<StuckLock> Stuck(Snapshot s)
    {
        var live = s.LiveProcesses;
        var verdicts = EndpointVerdicts.In(s);
        var result = new List<StuckLock>();
        foreach (var l in live.Locks)
        {
            var waiters = l.WaiterPids.Select(live.Process).OfType<LiveProcess>().Where(p => p.IsGoTool).ToList();
            if (waiters.Count > 0 && live.Process(l.HolderPid) is { } holder && WhyStuck(holder, s, verdicts) is { } why)
            {
                result.Add(new StuckLock(l, holder, why, waiters));
            }
        }

        return result;
    }

    /// <summary>
    /// Locks nobody waits for yet whose holder will not let go, on the download of a module the build
    /// needs and the cache lacks (<see cref="BuildNeeds"/>): the next `go build` hangs on them.
    /// </summary>
    public static IReadOnlyList<(FileLockFact Lock, LiveProcess Holder, string Module, string Need, string? Why)> BlockingTheBuild(Snapshot s)
    {
        var live = s.LiveProcesses;
        var verdicts = EndpointVerdicts.In(s);
        var result = new List<(FileLockFact, LiveProcess, string, string, string?)>();
        foreach (var l in live.Locks.Where(l => l.WaiterPids.Count == 0))
        {
            if (live.Process(l.HolderPid) is not { } holder || ModuleOf(s, l.Path) is not { } module || BuildNeeds(s, module) is not { } need)
            {
                continue;
            }

            var why = WhyStuck(holder, s, verdicts);
            if (!holder.IsGoTool || why is not null)
            {
                result.Add((l, holder, module, need, why));
            }
        }

        return result;
    }

    /// <summary>"example.com/lib@v1.0.0" for GOMODCACHE/cache/download/example.com/lib/@v/v1.0.0.lock; null for any other file.</summary>
    public static string? ModuleOf(Snapshot s, string lockPath)
    {
        if (ModulePaths.ModCacheFolder(s.Go.Env) is not { } modCache)
        {
            return null;
        }

        var download = Path.Combine(modCache, "cache", "download") + "/";
        if (!lockPath.StartsWith(download, StringComparison.Ordinal) || !lockPath.EndsWith(".lock", StringComparison.Ordinal))
        {
            return null;
        }

        var rest = lockPath[download.Length..^".lock".Length];
        var at = rest.LastIndexOf("/@v/", StringComparison.Ordinal);
        return at <= 0 ? null : $"{ModulePaths.Unescape(rest[..at])}@{ModulePaths.Unescape(rest[(at + 4)..])}";
    }

    /// <summary>
    /// A lock as a finding's subject names it, the same on every machine: the module whose download it
    /// guards, else the file under GOMODCACHE, GOCACHE or the workspace (as $GOMODCACHE/…, $GOCACHE/…, or
    /// relative), else its path.
    /// </summary>
    public static string Subject(Snapshot s, string lockPath)
    {
        if (ModuleOf(s, lockPath) is { } module)
        {
            return $"lock {module}";
        }

        foreach (var (name, folder) in new[] { ("$GOMODCACHE", ModulePaths.ModCacheFolder(s.Go.Env)), ("$GOCACHE", s.GoEnv("GOCACHE")), ("", s.Workspace.Root) })
        {
            if (folder is { Length: > 0 } && lockPath.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal))
            {
                var relative = lockPath[(folder.TrimEnd('/').Length + 1)..];
                return $"lock {(name.Length == 0 ? relative : name + "/" + relative)}";
            }
        }

        return $"lock {lockPath}";
    }

    /// <summary>
    /// Why the build must take the download lock of <paramref name="module"/> (module@version): it is
    /// required by go.mod and not completely in the module cache (cmd/go's modfetch.download locks
    /// unless the extracted tree, its .ziphash and no .partial are there). Null when the build does
    /// not need the lock, or when go itself, asked offline, finished loading the build without waiting.
    /// </summary>
    public static string? BuildNeeds(Snapshot s, string module)
    {
        var at = module.LastIndexOf('@');
        var (path, version) = (module[..at], module[(at + 1)..]);
        var mod = s.Workspace.GoMod;
        if (mod is null || !mod.Requires.Any(r => r.Path == path && r.Version == version)
            || mod.Replaces.Any(r => r.OldPath == path && (r.OldVersion is null || r.OldVersion == version)))
        {
            return null;
        }

        if (s.GoOracle.Commands.FirstOrDefault(c => c.Command == "go list") is { TimedOut: false })
        {
            return null;
        }

        var entry = Facts.Of(s)?.Required.FirstOrDefault(e => e.Module == path && e.Version == version);
        return entry switch
        {
            null => null,
            { ExtractedExists: true, PartialExists: false, ZiphashExists: true } => null,
            { ExtractedExists: false } => $"{entry.ExtractedDirectory} does not exist",
            { PartialExists: true } => $"{entry.FilePrefix}.partial marks an unfinished extraction",
            _ => $"{entry.FilePrefix}.ziphash is missing",
        };
    }

    public static string Seconds(double s) => s.ToString("0", CultureInfo.InvariantCulture);

    public static string Short(string commandLine) => commandLine.Length <= 80 ? commandLine : commandLine[..77] + "...";

    public static string Describe(LiveProcess p) =>
        $"{p.Name} pid {p.Pid} (`{Short(p.CommandLine)}`, {Seconds(p.AgeSeconds)} s old, state {p.StateText})";
}
