using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Rules;

public sealed class InotifyInstancesRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBVND002",
        "inotify instances nearly used up",
        "watchers",
        Severity.Warning,
        "The user's processes hold (nearly) fs.inotify.max_user_instances inotify instances: the next watcher cannot start.",
        "Every watching program (each VS Code window and extension host, gopls' client, air, reflex, node tooling, systemd units) opens one or more inotify instances; the kernel allows fs.inotify.max_user_instances per user, 128 by default. When they are used up, inotify_init fails with EMFILE, printed as 'too many open files' although ulimit -n is fine, and the watcher either exits or falls back to missing changes.")
    {
        HelpMarkdown = "Confirm with `cat /proc/sys/fs/inotify/max_user_instances` and `find /proc/*/fd -lname anon_inode:inotify | cut -d/ -f3 | sort | uniq -c | sort -nr` (which processes hold them).",
        Tags = ["watchers", "inotify"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null || !f.Inotify.Available || f.Inotify.MaxUserInstances is not { } max || max <= 0)
        {
            yield break;
        }

        var inUse = (long)f.Inotify.InstancesInUse;
        if (inUse * 10 < max * 8)
        {
            yield break;
        }

        var exhausted = inUse >= max;
        var mine = f.Inotify.Holders.Where(h => h.Uid == f.Inotify.Uid).OrderByDescending(h => h.Instances).Take(5).ToList();
        var evidence = new List<Evidence>
        {
            new("fs.inotify.max_user_instances", Support.Count(max)),
            new("instances in use (this user)", Support.Count(inUse) + (f.Inotify.Truncated ? " (lower bound)" : "")),
        };
        evidence.AddRange(mine.Select(h => new Evidence($"pid {h.Pid}", $"{h.Command}: {h.Instances} instances, {Support.Count(h.Watches)} watches")));

        var top = mine.FirstOrDefault();
        var target = Math.Max(1024, (inUse + 64 + 127) / 128 * 128);
        yield return Descriptor.Finding(
            exhausted
                ? $"All {Support.Count(max)} inotify instances of this user are in use: the next watcher (air, gopls' client, an editor window) fails with 'too many open files'."
                : $"{Support.Count(inUse)} of {Support.Count(max)} inotify instances of this user are in use: a few more watchers and the next fails with 'too many open files'.",
            "fs.inotify.max_user_instances") with
        {
            Location = Support.Module(snapshot),
            Evidence = evidence,
            Fixes =
            [
                Fix.Run("See which processes hold the instances and close the idle ones (old editor windows, stale dev servers)",
                    "find /proc/*/fd -lname anon_inode:inotify 2>/dev/null | cut -d/ -f3 | sort | uniq -c | sort -nr | head" + (top is null ? "" : $"; ps -o pid,cmd -p {top.Pid}"),
                    "None; it only lists processes."),
                .. Support.RaiseSysctl("max_user_instances", target,
                    "Each instance costs a little kernel memory; a higher limit also lets a runaway program open more before it is stopped."),
            ],
        };
    }
}
