using GoBuildRules.Rules.Watch.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.Watch;

public sealed class WatchPack : IRulePack
{
    public PackInfo Info { get; } = new(
        "GoBuildRules.Rules.Watch",
        "Stalled builds",
        "GBRUN",
        "Why a build run under `gobuildrules watch` stalled: the stuck process and what it waits on, deadlocked tests, hanging C compilers. Silent in `scan`.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IRule, BuildStalledRule>();
        services.AddSingleton<IRule, TestDeadlockRule>();
        services.AddSingleton<IRule, CompilerHangsRule>();
    }
}
