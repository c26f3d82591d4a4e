using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Rules;

public sealed class InotifyWatchesRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBVND001",
        "Not enough inotify watches for a watcher of this repository",
        "watchers",
        Severity.Warning,
        "A recursive file watcher of this repository needs more inotify watches than the user has left.",
        "Recursive watchers (air, reflex, CompileDaemon, watchexec, VS Code, gopls' client, webpack) add one inotify watch per directory, vendor/ and node_modules/ included. The kernel allows fs.inotify.max_user_watches per user across all of that user's processes; when they run out, inotify_add_watch fails with ENOSPC, which tools print as 'no space left on device' although the disk is fine, or they silently stop noticing changes in the directories they could not watch. The rule compares the repository's directory count with the limit minus what the user's processes hold now; it warns when a second watcher (an IDE beside a reloader) would run out.")
    {
        HelpMarkdown = "Confirm with `cat /proc/sys/fs/inotify/max_user_watches` and count directories with `find . -type d | wc -l`. Exclude vendor/ and node_modules/ from watchers first; raise the sysctl second.",
        Tags = ["watchers", "inotify", "vendor"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        var tree = snapshot.Repository;
        if (f is null || !f.Inotify.Available || f.Inotify.MaxUserWatches is not { } max || !tree.Walked)
        {
            yield break;
        }

        var need = (long)tree.Directories;
        var inUse = (long)f.Inotify.WatchesInUse;
        var available = Math.Max(0, max - inUse);
        if (2 * need <= available)
        {
            yield break;
        }

        var exhausted = need > available;
        var lowerBound = tree.Truncated ? " at least" : "";
        var message = exhausted
            ? $"A watcher of this repository needs{lowerBound} {Support.Count(need)} inotify watches (one per directory) but only {Support.Count(available)} of fs.inotify.max_user_watches={Support.Count(max)} are left ({Support.Count(inUse)} in use): it will fail with 'no space left on device' or silently miss changes."
            : $"A watcher of this repository needs{lowerBound} {Support.Count(need)} inotify watches and {Support.Count(available)} are left of fs.inotify.max_user_watches={Support.Count(max)}: a second watcher (an IDE beside air or reflex) will fail with 'no space left on device'.";

        var heavy = new List<string>();
        if (Support.VendorDirectories(tree) > 0) heavy.Add("vendor");
        if (tree.NodeModulesDirectories > 0) heavy.Add("node_modules");
        if (heavy.Count == 0) heavy.AddRange(Support.Largest(tree).Take(2).Select(l => l.Path));

        var evidence = new List<Evidence>
        {
            new("directories", Support.Count(need) + (tree.Truncated ? $" (lower bound: walk stopped at the {tree.TruncatedBy})" : "")),
            new("vendor/ directories", Support.Count(Support.VendorDirectories(tree))),
            new("node_modules/ directories", Support.Count(tree.NodeModulesDirectories)),
            new("fs.inotify.max_user_watches", Support.Count(max)),
            new("watches in use (this user)", Support.Count(inUse) + (f.Inotify.Truncated ? " (lower bound)" : "")),
        };
        evidence.AddRange(f.Inotify.Holders.Where(h => h.Uid == f.Inotify.Uid).Take(3)
            .Select(h => new Evidence($"pid {h.Pid}", $"{h.Command}: {Support.Count(h.Watches)} watches")));
        evidence.AddRange(Support.Largest(tree).Take(3).Select(l => new Evidence($"largest: {l.Path}/", Support.Count(l.Directories) + " directories")));

        var target = Support.Target(inUse, need, 524_288);
        yield return Descriptor.Finding(message, "fs.inotify.max_user_watches") with
        {
            Location = Support.Watcher(f, snapshot),
            Evidence = evidence,
            Fixes =
            [
                .. Support.Exclusions(f, heavy),
                .. Support.RaiseSysctl("max_user_watches", target,
                    $"Each watch in use pins about 1 KB of unswappable kernel memory (64-bit), so {Support.Count(target)} watches can cost up to {target / 1024:N0} MB if a runaway watcher uses them all."),
            ],
        };
    }
}
