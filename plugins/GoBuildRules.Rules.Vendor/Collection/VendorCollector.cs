using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>
/// Collects inotify limits and use and reads the repository's watcher configs. The directory counts,
/// the mount and which files exist come from the scan's core facts (<see cref="Snapshot.Repository"/>,
/// <see cref="Snapshot.Mounts"/>, <see cref="Snapshot.Ci"/>): the pack does not walk the repository.
/// </summary>
public sealed class VendorCollector : ISnapshotCollector<VendorFacts>
{
    private readonly string procRoot;

    public VendorCollector()
        : this("/proc")
    {
    }

    /// <summary>For tests: another /proc (a fixture tree).</summary>
    internal VendorCollector(string procRoot)
    {
        this.procRoot = procRoot;
    }

    public string Key => VendorPack.FactsKey;

    public Task<VendorFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Collect(context.Core, cancellationToken));

    internal VendorFacts Collect(Snapshot core, CancellationToken ct)
    {
        var root = core.Workspace.Root;
        var index = core.Repository;
        var inotify = OperatingSystem.IsLinux() ? InotifyProbe.Collect(procRoot, InotifyProbe.Default, ct) : new InotifyFacts { Error = "not Linux" };
        var (modVendor, goModVendor) = RepoFiles.CiVendor(root, core.Ci.ConfigFiles);
        return new VendorFacts
        {
            Inotify = inotify,
            Tree = TreeOf(index),
            Mount = MountOf(core.Mounts, root),
            Air = RepoFiles.Air(root, index.WatcherConfigs),
            Gopls = RepoFiles.Gopls(root, index.WatcherConfigs),
            WatcherCommands = RepoFiles.WatcherCommands(root, index.WatcherConfigs),
            VendorDirectoryExists = index.Vendor is not null || (!index.Walked && Directory.Exists(Path.Combine(root, "vendor"))),
            VendorIgnored = RepoFiles.Ignored(root, "vendor"),
            NodeModulesIgnored = RepoFiles.Ignored(root, "node_modules"),
            CiModVendor = modVendor,
            CiGoModVendor = goModVendor,
        };
    }

    /// <summary>What a recursive watcher of the repository adds, from the scan's one walk.</summary>
    internal static DirectoryTreeFacts TreeOf(RepositoryIndex index) => new()
    {
        Walked = index.Walked,
        Directories = index.Directories,
        Entries = index.Entries,
        VendorDirectories = index.Vendor?.Directories ?? 0,
        NodeModulesDirectories = index.NodeModulesDirectories,
        TestdataDirectories = index.TestdataDirectories,
        Unreadable = index.Unreadable,
        Truncated = index.Truncated,
        TruncatedBy = index.TruncatedBy,
        ElapsedMilliseconds = index.ElapsedMilliseconds,
        // The largest top-level subtrees, then the nested node_modules folders (web/node_modules) apart.
        Largest = index.Largest.Concat(index.NodeModules.Where(n => n.Path.Contains('/')).Take(10))
            .Select(s => new SubtreeCount(s.Path, s.Directories))
            .ToList(),
    };

    /// <summary>The mount holding the repo, from the snapshot's mount table.</summary>
    internal static MountFact? MountOf(IReadOnlyList<Mount> mounts, string path) =>
        MountTable.Holding(mounts, Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))) is { } m
            ? new MountFact(m.MountPoint, m.FileSystem, m.Source, m.Options)
            : null;
}
