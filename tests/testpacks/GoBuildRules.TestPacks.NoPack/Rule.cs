using GoBuildRules.Sdk;

namespace GoBuildRules.TestPacks.NoPack;

/// <summary>A rule with no IRulePack to register it: the host must refuse the assembly.</summary>
public sealed class OrphanRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new("GBTN001", "Orphan", "test", Severity.Note, "Orphan.", "Orphan rule.");

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken) => [];
}
