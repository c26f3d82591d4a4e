using Company.GoRules.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Company.GoRules;

/// <summary>The pack's entry point: its identity and the rules (and collectors) it registers.</summary>
public sealed class Pack : IRulePack
{
    public PackInfo Info { get; } = new(
        "Company.GoRules",
        "Company.GoRules",
        "TEAM",
        "Our team's rules for Go builds.");

    public void ConfigureServices(IServiceCollection services)
    {
        // One line per rule; rules are pure functions of the snapshot.
        services.AddSingleton<IRule, MinimumGoVersionRule>();
    }
}
