namespace GoBuildRules.Sdk;

/// <summary>
/// One diagnosis. <see cref="Subject"/> names what the finding is about (a variable, a module, a
/// file) and, with the rule id, identifies it across runs: reports fingerprint on it, never on
/// line text.
/// </summary>
public sealed record Finding(string RuleId, Severity Severity, string Message)
{
    public string Subject { get; init; } = "";

    /// <summary>The facts that fired the rule, as named values, in the order a reader needs them.</summary>
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    /// <summary>The file (repo-relative, forward slashes) and line that best explain the cause.</summary>
    public Location? Location { get; init; }

    public IReadOnlyList<Fix> Fixes { get; init; } = [];
}

public sealed record Evidence(string Name, string Value);

public sealed record Location(string File, int? Line = null);
