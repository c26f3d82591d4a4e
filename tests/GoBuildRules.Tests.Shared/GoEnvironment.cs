namespace GoBuildRules.Tests.Shared;

/// <summary>Environments for the real go and the real tool that do not read or write this machine's go settings.</summary>
public static class GoEnvironment
{
    /// <summary>
    /// GOENV, GOPATH, GOMODCACHE and GOCACHE inside <paramref name="t"/>; <paramref name="unset"/> removed
    /// from the inherited environment (a value of null removes a variable for <see cref="Cli"/> and
    /// <see cref="GoToolchain"/>); then <paramref name="set"/> applied in order.
    /// </summary>
    public static Dictionary<string, string?> Isolated(TempFolder t, IEnumerable<string> unset, params (string Name, string? Value)[] set)
    {
        var env = new Dictionary<string, string?>
        {
            ["GOENV"] = t.Combine("goenv"),
            ["GOPATH"] = t.Combine("gopath"),
            ["GOMODCACHE"] = t.Combine("gopath", "pkg", "mod"),
            ["GOCACHE"] = t.Combine("gocache"),
        };
        foreach (var name in unset)
        {
            env[name] = null;
        }

        foreach (var (name, value) in set)
        {
            env[name] = value;
        }

        return env;
    }
}
