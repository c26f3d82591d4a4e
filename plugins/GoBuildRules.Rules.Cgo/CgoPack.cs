using GoBuildRules.Rules.Cgo.Collection;
using GoBuildRules.Rules.Cgo.Rules;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Rules.Cgo;

public sealed class CgoPack : IRulePack
{
    public const string PackId = "GoBuildRules.Rules.Cgo";

    public PackInfo Info { get; } = new(
        PackId,
        "cgo",
        "GBCGO",
        "Whether cgo can build here: the C/C++ compiler, CGO_ENABLED, cross-compilation, macOS Command Line Tools and #cgo flags cmd/go refuses.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<ISnapshotCollector, CgoCollector>();
        services.AddSingleton<IRule, CompilerMissingRule>();
        services.AddSingleton<IRule, CgoSilentlyDisabledRule>();
        services.AddSingleton<IRule, CrossCompilerMismatchRule>();
        services.AddSingleton<IRule, CxxMissingRule>();
        services.AddSingleton<IRule, CommandLineToolsMissingRule>();
        services.AddSingleton<IRule, DisallowedCgoFlagRule>();
    }
}
