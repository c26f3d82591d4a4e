using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>Collects inotify limits and use, the repository's directory count, its mount and its watcher configs.</summary>
public sealed class VendorCollector : ISnapshotCollector<VendorFacts>
{
    private readonly string procRoot;
    private readonly TreeWalker.Budget walkBudget;

    public VendorCollector()
        : this("/proc", TreeWalker.Default)
    {
    }

    /// <summary>For tests: another /proc (a fixture tree) or a smaller walk budget.</summary>
    internal VendorCollector(string procRoot, TreeWalker.Budget walkBudget)
    {
        this.procRoot = procRoot;
        this.walkBudget = walkBudget;
    }

    public string Key => VendorPack.FactsKey;

    public Task<VendorFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Collect(context.WorkspaceRoot, cancellationToken));

    internal VendorFacts Collect(string root, CancellationToken ct)
    {
        // The walk and the /proc scan are the slow parts and independent: run them side by side.
        var tree = Task.Run(() => TreeWalker.Walk(root, walkBudget, ct), ct);
        var inotify = OperatingSystem.IsLinux() ? InotifyProbe.Collect(procRoot, InotifyProbe.Default, ct) : new InotifyFacts { Error = "not Linux" };
        var air = RepoFiles.Air(root);
        var (modVendor, goModVendor) = RepoFiles.CiVendor(root);
        var facts = new VendorFacts
        {
            Inotify = inotify,
            Mount = MountOf(Path.Combine(procRoot, "mounts"), root),
            Air = air,
            Gopls = RepoFiles.Gopls(root),
            WatcherCommands = RepoFiles.WatcherCommands(root),
            VendorDirectoryExists = Directory.Exists(Path.Combine(root, "vendor")),
            VendorIgnored = RepoFiles.Ignored(root, "vendor"),
            NodeModulesIgnored = RepoFiles.Ignored(root, "node_modules"),
            CiModVendor = modVendor,
            CiGoModVendor = goModVendor,
        };
        return facts with { Tree = tree.GetAwaiter().GetResult() };
    }

    /// <summary>The mount holding the repo, from the mount table at <paramref name="mountsFile"/>.</summary>
    internal static MountFact? MountOf(string mountsFile, string path) =>
        MountTable.Holding(MountTable.Read(mountsFile), Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))) is { } m
            ? new MountFact(m.MountPoint, m.FileSystem, m.Source, m.Options)
            : null;
}
