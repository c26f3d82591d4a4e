using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.Toolchain;

public sealed class ToolchainPack : IRulePack
{
    public PackInfo Info { get; } = new(
        "GoBuildRules.Rules.Toolchain",
        "Go toolchain",
        "GBGO",
        "Whether the go command can be found and answers, and every error the local go itself reports about the module (the go oracle).");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IRule, GoNotFoundRule>();
        services.AddSingleton<IRule, GoEnvUnresponsiveRule>();
        services.AddSingleton<IRule, WorkspaceFileUnreadableRule>();
        services.AddSingleton<IRule, ModFileRejectedRule>();
        services.AddSingleton<IRule, ReplacementMissingRule>();
        services.AddSingleton<IRule, WorkUseMissingRule>();
        services.AddSingleton<IRule, GoFlagsUnparsableRule>();
        services.AddSingleton<IRule, BuildCacheOffRule>();
        services.AddSingleton<IRule, ModulesOffRule>();
        services.AddSingleton<IRule, ModulesNotCachedRule>();
        services.AddSingleton<IRule, NoModuleRule>();
        services.AddSingleton<IRule, CacheUnusableRule>();
        services.AddSingleton<IRule, GoReportsErrorRule>();
        services.AddSingleton<IRule, HungProgramRule>();
    }
}
