using GoBuildRules.Sdk;

namespace Contoso.GoPolicy;

/// <summary>The policy's constants and the facts every rule reads the same way.</summary>
internal static class Policy
{
    /// <summary>Contoso's module mirror; every module download goes through it.</summary>
    public const string Mirror = "https://goproxy.contoso.example";

    /// <summary>The effective value of a Go variable: what `go env` reported, else the process environment.</summary>
    public static string? GoVariable(Snapshot s, string name) => s.GoEnv(name) ?? s.Env(name);

    /// <summary>True when the snapshot was taken on a CI runner (CI=true is set by GitHub, GitLab, Azure and most others).</summary>
    public static bool InCi(Snapshot s) =>
        s.Env("CI") is { } ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1")
        || s.Env("TF_BUILD") is not null || s.Env("JENKINS_URL") is not null;

    public static IReadOnlyList<string> Flags(string? goflags) =>
        (goflags ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Environment findings are anchored to the module line of go.mod.</summary>
    public static Location? Module(Snapshot s) =>
        s.Workspace.GoMod is { } mod ? new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null) : null;
}
