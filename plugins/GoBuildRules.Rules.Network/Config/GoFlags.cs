namespace GoBuildRules.Rules.Network.Config;

/// <summary>GOFLAGS: space-separated flags applied to every go command (cmd/go splits on white space; quotes are allowed).</summary>
public static class GoFlags
{
    public static IReadOnlyList<string> Split(string? value) => GoBuildRules.Sdk.Executables.SplitCommandLine(value ?? "");

    /// <summary>The value of "-name=value" or "--name=value" in GOFLAGS, the last one winning; null when absent.</summary>
    public static string? Value(string? goflags, string name)
    {
        string? found = null;
        foreach (var flag in Split(goflags))
        {
            var f = flag.TrimStart('-');
            if (f.StartsWith(name + "=", StringComparison.Ordinal)) found = f[(name.Length + 1)..];
            else if (f == name) found = "true";
        }

        return found;
    }

    /// <summary>True when builds read modules from vendor/ and never fetch (-mod=vendor).</summary>
    public static bool VendorMode(string? goflags) => Value(goflags, "mod") == "vendor";
}
