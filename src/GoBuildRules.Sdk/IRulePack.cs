using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Sdk;

/// <summary>
/// The entry point of a pack: one public implementation per pack assembly, with a public
/// parameterless constructor. The pack registers its <see cref="IRule"/>s and
/// <see cref="ISnapshotCollector"/>s in <see cref="ConfigureServices"/>; the host resolves them
/// from a container of the pack's own.
/// </summary>
public interface IRulePack
{
    PackInfo Info { get; }

    void ConfigureServices(IServiceCollection services);
}

/// <param name="Id">The pack's NuGet package id, e.g. GoBuildRules.Rules.Cgo.</param>
/// <param name="RuleIdPrefix">Every rule id of the pack starts with it, e.g. GBCGO.</param>
public sealed record PackInfo(string Id, string Name, string RuleIdPrefix, string Description)
{
    /// <summary>The pack's version; the host fills it from the assembly when left empty.</summary>
    public string Version { get; init; } = "";
}
