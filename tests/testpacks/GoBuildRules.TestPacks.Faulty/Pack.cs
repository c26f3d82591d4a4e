using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace GoBuildRules.TestPacks.Faulty;

/// <summary>A pack that misbehaves in every way the host must contain, plus one rule that works.</summary>
public sealed class Pack : IRulePack
{
    public PackInfo Info { get; } = new("GoBuildRules.TestPacks.Faulty", "Faulty", "GBTF", "Misbehaves on purpose.");

    public void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IRule, ThrowingRule>();
        services.AddSingleton<IRule, OverrunningRule>();
        services.AddSingleton<IRule, WorkingRule>();
        services.AddSingleton<ISnapshotCollector, NeverReturningCollector>();
        services.AddSingleton<ISnapshotCollector, ThrowingCollector>();
    }
}

public sealed class ThrowingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new("GBTF001", "Throws", "test", Severity.Error, "Throws.", "Throws an exception.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("boom from GBTF001");
}

public sealed class OverrunningRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new("GBTF002", "Overruns", "test", Severity.Error, "Never finishes.", "Ignores its token and blocks.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        Thread.Sleep(Timeout.Infinite);
        yield break;
    }
}

public sealed class WorkingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new("GBTF003", "Works", "test", Severity.Warning, "Always reports.", "Always reports one warning.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = snapshot.GetExtension<Dictionary<string, string>>("faulty-throwing");
        yield return Descriptor.Finding($"the working rule of the faulty pack ran (throwing collector facts present: {facts is not null})", "works");
    }
}

public sealed class NeverReturningCollector : ISnapshotCollector<object>
{
    public string Key => "faulty-never";

    // Ignores the token on purpose: the host must not wait for it.
    public Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken) =>
        new TaskCompletionSource<object>().Task;
}

public sealed class ThrowingCollector : ISnapshotCollector<Dictionary<string, string>>
{
    public string Key => "faulty-throwing";

    public Task<Dictionary<string, string>> CollectAsync(CollectionContext context, CancellationToken cancellationToken) =>
        throw new IOException("collector exploded");
}
