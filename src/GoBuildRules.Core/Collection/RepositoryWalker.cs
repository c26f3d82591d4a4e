using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Enumeration;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>Bounds of the one repository walk of a scan.</summary>
/// <param name="MaxGoBytes">How much of a .go file is read: imports come first, so the head is enough.</param>
public sealed record RepositoryWalkBudget(int MaxEntries, TimeSpan Time, int MaxGoBytes = 256 * 1024)
{
    public static RepositoryWalkBudget Default { get; } = new(2_000_000, TimeSpan.FromSeconds(2.5));
}

/// <summary>
/// The one walk of the repository per scan (<see cref="RepositoryIndex"/>). Folders are listed by a
/// few workers sharing a stack of pending folders (a 100,000-directory tree is kernel-bound, and a
/// second core halves it). Symbolic links are recognised from d_type and skipped, so no folder costs
/// a stat and a loop cannot trap the walk. Each folder carries whether go's package walk would enter
/// it (<see cref="GoPackageTree"/>); only .go files there are opened, and only their head.
/// </summary>
public static class RepositoryWalker
{
    private const int MaxCgoFiles = 1000;
    private const int MaxNative = 300;
    private const int MaxListed = 50;
    private const int MaxTestFiles = 3000;

    private static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        ReturnSpecialDirectories = false,
    };

    /// <summary>Root files a file watcher may be configured or started from.</summary>
    private static readonly HashSet<string> RootWatcherFiles = new(StringComparer.Ordinal)
    {
        ".air.toml", "air.toml", ".air.conf", ".reflex", "reflex.conf", "Makefile", "makefile", "GNUmakefile",
        "Taskfile.yml", "Taskfile.yaml", "justfile", "Justfile", "Procfile", "Procfile.dev", "package.json",
        "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml", "Tiltfile", ".gitignore",
    };

    public static RepositoryIndex Walk(string root, RepositoryWalkBudget budget, CancellationToken ct) =>
        Walk(root, budget, Math.Clamp(Environment.ProcessorCount, 1, 4), ct);

    public static RepositoryIndex Walk(string root, RepositoryWalkBudget budget, int workers, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(root))
        {
            return new RepositoryIndex { Root = root };
        }

        var shared = new Shared(root, budget, clock, ct);
        shared.Pending.Push(new Dir(root, Flags.Go));
        var walkers = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => new Worker(shared)).ToList();
        var threads = walkers.Skip(1).Select(w => new Thread(w.Run) { IsBackground = true, Name = "gbr-repo-walk" }).ToList();
        threads.ForEach(t => t.Start());
        walkers[0].Run();
        threads.ForEach(t => t.Join());

        var top = Merge(walkers.Select(w => w.Top));
        var nodeModules = Merge(walkers.Select(w => w.NodeModules));
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (k, v) in walkers.SelectMany(w => w.Kinds)) kinds[k] = kinds.GetValueOrDefault(k) + v;

        return new RepositoryIndex
        {
            Walked = true,
            Root = root,
            Directories = 1 + walkers.Sum(w => w.Directories),
            Files = walkers.Sum(w => w.Files),
            Entries = shared.Entries,
            Unreadable = walkers.Sum(w => w.Unreadable),
            Truncated = shared.Stop is not null,
            TruncatedBy = shared.Stop,
            ElapsedMilliseconds = clock.ElapsedMilliseconds,
            FilesByKind = new SortedDictionary<string, int>(kinds, StringComparer.Ordinal),
            TestdataDirectories = walkers.Sum(w => w.Testdata),
            Vendor = top.TryGetValue("vendor", out var vendor) ? new SubtreeSize("vendor", vendor.Dirs, vendor.Files) : null,
            NodeModulesDirectories = nodeModules.Values.Sum(v => v.Dirs),
            NodeModules = nodeModules.OrderByDescending(kv => kv.Value.Dirs).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(MaxListed)
                .Select(kv => new SubtreeSize(kv.Key, kv.Value.Dirs, kv.Value.Files)).ToList(),
            Largest = top.Where(kv => kv.Value.Dirs > 0).OrderByDescending(kv => kv.Value.Dirs).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(10)
                .Select(kv => new SubtreeSize(kv.Key, kv.Value.Dirs, kv.Value.Files)).ToList(),
            Go = new GoPackageTree
            {
                Directories = walkers.Sum(w => w.GoDirectories),
                Files = walkers.Sum(w => w.GoFiles),
                NestedModules = walkers.SelectMany(w => w.Nested).Order(StringComparer.Ordinal).Take(MaxListed).ToList(),
                TestFiles = walkers.SelectMany(w => w.Tests).Order(StringComparer.Ordinal).Take(MaxTestFiles).ToList(),
                TestFileCount = walkers.Sum(w => w.TestCount),
                CgoFiles = walkers.SelectMany(w => w.Cgo).OrderBy(f => f.Path, StringComparer.Ordinal).Take(MaxCgoFiles).ToList(),
                NativeSources = walkers.SelectMany(w => w.Native).OrderBy(f => f.Path, StringComparer.Ordinal).Take(MaxNative).ToList(),
                NativeSourcesNotListed = Math.Max(0, walkers.Sum(w => w.NativeSeen) - MaxNative),
                Unreadable = walkers.SelectMany(w => w.GoUnreadable).Order(StringComparer.Ordinal).Take(20).ToList(),
            },
            WatcherConfigs = walkers.SelectMany(w => w.WatcherConfigs).Order(StringComparer.Ordinal).ToList(),
        };
    }

    private static Dictionary<string, (int Dirs, int Files)> Merge(IEnumerable<Dictionary<string, (int Dirs, int Files)>> parts)
    {
        var merged = new Dictionary<string, (int Dirs, int Files)>(StringComparer.Ordinal);
        foreach (var (k, v) in parts.SelectMany(p => p))
        {
            var m = merged.GetValueOrDefault(k);
            merged[k] = (m.Dirs + v.Dirs, m.Files + v.Files);
        }

        return merged;
    }

    [Flags]
    private enum Flags
    {
        None = 0,

        /// <summary>go's package walk enters this folder.</summary>
        Go = 1,

        /// <summary>Below the top-level vendor/.</summary>
        Vendor = 2,

        Testdata = 4,
    }

    /// <param name="NodeModules">The outermost node_modules folder above (or at) this one, repo-relative.</param>
    private readonly record struct Dir(string FullPath, Flags Flags, string? NodeModules = null);

    private sealed class Shared(string root, RepositoryWalkBudget budget, Stopwatch clock, CancellationToken ct)
    {
        public readonly string Root = root;
        public readonly RepositoryWalkBudget Budget = budget;
        public readonly ConcurrentStack<Dir> Pending = new();
        public int Active;
        public int Entries;
        private string? stop;

        public string? Stop => Volatile.Read(ref stop);

        /// <summary>Adds a folder's entries to the budget; false once the walk must stop.</summary>
        public bool Charge(int entries)
        {
            var total = Interlocked.Add(ref Entries, entries);
            if (Stop is not null) return false;
            var why = total >= Budget.MaxEntries ? $"entry budget of {Budget.MaxEntries} entries"
                : clock.Elapsed > Budget.Time ? $"time budget of {Budget.Time.TotalSeconds:0.##} s"
                : ct.IsCancellationRequested ? "scan's deadline"
                : null;
            if (why is null) return true;
            Interlocked.CompareExchange(ref stop, why, null);
            return false;
        }
    }

    private sealed class Worker(Shared shared)
    {
        public readonly Dictionary<string, (int Dirs, int Files)> Top = new(StringComparer.Ordinal);
        public readonly Dictionary<string, (int Dirs, int Files)> NodeModules = new(StringComparer.Ordinal);
        public readonly Dictionary<string, int> Kinds = new(StringComparer.Ordinal);
        public readonly List<string> Nested = [];
        public readonly List<CgoFileRef> Cgo = [];
        public readonly List<NativeFileRef> Native = [];
        public readonly List<string> GoUnreadable = [];
        public readonly List<string> Tests = [];
        public readonly List<string> WatcherConfigs = [];
        public int Directories, Files, Unreadable, Testdata, GoDirectories, GoFiles, NativeSeen, TestCount;
        private readonly List<(string Name, bool IsDirectory)> entries = [];

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

        private void Visit(Dir dir)
        {
            var isRoot = dir.FullPath.Length == shared.Root.Length;
            var rel = isRoot ? "" : Relative(dir.FullPath);
            entries.Clear();
            try
            {
                var listing = new FileSystemEnumerable<(string, bool)>(dir.FullPath, (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory), OneLevel)
                {
                    ShouldIncludePredicate = (ref FileSystemEntry e) => !(isRoot && e.IsDirectory && e.FileName is ".git"),
                };
                entries.AddRange(listing);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Unreadable++;
                if ((dir.Flags & Flags.Go) != 0) GoUnreadable.Add(rel.Length == 0 ? "." : rel);
                shared.Charge(0);
                return;
            }

            // A nested module's tree is its own: go's package walk stops at a folder with a go.mod.
            var go = (dir.Flags & Flags.Go) != 0;
            if (go && !isRoot && entries.Exists(e => !e.IsDirectory && e.Name == "go.mod"))
            {
                go = false;
                Nested.Add(rel);
            }

            if (go) GoDirectories++;
            var topName = TopOf(rel);
            var files = 0;
            foreach (var (name, isDirectory) in entries)
            {
                var childRel = rel.Length == 0 ? name : rel + "/" + name;
                if (isDirectory)
                {
                    Directories++;
                    var flags = dir.Flags & ~Flags.Go;
                    if (go && !(name.StartsWith('.') || name.StartsWith('_') || name == "testdata")) flags |= Flags.Go;
                    if (isRoot && name == "vendor") flags |= Flags.Vendor;
                    if (name == "testdata") flags |= Flags.Testdata;
                    if ((flags & Flags.Testdata) != 0) Testdata++;
                    var nodeModules = dir.NodeModules ?? (name == "node_modules" ? childRel : null);
                    if (nodeModules is not null) Add(NodeModules, nodeModules, 1, 0);
                    Add(Top, isRoot ? name : topName, 1, 0);
                    shared.Pending.Push(new Dir(Path.Join(dir.FullPath, name), flags, nodeModules));
                    continue;
                }

                files++;
                var kind = FileKinds.Of(name);
                Kinds[kind] = Kinds.GetValueOrDefault(kind) + 1;
                if (isRoot ? RootWatcherFiles.Contains(name) || name.EndsWith(".sh", StringComparison.Ordinal) || name.EndsWith(".code-workspace", StringComparison.Ordinal)
                    : IsNestedWatcherConfig(rel, name))
                {
                    WatcherConfigs.Add(childRel);
                }

                if (!go || name.StartsWith('.') || name.StartsWith('_'))
                {
                    continue;
                }

                GoFiles++;
                var vendor = (dir.Flags & Flags.Vendor) != 0;
                if (kind == FileKinds.Go)
                {
                    if (!vendor && name.EndsWith("_test.go", StringComparison.Ordinal))
                    {
                        TestCount++;
                        if (Tests.Count < MaxTestFiles) Tests.Add(childRel);
                    }

                    ReadGoFile(Path.Join(dir.FullPath, name), childRel, vendor);
                }
                else if (FileKinds.IsNative(name))
                {
                    NativeSeen++;
                    if (Native.Count < MaxNative) Native.Add(new NativeFileRef(childRel, kind) { Vendor = vendor });
                }
            }

            Files += files;
            if (!isRoot) Add(Top, topName, 0, files);
            if (dir.NodeModules is not null) Add(NodeModules, dir.NodeModules, 0, files);
            shared.Charge(entries.Count);
        }

        private static bool IsNestedWatcherConfig(string dir, string name) =>
            (dir == "scripts" && name.EndsWith(".sh", StringComparison.Ordinal))
            || (dir == ".vscode" && name is "settings.json" or "tasks.json");

        private void ReadGoFile(string full, string relative, bool vendor)
        {
            try
            {
                using var stream = new FileStream(full, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.ReadWrite, Options = FileOptions.SequentialScan, BufferSize = 0 });
                // Zero length also covers FIFOs and other special files, which would block a read.
                var length = stream.CanSeek ? stream.Length : 0;
                if (length == 0) return;
                var buffer = new byte[(int)Math.Min(length, shared.Budget.MaxGoBytes)];
                var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
                var head = buffer.AsSpan(0, read);
                // Cheap filter: without a quoted C there is no import "C".
                if (head.IndexOf("\"C\""u8) < 0 && head.IndexOf("`C`"u8) < 0) return;
                if (GoImportReader.ImportCLine(head) is { } line && Cgo.Count < MaxCgoFiles)
                {
                    Cgo.Add(new CgoFileRef(relative, line) { Vendor = vendor });
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                GoUnreadable.Add(relative);
            }
        }

        private string Relative(string full) =>
            Path.DirectorySeparatorChar == '/' ? full[(shared.Root.Length + 1)..] : full[(shared.Root.Length + 1)..].Replace('\\', '/');

        private static string TopOf(string rel)
        {
            var slash = rel.IndexOf('/');
            return slash < 0 ? rel : rel[..slash];
        }

        private static void Add(Dictionary<string, (int Dirs, int Files)> counts, string key, int dirs, int files)
        {
            var c = counts.GetValueOrDefault(key);
            counts[key] = (c.Dirs + dirs, c.Files + files);
        }
    }
}
