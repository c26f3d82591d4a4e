using Contoso.GoPolicy.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Contoso.GoPolicy;

/// <summary>Contoso's Go build policy as a gobuildrules pack.</summary>
public sealed class Pack : IRulePack
{
    public PackInfo Info { get; } = new(
        "Contoso.GoPolicy",
        "Contoso Go policy",
        "CTSO",
        "Company policy for Go builds: modules through the Contoso mirror, -mod=readonly in CI, no insecure fetches.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IRule, ProxyMirrorRule>();
        services.AddSingleton<IRule, CiReadonlyModulesRule>();
        services.AddSingleton<IRule, InsecureFetchRule>();
    }
}
