using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class CacheInUseRule : IRule
{
    /// <summary>A go command older than this while another build waits is what 'stuck' usually means.</summary>
    public const double LongRunningSeconds = 30;

    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD008",
        "A go, git or gopls process is using the caches right now",
        "cache",
        Severity.Note,
        "Go commands, git (which go runs to fetch modules directly from VCS) or gopls are running while the scan runs; each is named with its pid, state, kernel wait channel, age, connections and cache files.",
        "The module cache allows one writer per module version: a second go command that needs the same module waits on its .lock file until the first finishes, so a `go mod download` hanging on an unreachable proxy makes every other build on the machine look stuck. A process sleeping for a long time with a TCP connection open waits on the network (the remote address says which proxy or VCS host); one waiting for a file lock waits on another go command; one in state D waits on the disk or a network filesystem.")
    {
        HelpMarkdown = "`ps -o pid,etime,stat,wchan:20,args -C go,git,gopls`, `cat /proc/PID/wchan`, `ls -l /proc/PID/fd` and `grep PID /proc/locks` show the same live evidence.",
        Tags = ["cache", "hang", "processes"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts.Of(snapshot);
        var live = snapshot.LiveProcesses;
        // One cause, one finding: GBMOD016 names the holders of stuck locks and their waiters, the
        // network rules the processes connected to an endpoint their probe found failing, the Watch
        // pack (GBRUN) the processes of a build `gobuildrules watch` caught stalled.
        var explained = LockHolders.Stuck(snapshot).SelectMany(x => x.Waiters.Select(w => w.Pid).Append(x.Holder.Pid))
            .Concat(LockHolders.BlockingTheBuild(snapshot).Select(x => x.Holder.Pid))
            .Concat(snapshot.Watch?.Processes.Select(p => p.Pid) ?? [])
            .ToHashSet();
        var verdicts = EndpointVerdicts.In(snapshot);
        foreach (var p in live.Processes.Where(p => p.IsGoTool && !explained.Contains(p.Pid) && EndpointVerdicts.Of(p, verdicts) is null && Concerns(p, snapshot)))
        {
            var waitsForFileLock = live.WaitedOnBy(p.Pid).Any();
            var holdsFileLock = live.HeldBy(p.Pid).Any();
            // gopls is always running in an editor; only a gopls that is blocked says something.
            if (p.Name == "gopls" && !waitsForFileLock && !p.State.StartsWith('D'))
            {
                continue;
            }

            var remote = p.Connections.Select(c => c.ToString()).ToList();
            var waits = new List<string>();
            foreach (var l in live.WaitedOnBy(p.Pid)) waits.Add($"the lock {l.Path} held by pid {l.HolderPid}");
            if (remote.Count > 0) waits.Add("the network: " + string.Join(", ", remote.Select(c => c.Split(" -> ").ElementAtOrDefault(1) ?? c)));
            if (p.State.StartsWith('D')) waits.Add("the disk or a network filesystem (uninterruptible sleep)");
            if (waits.Count == 0 && p.Wchan.Length > 0) waits.Add($"the kernel in {p.Wchan}");
            var waitText = waits.Count == 0 ? "running" : "waiting on " + string.Join("; ", waits);
            var age = p.AgeSeconds.ToString("0", CultureInfo.InvariantCulture);
            // GOMODCACHE/cache/lock guards the whole cache; VERSION.lock one module version.
            var lockFiles = live.HeldBy(p.Pid).Select(l => l.Path).ToList();
            var holdsCacheLock = holdsFileLock && lockFiles.Count > 0;
            var stuck = p.AgeSeconds >= LongRunningSeconds && (waitsForFileLock || remote.Count > 0 || p.State.StartsWith('D') || holdsCacheLock);
            var extra = "";
            if (holdsCacheLock)
            {
                extra += $" It holds the module-cache lock {string.Join(", ", lockFiles)}: other go commands that need the same modules wait for it.";
            }
            else if (stuck)
            {
                extra += " Other go commands that need the same modules wait for it.";
            }

            var networkCache = facts?.Locations.FirstOrDefault(l => l.Role == "GOMODCACHE" && Network.IsNetwork(l.FileSystemType));
            var inLockCode = waitsForFileLock || p.State.StartsWith('D') || p.Wchan.Contains("lock", StringComparison.Ordinal) || p.Wchan.Contains("nfs", StringComparison.Ordinal) || p.Wchan.Contains("rpc", StringComparison.Ordinal);
            if (networkCache is not null && inLockCode)
            {
                extra += $" GOMODCACHE is on {networkCache.FileSystemType} ({networkCache.MountSource}): a flock there can block forever when the server's locking does not work (GBMOD003).";
            }

            var evidence = new List<Evidence>
            {
                new("pid", p.Pid.ToString(CultureInfo.InvariantCulture)),
                new("command", p.CommandLine),
                new("state", p.StateText),
                new("wchan", p.Wchan.Length > 0 ? p.Wchan : "(running)"),
                new("age", $"{age} s"),
            };
            if (p.ThreadWaits.Count > 0) evidence.Add(new Evidence("thread waits", string.Join(", ", p.ThreadWaits)));
            if (p.WorkingDirectory is not null) evidence.Add(new Evidence("working directory", p.WorkingDirectory));
            if (remote.Count > 0) evidence.Add(new Evidence("connections", string.Join("; ", remote)));
            if (p.Files.Count > 0) evidence.Add(new Evidence("cache files open", string.Join(", ", p.Files)));
            foreach (var l in live.HeldBy(p.Pid)) evidence.Add(new Evidence("holds lock", $"{l.Path} ({l.Mode}, /proc/locks)"));
            foreach (var l in live.WaitedOnBy(p.Pid)) evidence.Add(new Evidence("waits for lock", $"{l.Path}, held by pid {l.HolderPid} (/proc/locks)"));

            yield return Descriptor.Finding(
                $"{p.Name} (pid {p.Pid}: {Short(p.CommandLine)}) has been running for {age} s, state {p.StateText}, {waitText}.{extra}",
                $"{p.Name}: {Short(Program(p.CommandLine))}") with
            {
                Severity = stuck ? Severity.Warning : Severity.Note,
                Location = Facts.ModuleLine(snapshot),
                Evidence = evidence,
                Fixes =
                [
                    Fix.Run("See where it is stuck", $"cat /proc/{p.Pid}/wchan; echo; ls -l /proc/{p.Pid}/fd; grep -w {p.Pid} /proc/locks",
                        "None; it only reads."),
                    Fix.Run("Fill the module cache once before starting parallel builds", "go mod download",
                        "None; one download pass, after which parallel builds no longer queue on module locks."),
                    Fix.Run("Stop it", $"kill {p.Pid}",
                        "Its build or download fails; an interrupted download leaves .partial/.lock/.tmp files that the next go command repairs (GBMOD004)."),
                ],
            };
        }
    }

    /// <summary>
    /// Whether a go process has to do with this scan: it has files open under GOMODCACHE, GOCACHE or
    /// the workspace (the collector records only those), holds or waits for one of their locks, or
    /// runs in the workspace. Other go processes of the machine (another project's build, an editor's
    /// gopls elsewhere) neither wait for nor block this module's builds.
    /// </summary>
    private static bool Concerns(LiveProcess p, Snapshot s) =>
        p.Files.Count > 0
        || s.LiveProcesses.HeldBy(p.Pid).Any() || s.LiveProcesses.WaitedOnBy(p.Pid).Any()
        || (s.Workspace.Root.Length > 0 && p.WorkingDirectory is { } cwd
            && (cwd == s.Workspace.Root || cwd.StartsWith(s.Workspace.Root.TrimEnd('/') + "/", StringComparison.Ordinal)));

    /// <summary>The command line with its program by name (`go mod download`, not `/usr/local/go/bin/go mod download`): the subject must not depend on where go is installed.</summary>
    private static string Program(string commandLine)
    {
        var parts = commandLine.Split(' ', 2);
        return parts.Length == 1 ? Path.GetFileName(parts[0]) : $"{Path.GetFileName(parts[0])} {parts[1]}";
    }

    private static string Short(string commandLine) =>
        commandLine.Length <= 80 ? commandLine : commandLine[..77] + "...";
}
