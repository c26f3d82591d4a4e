using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.TestPacks.Clash;

/// <summary>Claims the rule id GBTJO001 of the JsonOld test pack and the collector key faulty-throwing of the Faulty test pack.</summary>
public sealed class Pack : IRulePack
{
    public PackInfo Info { get; } = new("GoBuildRules.TestPacks.Clash", "Clash", "GBTJO", "Claims another pack's rule id.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IRule, ClashingRule>();
        services.AddSingleton<ISnapshotCollector, ClashingCollector>();
    }
}

public sealed class ClashingCollector : ISnapshotCollector<object>
{
    public string Key => "faulty-throwing";

    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken) => Task.FromResult<object>(new { clash = true });
}

public sealed class ClashingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new("GBTJO001", "Clash", "test", Severity.Note, "Clash.", "Same id as another pack.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken) => [];
}
