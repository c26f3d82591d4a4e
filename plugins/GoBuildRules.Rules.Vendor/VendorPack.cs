using GoBuildRules.Rules.Vendor.Collection;
using GoBuildRules.Rules.Vendor.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.Vendor;

public sealed class VendorPack : IRulePack
{
    /// <summary>Where the facts live in Snapshot.Extensions; other packs (Ide) read them from there as JSON.</summary>
    public const string FactsKey = "GoBuildRules.Rules.Vendor";

    public PackInfo Info { get; } = new(
        "GoBuildRules.Rules.Vendor",
        "Vendor trees and file watchers",
        "GBVND",
        "inotify headroom against the repository's directories, watcher configuration (air, reflex, CompileDaemon, watchexec, gopls), VM bind mounts that drop events, and vendor/ ignored while CI builds with -mod=vendor.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ISnapshotCollector, VendorCollector>();
        services.AddSingleton<IRule, InotifyWatchesRule>();
        services.AddSingleton<IRule, InotifyInstancesRule>();
        services.AddSingleton<IRule, WatcherWatchesHeavyDirsRule>();
        services.AddSingleton<IRule, EventsDoNotCrossMountRule>();
        services.AddSingleton<IRule, AirIncludeExtRule>();
        services.AddSingleton<IRule, VendorIgnoredButCiUsesItRule>();
    }
}
