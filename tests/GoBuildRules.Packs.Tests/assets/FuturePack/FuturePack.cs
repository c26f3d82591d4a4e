using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace Future.Rules;

public sealed class FuturePack : IRulePack
{
    public PackInfo Info { get; } = new("Future.Rules", "Future rules", "FUTR", "Built against SDK 2.x.");

    public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IRule, AlwaysRule>();
}

public sealed class AlwaysRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new("FUTR001", "Always fires", "test", Severity.Error, "Test rule.", "Test rule that always fires.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        yield return Descriptor.Finding("FUTR001 ran", "always") with { Fixes = [Fix.Run("Nothing to fix", "true", "None.")] };
    }
}
