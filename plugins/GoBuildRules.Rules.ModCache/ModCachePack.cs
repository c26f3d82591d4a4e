using GoBuildRules.Rules.ModCache.Collection;
using GoBuildRules.Rules.ModCache.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.ModCache;

public sealed class ModCachePack : IRulePack
{
    public PackInfo Info { get; } = new(
        "GoBuildRules.Rules.ModCache",
        "Module and build caches",
        "GBMOD",
        "Corrupted, half-downloaded, locked, misconfigured or full module and build caches; go.sum gaps; vendoring and workspace mode.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ISnapshotCollector>(_ => new ModCacheCollector(ModCacheBudget.Default));
        services.AddSingleton<IRule, CacheNotWritableRule>();
        services.AddSingleton<IRule, DiskNearlyFullRule>();
        services.AddSingleton<IRule, CacheOnNetworkFileSystemRule>();
        services.AddSingleton<IRule, InterruptedDownloadRule>();
        services.AddSingleton<IRule, DamagedCacheEntryRule>();
        services.AddSingleton<IRule, MissingGoSumEntryRule>();
        services.AddSingleton<IRule, ConflictingGoSumLinesRule>();
        services.AddSingleton<IRule, CacheInUseRule>();
        services.AddSingleton<IRule, VendorFlagWithoutVendorRule>();
        services.AddSingleton<IRule, InconsistentVendoringRule>();
        services.AddSingleton<IRule, VendorModeRule>();
        services.AddSingleton<IRule, WorkspaceWithoutModuleRule>();
        services.AddSingleton<IRule, GoEnvOverridesRule>();
        services.AddSingleton<IRule, CacheWalkCutShortRule>();
        services.AddSingleton<IRule, ModFlagInWorkspaceModeRule>();
        services.AddSingleton<IRule, LockHeldByStuckProcessRule>();
    }
}
