using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.Testing;

/// <summary>
/// Replays snapshots through rules, the way the host does but without isolation, so a pack's unit
/// tests can check each rule against its fixtures.
/// </summary>
public static class RuleReplay
{
    /// <summary>The rules a pack registers, resolved the way the host resolves them.</summary>
    public static IReadOnlyList<IRule> RulesOf(IRulePack pack)
    {
        var services = new ServiceCollection();
        pack.ConfigureServices(services);
        using var provider = services.BuildServiceProvider();
        return provider.GetServices<IRule>().ToList();
    }

    public static IReadOnlyList<Finding> Run(IRule rule, Snapshot snapshot) =>
        rule.Evaluate(snapshot, CancellationToken.None).ToList();

    public static IReadOnlyList<Finding> Run(IRule rule, string fixtureFile) =>
        Run(rule, Snapshot.FromJson(File.ReadAllText(fixtureFile)));
}
