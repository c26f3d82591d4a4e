using GoBuildRules.Rules.CloudEnv.Collection;
using GoBuildRules.Rules.CloudEnv.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.CloudEnv;

public sealed class CloudEnvPack : IRulePack
{
    public const string Id = "GoBuildRules.Rules.CloudEnv";

    public PackInfo Info { get; } = new(
        Id,
        "CI, cloud and containers",
        "GBENV",
        "Where the build runs: CI provider and its Go caches, container memory and CPU limits, proxies, private mirrors, checkout ownership, shallow clones, Defender scanning.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ISnapshotCollector, CloudEnvCollector>();
        services.AddSingleton<IRule, MemoryLimitRule>();
        services.AddSingleton<IRule, CpuQuotaRule>();
        services.AddSingleton<IRule, CacheDiskRule>();
        services.AddSingleton<IRule, CiCacheRule>();
        services.AddSingleton<IRule, ProxyBypassRule>();
        services.AddSingleton<IRule, CheckoutOwnerRule>();
        services.AddSingleton<IRule, ShallowCloneRule>();
        services.AddSingleton<IRule, DefenderScanRule>();
    }

    internal static CloudEnvFacts? Facts(Snapshot snapshot) => snapshot.GetExtension<CloudEnvFacts>(Id);
}
