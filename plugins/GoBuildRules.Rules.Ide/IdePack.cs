using GoBuildRules.Rules.Ide.Collection;
using GoBuildRules.Rules.Ide.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.Ide;

public sealed class IdePack : IRulePack
{
    public const string FactsKey = "GoBuildRules.Rules.Ide";

    public PackInfo Info { get; } = new(
        "GoBuildRules.Rules.Ide",
        "IDE configuration",
        "GBIDE",
        "VS Code (settings, workspaces, launch.json) and GoLand / IntelliJ settings that make the IDE build, test or debug differently from the command line and CI.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ISnapshotCollector, IdeCollector>();
        services.AddSingleton<IRule, ToolsEnvDiffersRule>();
        services.AddSingleton<IRule, UnsetEnvReferenceRule>();
        services.AddSingleton<IRule, BuildTagsUnlikeCiRule>();
        services.AddSingleton<IRule, TestTimeoutRule>();
        services.AddSingleton<IRule, MissingGoBinaryRule>();
        services.AddSingleton<IRule, GoplsHugeTreeRule>();
        services.AddSingleton<IRule, DelveSettingsRule>();
        services.AddSingleton<IRule, IdeaPathsRule>();
        services.AddSingleton<IRule, IdeaEnvRule>();
        services.AddSingleton<IRule, SettingsSyntaxRule>();
    }
}
