using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Engine;

public enum FailOn
{
    Note,
    Warning,
    Error,
    Never,
}

/// <summary>The documented, stable exit codes of gobuildrules.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int FindingsAtOrAboveFailOn = 1;
    public const int UsageOrConfigError = 2;
    public const int PackOrRuleFailure = 3;
    public const int Interrupted = 130;
}

public static class Policy
{
    public static bool Fails(Severity severity, FailOn failOn) =>
        failOn != FailOn.Never && (int)severity >= (int)failOn;

    /// <summary>
    /// 1 when a finding reaches --fail-on; else 3 when a pack or rule failed and --strict asks for it; else 0.
    /// Findings win over tool failures because they are what the user asked about.
    /// </summary>
    public static int ExitCode(IEnumerable<Finding> findings, FailOn failOn, bool toolFailures, bool strict) =>
        findings.Any(f => Fails(f.Severity, failOn)) ? ExitCodes.FindingsAtOrAboveFailOn
        : strict && toolFailures ? ExitCodes.PackOrRuleFailure
        : ExitCodes.Success;
}
