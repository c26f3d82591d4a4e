using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>Reads the GOENV file the go command reads and resolves where each go setting came from.</summary>
public static class GoSettingsReader
{
    // cmd/go never writes a large file there; a huge one is not worth reading whole.
    private const long MaxEnvFileBytes = 1024 * 1024;

    /// <param name="goEnv">What `go env -json` printed (redacted); empty when go could not be asked.</param>
    /// <param name="environment">The scanned process's environment, unfiltered and unredacted.</param>
    public static GoSettings Read(IReadOnlyDictionary<string, string> goEnv, IReadOnlyDictionary<string, string> environment)
    {
        string? Env(string name) => environment.TryGetValue(name, out var v) ? Secrets.RedactVariable(name, v) : null;
        var file = ReadEnvFile(EnvFilePath(goEnv, environment));
        return GoSettings.Resolve(goEnv, Env, file);
    }

    /// <summary>The GOENV file as cmd/go finds it from the environment alone (before, or without, `go env`).</summary>
    public static GoEnvFile ReadEnvFile(IReadOnlyDictionary<string, string> environment) =>
        ReadEnvFile(EnvFilePath(new Dictionary<string, string>(), environment));

    /// <summary>
    /// `go env GOENV` when go answered; else cfg.EnvFile: $GOENV unless it is "off", else
    /// os.UserConfigDir()/go/env.
    /// </summary>
    public static string? EnvFilePath(IReadOnlyDictionary<string, string> goEnv, IReadOnlyDictionary<string, string> environment)
    {
        if (goEnv.TryGetValue("GOENV", out var reported))
        {
            return reported is "" or "off" ? null : reported;
        }

        var set = environment.GetValueOrDefault("GOENV");
        if (!string.IsNullOrEmpty(set))
        {
            return set == "off" ? null : set;
        }

        return UserConfigDir(environment) is { } dir ? Path.Combine(dir, "go", "env") : null;
    }

    // os.UserConfigDir, go 1.19.
    private static string? UserConfigDir(IReadOnlyDictionary<string, string> env)
    {
        string? Get(string n) => env.GetValueOrDefault(n) is { Length: > 0 } v ? v : null;
        if (OperatingSystem.IsWindows())
        {
            return Get("AppData");
        }

        if (OperatingSystem.IsMacOS())
        {
            return Get("HOME") is { } home ? Path.Combine(home, "Library", "Application Support") : null;
        }

        if (Get("XDG_CONFIG_HOME") is { } xdg)
        {
            return Path.IsPathRooted(xdg) ? xdg : null;
        }

        return Get("HOME") is { } h ? Path.Combine(h, ".config") : null;
    }

    private static GoEnvFile ReadEnvFile(string? path)
    {
        if (path is null)
        {
            return new GoEnvFile((string?)null) { Read = true };
        }

        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return new GoEnvFile(path) { Read = true };
            }

            if (info.Length > MaxEnvFileBytes)
            {
                return new GoEnvFile(path) { Read = true, Exists = true, Error = $"larger than {MaxEnvFileBytes} bytes; not read" };
            }

            return new GoEnvFile(path) { Read = true, Exists = true, Entries = GoEnvFile.Parse(File.ReadAllText(path)) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new GoEnvFile(path) { Read = true, Exists = true, Error = e.Message };
        }
    }
}
