using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Network.Rules;

/// <summary>The toolchain go.mod asks for, against the local Go, as cmd/go (1.21+) decides a switch.</summary>
internal static class ToolchainSupport
{
    public sealed record Need(GoVersion Local, GoVersion Wanted, string Line, int LineNumber, string Mode);

    /// <summary>The newer toolchain go.mod (or go.work) requires, or null when the local Go satisfies it.</summary>
    public static Need? Newer(Snapshot s)
    {
        if (!GoVersion.TryParse(s.Go.Version, out var local)) return null;
        var mod = s.Workspace.GoMod;
        if (mod is null) return null;
        GoVersion? wanted = null;
        var line = "";
        var number = 0;
        if (GoVersion.TryParse(mod.Go, out var go))
        {
            wanted = go;
            line = "go " + mod.Go;
            number = mod.GoLine;
        }

        if (GoVersion.TryParse(mod.Toolchain, out var tc) && (wanted is null || tc > wanted.Value))
        {
            wanted = tc;
            line = "toolchain " + mod.Toolchain;
            number = mod.ToolchainLine;
        }

        var mode = s.Env("GOTOOLCHAIN") is { Length: > 0 } env ? env : s.GoEnv("GOTOOLCHAIN") is { Length: > 0 } ge ? ge : local.Value.AtLeast(1, 21) ? "auto" : "";
        return wanted is { } w && w > local.Value ? new Need(local.Value, w, line, number, mode) : null;
    }

    /// <summary>Whether GOTOOLCHAIN lets a Go 1.21+ download the newer toolchain (auto, go1.X+auto); "local" and "path" never download.</summary>
    public static bool Downloads(string mode) =>
        mode == "auto" || mode.EndsWith("+auto", StringComparison.Ordinal) || (mode.StartsWith("go1", StringComparison.Ordinal) && !mode.Contains('+'));
}
