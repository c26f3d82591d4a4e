namespace GoBuildRules.Sdk;

/// <summary>How bad a finding is. Ordered so that a larger value is worse (used by --fail-on).</summary>
public enum Severity
{
    Note = 0,
    Warning = 1,
    Error = 2,
}
