namespace GoBuildRules.Sdk;

/// <summary>
/// A rule is a pure function of the snapshot: no I/O, no clock, no state. The host runs each rule
/// under a deadline and contains whatever it throws.
/// </summary>
public interface IRule
{
    RuleDescriptor Descriptor { get; }

    IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken);
}
