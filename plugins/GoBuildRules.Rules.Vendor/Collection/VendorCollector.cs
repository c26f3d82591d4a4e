using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>
/// Collects inotify limits and use and reads the repository's watcher configs. Which files exist comes
/// from the scan's core facts (<see cref="Snapshot.Repository"/>, <see cref="Snapshot.Ci"/>), and the rules
/// read the directory counts and the mount there: the pack neither walks the repository nor copies them.
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
            Air = RepoFiles.Air(root, index.WatcherConfigs),
            Gopls = RepoFiles.Gopls(root, index.WatcherConfigs),
            WatcherCommands = RepoFiles.WatcherCommands(root, index.WatcherConfigs),
            VendorIgnored = RepoFiles.Ignored(root, "vendor"),
            NodeModulesIgnored = RepoFiles.Ignored(root, "node_modules"),
            CiModVendor = modVendor,
            CiGoModVendor = goModVendor,
        };
    }
}
