using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Rules.Network.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.Network;

public sealed class NetworkPack : IRulePack
{
    public const string Id = "GoBuildRules.Rules.Network";

    public PackInfo Info { get; } = new(
        Id,
        "Network",
        "GBNET",
        "The network path of the go command: GOPROXY, GOSUMDB, private modules, direct VCS fetches, HTTP proxies and DNS, probed hop by hop.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ISnapshotCollector, NetworkCollector>();
        foreach (var rule in RuleTypes)
        {
            services.AddSingleton(typeof(IRule), rule);
        }
    }

    internal static readonly Type[] RuleTypes =
    [
        typeof(ProxyUnreachableRule),
        typeof(ProxyStallsRule),
        typeof(ProxyErrorStatusRule),
        typeof(AllProxiesFailRule),
        typeof(SumDbMalformedRule),
        typeof(SumDbUnreachableRule),
        typeof(SumDbOffRule),
        typeof(BroadExemptionRule),
        typeof(PrivateModuleLeakRule),
        typeof(DirectFetchPromptRule),
        typeof(GitMissingRule),
        typeof(ToolchainDownloadBrokenRule),
        typeof(ToolchainCannotSwitchRule),
        typeof(NoNameserverRule),
        typeof(Ipv6TimeoutRule),
        typeof(HttpProxyUnreachableRule),
        typeof(TlsUnknownAuthorityRule),
        typeof(FileProxyBrokenRule),
        typeof(GoProxyMalformedRule),
    ];
}
