using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.Toolchain;

public sealed class ToolchainPack : IRulePack
{
    public PackInfo Info { get; } = new(
        "GoBuildRules.Rules.Toolchain",
        "Go toolchain",
        "GBGO",
        "Whether the go command can be found and answers, and whether go.mod can be read.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IRule, GoNotFoundRule>();
        services.AddSingleton<IRule, GoEnvUnresponsiveRule>();
        services.AddSingleton<IRule, WorkspaceFileUnreadableRule>();
        services.AddSingleton<IRule, HungProgramRule>();
    }
}
