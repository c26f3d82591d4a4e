using System.Reflection;
using Contoso.Shared;
using GoBuildRules.Sdk;
using Microsoft.Extensions.DependencyInjection;

namespace ConflictPack;

public sealed class Entry : IRulePack
{
    private static readonly Assembly Self = typeof(Entry).Assembly;
    private static readonly string Prefix = Self.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "RulePrefix").Value!;

    public PackInfo Info { get; } = new(Self.GetName().Name!, Self.GetName().Name!, Prefix, "Reports which Contoso.Shared it runs with.");

    public void ConfigureServices(IServiceCollection services) => services.AddSingleton<IRule>(new SharedVersionRule(Prefix + "001"));
}

public sealed class SharedVersionRule(string id) : IRule
{
    public RuleDescriptor Descriptor { get; } = new(id, "Reports the Contoso.Shared it runs with", "test", Severity.Note, "Test rule.", "Test rule that always fires.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        yield return Descriptor.Finding($"{Descriptor.Id} runs with {SharedInfo.Describe()}", "shared") with
        {
            Fixes = [Fix.Run("Nothing to fix", "true", "None.")],
        };
    }
}
