using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class LockHeldByStuckProcessRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD016",
        "A go command waits for a cache lock that a stuck process holds",
        "cache",
        Severity.Error,
        "A go command is blocked on a file lock under GOMODCACHE, GOCACHE or the workspace (/proc/locks), and the process holding it will not let go: it is stopped, itself waiting for another lock or a stalled proxy, not a go command at all, or asleep for minutes without using the CPU. The same when no go command waits yet but the build needs the lock: go.mod requires a module that is not in the module cache, so `go build` must take its download lock, which such a process holds. A lock held by a process that is not a go command on a module already in the cache is a note.",
        "cmd/go serialises the module cache with flock(2) locks (lockedfile): GOMODCACHE/cache/download/MODULE/@v/VERSION.lock while a module version is downloaded and extracted, GOMODCACHE/cache/lock while go.sum is rewritten, go.mod and go.sum themselves while they are edited. A go command that needs one of them waits without a timeout and without a word for as long as the holder keeps it. When the holder is stuck, the waiting build hangs forever: the holder is the cause, not the module or the network of the waiting command.")
    {
        HelpMarkdown = "`cat /proc/locks` lists the locks (\"->\" lines are blocked waiters); `ps -o pid,stat,etime,args -p PID` shows the holder.",
        Tags = ["cache", "hang", "processes", "lock"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var live = snapshot.LiveProcesses;
        var stuck = LockHolders.Stuck(snapshot);
        foreach (var (l, holder, why, waiters) in stuck)
        {
            var module = LockHolders.ModuleOf(snapshot, l.Path);
            var keeping = live.KeepingHeld(l);
            var waiting = string.Join("; ", waiters.Select(LockHolders.Describe));
            yield return Descriptor.Finding(
                $"{waiting} {(waiters.Count == 1 ? "is" : "are")} blocked on the lock {l.Path}{(module is null ? "" : $" ({module})")}, held by {LockHolders.Describe(holder)}, which will not release it: {why}. The go command waits for a file lock without a timeout, so {(waiters.Count == 1 ? "it hangs" : "they hang")} until pid {holder.Pid} lets go.",
                LockHolders.Subject(snapshot, l.Path)) with
            {
                Location = module is null ? Facts.ModuleLine(snapshot) : Facts.Requirement(snapshot, module[..module.LastIndexOf('@')], module[(module.LastIndexOf('@') + 1)..]),
                Evidence =
                [
                    new Evidence("lock", $"{l.Path} ({l.Type} {l.Mode}, {l.FileId})"),
                    new Evidence("holder pid", holder.Pid.ToString(CultureInfo.InvariantCulture)),
                    new Evidence("holder command", holder.CommandLine),
                    new Evidence("holder state", $"{holder.StateText}, wchan {(holder.Wchan.Length > 0 ? holder.Wchan : "(running)")}"),
                    new Evidence("holder age", $"{LockHolders.Seconds(holder.AgeSeconds)} s ({holder.CpuSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s CPU)"),
                    new Evidence("why it is stuck", why),
                    .. keeping.Skip(1).Select(pid => new Evidence("also holds the file open", live.Process(pid) is { } c ? $"pid {pid}: {c.CommandLine}" : $"pid {pid}")),
                    .. waiters.Select(w => new Evidence("waiting", $"pid {w.Pid}: {w.CommandLine} ({LockHolders.Seconds(w.AgeSeconds)} s, wchan {w.Wchan})")),
                ],
                Fixes =
                [
                    Fix.Run("See the lock and its holder", $"grep -e ' {holder.Pid} ' -e '-> ' /proc/locks; ps -o pid,ppid,stat,etime,args -p {string.Join(',', keeping)}",
                        "None; it only reads."),
                    Fix.Run($"Stop the holder{(keeping.Count > 1 ? " and the children that share the locked file" : "")}", "kill " + string.Join(' ', keeping.Select(p => p.ToString(CultureInfo.InvariantCulture))),
                        holder.IsGoTool
                            ? $"Its command ({LockHolders.Short(holder.CommandLine)}) fails; a download it interrupts leaves .partial/.tmp files that the next go command repairs (GBMOD004). The waiting go command then takes the lock and goes on."
                            : $"Whatever {holder.Name} was doing under the lock is aborted ({LockHolders.Short(holder.CommandLine)}); a flock is released only when every process sharing the file has exited. The waiting go command then takes the lock and goes on."),
                ],
            };
        }

        // Nobody waits yet, but the build needs the lock: a required module that is not in the cache,
        // so go must take its download lock, held by a process that will not let go. The build hangs.
        var blocking = LockHolders.BlockingTheBuild(snapshot);
        foreach (var (l, holder, module, need, why) in blocking)
        {
            var keeping = live.KeepingHeld(l);
            yield return Descriptor.Finding(
                $"{LockHolders.Describe(holder)} holds the download lock {l.Path} of {module}, which go.mod requires and the module cache lacks ({need}). `go build` and `go mod download` must take that lock to fetch it and wait for a file lock without a timeout: they hang until pid {holder.Pid} lets go.",
                LockHolders.Subject(snapshot, l.Path)) with
            {
                Location = Facts.Requirement(snapshot, module[..module.LastIndexOf('@')], module[(module.LastIndexOf('@') + 1)..]),
                Evidence =
                [
                    .. Held(l, holder),
                    new Evidence("module cache", need),
                    .. why is null ? Array.Empty<Evidence>() : [new Evidence("why it is stuck", why)],
                ],
                Fixes =
                [
                    See(l, holder, live),
                    Fix.Run($"Stop the holder{(keeping.Count > 1 ? " and the children that share the locked file" : "")}", "kill " + string.Join(' ', keeping.Select(p => p.ToString(CultureInfo.InvariantCulture))),
                        holder.IsGoTool
                            ? $"Its command ({LockHolders.Short(holder.CommandLine)}) fails; a download it interrupts leaves .partial/.tmp files that the next go command repairs (GBMOD004)."
                            : $"Whatever {holder.Name} was doing under the lock is aborted ({LockHolders.Short(holder.CommandLine)}); a flock is released only when every process sharing the file has exited. The next go command then takes the lock and downloads {module}."),
                ],
            };
        }

        // A lock that a process other than go holds, with nobody waiting and no build needing it now
        // (its module is in the cache): a go command that must download that module again will wait.
        var reported = stuck.Select(x => x.Lock).Concat(blocking.Select(x => x.Lock)).ToHashSet();
        foreach (var l in live.Locks.Where(l => !reported.Contains(l) && l.WaiterPids.Count == 0))
        {
            if (live.Process(l.HolderPid) is not { IsGoTool: false } holder)
            {
                continue;
            }

            var module = LockHolders.ModuleOf(snapshot, l.Path);
            yield return Descriptor.Finding(
                $"{LockHolders.Describe(holder)} holds go's lock {l.Path}{(module is null ? "" : $" ({module})")}. No go command waits for it now; the next one that needs {(module is null ? "this file" : $"to download {module} again")} will wait until pid {holder.Pid} lets go.",
                LockHolders.Subject(snapshot, l.Path)) with
            {
                Severity = Severity.Note,
                Location = Facts.ModuleLine(snapshot),
                Evidence = Held(l, holder),
                Fixes = [See(l, holder, live)],
            };
        }
    }

    private static Evidence[] Held(FileLockFact l, LiveProcess holder) =>
    [
        new("lock", $"{l.Path} ({l.Type} {l.Mode}, {l.FileId})"),
        new("holder pid", holder.Pid.ToString(CultureInfo.InvariantCulture)),
        new("holder command", holder.CommandLine),
        new("holder state", holder.StateText),
        new("holder age", $"{LockHolders.Seconds(holder.AgeSeconds)} s"),
    ];

    private static Fix See(FileLockFact l, LiveProcess holder, LiveProcessFacts live) =>
        Fix.Run("See the lock and its holder", $"grep ' {holder.Pid} ' /proc/locks; ps -o pid,ppid,stat,etime,args -p {string.Join(',', live.KeepingHeld(l))}",
            "None; it only reads.");
}
