using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Enumeration;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>
/// Counts the directories a recursive watcher of the repository would add, within a time and an
/// entry budget. Symbolic links are skipped from their d_type, never followed, so a link loop cannot
/// trap the walk and no directory costs a stat; .git's insides are skipped because watchers ignore
/// them. Directories are shared among a few workers (a stack of pending folders), since a 100,000
/// directory tree is kernel-bound and a second core halves it.
/// </summary>
internal static class TreeWalker
{
    public sealed record Budget(int MaxEntries, TimeSpan Time);

    public static readonly Budget Default = new(2_000_000, TimeSpan.FromSeconds(2.5));

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        ReturnSpecialDirectories = false,
    };

    public static DirectoryTreeFacts Walk(string root, Budget budget, CancellationToken ct) =>
        Walk(root, budget, Math.Clamp(Environment.ProcessorCount, 1, 4), ct);

    public static DirectoryTreeFacts Walk(string root, Budget budget, int workers, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(root))
        {
            return new DirectoryTreeFacts();
        }

        var shared = new Shared(root, budget, sw, ct);
        shared.Pending.Push(root);
        var walkers = Enumerable.Range(0, workers).Select(_ => new Worker(shared)).ToList();
        var threads = walkers.Skip(1).Select(w => new Thread(w.Run) { IsBackground = true, Name = "gbvnd-walk" }).ToList();
        threads.ForEach(t => t.Start());
        walkers[0].Run();
        threads.ForEach(t => t.Join());

        var top = new Dictionary<string, int>(StringComparer.Ordinal);
        var modulesRoots = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var w in walkers)
        {
            foreach (var (k, v) in w.Top) top[k] = top.GetValueOrDefault(k) + v;
            foreach (var (k, v) in w.ModulesRoots) modulesRoots[k] = modulesRoots.GetValueOrDefault(k) + v;
        }

        var largest = top.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10)
            .Concat(modulesRoots.Where(kv => kv.Key.Contains('/')).OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10))
            .Select(kv => new SubtreeCount(kv.Key, kv.Value))
            .ToList();

        return new DirectoryTreeFacts
        {
            Walked = true,
            Directories = 1 + walkers.Sum(w => w.Directories),
            Entries = shared.Entries,
            VendorDirectories = walkers.Sum(w => w.Vendor),
            NodeModulesDirectories = walkers.Sum(w => w.NodeModules),
            TestdataDirectories = walkers.Sum(w => w.Testdata),
            Unreadable = walkers.Sum(w => w.Unreadable),
            Truncated = shared.Stop is not null,
            TruncatedBy = shared.Stop,
            ElapsedMilliseconds = sw.ElapsedMilliseconds,
            Largest = largest,
        };
    }

    private sealed class Shared(string root, Budget budget, Stopwatch clock, CancellationToken ct)
    {
        public readonly string Root = root;
        public readonly ConcurrentStack<string> Pending = new();
        public int Active;
        public int Entries;
        private string? stop;

        public string? Stop => Volatile.Read(ref stop);

        /// <summary>Adds a folder's entries to the budget; false once the walk must stop.</summary>
        public bool Charge(int entries)
        {
            var total = Interlocked.Add(ref Entries, entries);
            if (Stop is not null) return false;
            var why = total >= budget.MaxEntries ? $"entry budget of {budget.MaxEntries} entries"
                : clock.Elapsed > budget.Time ? $"time budget of {budget.Time.TotalSeconds:0.##} s"
                : ct.IsCancellationRequested ? "the scan's deadline"
                : null;
            if (why is null) return true;
            Interlocked.CompareExchange(ref stop, why, null);
            return false;
        }
    }

    private sealed class Worker(Shared shared)
    {
        public readonly Dictionary<string, int> Top = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> ModulesRoots = new(StringComparer.Ordinal);
        public int Directories, Vendor, NodeModules, Testdata, Unreadable;

        public void Run()
        {
            var spin = new SpinWait();
            while (true)
            {
                // Counted as active before popping, so an idle worker never sees "no work, nobody busy"
                // while a popped folder is still about to push its children.
                Interlocked.Increment(ref shared.Active);
                if (shared.Pending.TryPop(out var dir))
                {
                    if (shared.Stop is null) Visit(dir);
                    Interlocked.Decrement(ref shared.Active);
                    spin = default;
                    continue;
                }

                if (Interlocked.Decrement(ref shared.Active) == 0 && shared.Pending.IsEmpty)
                {
                    return;
                }

                spin.SpinOnce();
            }
        }

        private void Visit(string dir)
        {
            var isRoot = dir.Length == shared.Root.Length;
            var entries = 0;
            try
            {
                var children = new FileSystemEnumerable<string?>(dir, (ref FileSystemEntry e) => e.IsDirectory ? e.ToFullPath() : null, OneLevel)
                {
                    ShouldIncludePredicate = (ref FileSystemEntry e) =>
                    {
                        entries++;
                        return e.IsDirectory && !(isRoot && e.FileName is ".git");
                    },
                };
                foreach (var child in children)
                {
                    Count(child!);
                    shared.Pending.Push(child!);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Unreadable++;
            }

            shared.Charge(entries);
        }

        private void Count(string full)
        {
            Directories++;
            // Facts use forward slashes on every OS; only Windows pays for the copy.
            var rel = Path.DirectorySeparatorChar == '/' ? full.AsSpan(shared.Root.Length + 1) : full[(shared.Root.Length + 1)..].Replace('\\', '/');
            var slash = rel.IndexOf('/');
            var first = slash < 0 ? rel : rel[..slash];
            var lookup = Top.GetAlternateLookup<ReadOnlySpan<char>>();
            lookup[first] = lookup.TryGetValue(first, out var n) ? n + 1 : 1;
            if (first.SequenceEqual("vendor"))
            {
                Vendor++;
            }

            var nm = Segment(rel, "node_modules");
            if (nm >= 0)
            {
                NodeModules++;
                var key = rel[..(nm + "node_modules".Length)];
                var roots = ModulesRoots.GetAlternateLookup<ReadOnlySpan<char>>();
                roots[key] = roots.TryGetValue(key, out var m) ? m + 1 : 1;
            }

            if (Segment(rel, "testdata") >= 0)
            {
                Testdata++;
            }
        }

        /// <summary>Where a whole path segment named so starts, or -1.</summary>
        private static int Segment(ReadOnlySpan<char> rel, string name)
        {
            var offset = 0;
            while (true)
            {
                var at = rel[offset..].IndexOf(name, StringComparison.Ordinal);
                if (at < 0) return -1;
                at += offset;
                var end = at + name.Length;
                if ((at == 0 || rel[at - 1] == '/') && (end == rel.Length || rel[end] == '/')) return at;
                offset = at + 1;
            }
        }
    }
}
