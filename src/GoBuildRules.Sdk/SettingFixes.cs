namespace GoBuildRules.Sdk;

/// <summary>
/// Fixes that change a go setting where its effective value comes from (<see cref="GoSettings"/>):
/// a value from the environment is changed in the environment (`export` / `unset`, and in the CI
/// job's variables): `go env -w` cannot override it, cmd/go refuses with "does not override
/// conflicting OS environment variable"; a value from the GOENV file or the default is changed with
/// `go env -w` / `go env -u`. A fix that would leave the effective value as it is is not offered.
/// Only the `go env -w`/`-u` fixes can be applied by `gobuildrules fix` (with the applicability the
/// caller gives): a child process cannot change the current shell's environment or a CI file, so
/// those stay <see cref="FixApplicability.Manual"/> and carry <see cref="Fix.Variable"/> /
/// <see cref="Fix.Value"/> for the line to paste.
/// Every pack builds its setting fixes here, so that one table-driven test
/// (tests/GoBuildRules.AllPacks.Tests) can run them all against the real `go env`.
/// </summary>
public static class SettingFixes
{
    /// <summary>Settings cmd/go reads only from the environment: `go env -w` refuses them (go 1.19 envcmd.checkEnvWrite).</summary>
    private static readonly string[] EnvironmentOnly = ["GOENV", "GOWORK"];

    /// <summary>The fixes that make <paramref name="name"/> effectively <paramref name="value"/>; none when it already is.</summary>
    public static IReadOnlyList<Fix> Set(Snapshot snapshot, string name, string value, string title, string risk) =>
        Set(snapshot, name, value, title, risk, FixApplicability.Manual);

    /// <summary>As <see cref="Set(Snapshot, string, string, string, string)"/>; a `go env -w` fix gets <paramref name="goEnv"/>.</summary>
    public static IReadOnlyList<Fix> Set(Snapshot snapshot, string name, string value, string title, string risk, FixApplicability goEnv)
    {
        if (Effective(snapshot, name) == value)
        {
            return [];
        }

        var shell = Fix.ShellFor(snapshot);
        var environmentOnly = EnvironmentOnly.Contains(name);
        if (!environmentOnly && Source(snapshot, name) != SettingSource.Environment)
        {
            return [Fix.GoEnvWrite(name, value, title, risk, shell).As(goEnv)];
        }

        return
        [
            Fix.Run(environmentOnly
                    ? $"{title} (in this shell; go reads {name} only from the environment, `go env -w` refuses it)"
                    : $"{title} (in this shell; {name} comes from the environment, where `go env -w` cannot override it)",
                shell == ShellSyntax.PowerShell ? ["Set-Item", $"Env:{name}", value] : ["export", $"{name}={value}"], risk, shell) with { Variable = name, Value = value, Steps = null },
            Fix.EditFile(CiFile(snapshot), $"{name}: {YamlScalar(value)}",
                $"{title} where the variable is set for builds: the CI job's variables (or the shell profile or container image that sets it)",
                risk) with { Variable = name, Value = value },
        ];
    }

    /// <summary>The fixes that return <paramref name="name"/> to Go's default; none when it has the default already.</summary>
    public static IReadOnlyList<Fix> Unset(Snapshot snapshot, string name, string title, string risk) =>
        Unset(snapshot, name, title, risk, FixApplicability.Manual);

    /// <summary>As <see cref="Unset(Snapshot, string, string, string)"/>; a `go env -u` fix gets <paramref name="goEnv"/>.</summary>
    public static IReadOnlyList<Fix> Unset(Snapshot snapshot, string name, string title, string risk, FixApplicability goEnv)
    {
        var shell = Fix.ShellFor(snapshot);
        switch (Source(snapshot, name))
        {
            case SettingSource.EnvFile:
                return [Fix.GoEnvUnset(name, title, risk).As(goEnv)];
            case SettingSource.Environment:
                IReadOnlyList<string> unset = shell == ShellSyntax.PowerShell ? ["Remove-Item", $"Env:{name}"] : ["unset", name];
                var note = $" (in this shell; {name} comes from the environment";
                // With the variable gone the GOENV file's value would show through: remove both.
                var fix = ShadowedEnvFileValue(snapshot, name) is { Length: > 0 }
                    ? Fix.RunAll(title + note + " and the GOENV file sets it too)", [unset, ["go", "env", "-u", name]], risk, shell)
                    : Fix.Run(title + note + ")", unset, risk, shell);
                fix = fix with { Variable = name, Steps = null };
                return
                [
                    fix,
                    Fix.EditFile(CiFile(snapshot), $"remove {name}",
                        $"{title} where the variable is set for builds: the CI job's variables (or the shell profile or container image that sets it)", risk) with { Variable = name },
                ];
            default:
                // Already the default (or not known to be set anywhere): there is nothing to remove.
                return [];
        }
    }

    /// <summary>
    /// The fixes that set one GOFLAGS flag (<c>-name=value</c>, or <c>-name</c> for a null value) or,
    /// with <paramref name="remove"/>, drop every occurrence of it, keeping the other flags where
    /// GOFLAGS comes from; GOFLAGS is unset when no flag remains. None when nothing would change.
    /// </summary>
    public static IReadOnlyList<Fix> SetGoFlag(Snapshot snapshot, string flag, string? value, string title, string risk, bool remove = false, FixApplicability goEnv = FixApplicability.Manual)
    {
        var words = snapshot.GoSettings.Flags.Raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => GoFlagName(w) != flag)
            .ToList();
        if (!remove)
        {
            words.Add(value is null ? "-" + flag : $"-{flag}={value}");
        }

        var result = string.Join(' ', words);
        return result.Length == 0 ? Unset(snapshot, "GOFLAGS", title, risk, goEnv) : Set(snapshot, "GOFLAGS", result, title, risk, goEnv);
    }

    /// <summary>
    /// Where cmd/go takes <paramref name="name"/> from (cfg.Getenv): the host's resolved settings, and for
    /// a name `go env` does not print (CGO_CFLAGS_ALLOW …) the environment, then the GOENV file.
    /// </summary>
    public static SettingSource Source(Snapshot snapshot, string name) =>
        snapshot.GoSettings.Setting(name)?.Source
        ?? (snapshot.Env(name) is { Length: > 0 } ? SettingSource.Environment
            : snapshot.GoSettings.EnvFile.Entry(name) is { Value.Length: > 0 } ? SettingSource.EnvFile
            : SettingSource.Default);

    private static string? ShadowedEnvFileValue(Snapshot snapshot, string name) =>
        snapshot.GoSettings.Setting(name) is { } s ? s.ShadowedEnvFileValue : snapshot.GoSettings.EnvFile.Entry(name)?.Value;

    /// <summary>The value cmd/go uses for <paramref name="name"/>, also for a name `go env` does not print (environment, then GOENV file).</summary>
    public static string Effective(Snapshot snapshot, string name) =>
        snapshot.GoSettings.Setting(name)?.Value
        ?? snapshot.GoEnv(name)
        ?? (snapshot.Env(name) is { Length: > 0 } v ? v : snapshot.GoSettings.EnvFile.Entry(name)?.Value)
        ?? "";

    /// <summary>The name of a GOFLAGS word ("-mod=vendor" → "mod"), as <see cref="GoFlagList"/> reads it.</summary>
    private static string GoFlagName(string word)
    {
        var name = word.TrimStart('-');
        var eq = name.IndexOf('=');
        return eq >= 0 ? name[..eq] : name;
    }

    /// <summary>Where a CI job's variables live, for the CI the snapshot was taken in (else both common ones).</summary>
    private static string CiFile(Snapshot snapshot) =>
        snapshot.Env("GITHUB_ACTIONS") == "true" ? ".github/workflows/*.yml (env:)"
        : snapshot.Env("GITLAB_CI") is { Length: > 0 } ? ".gitlab-ci.yml (variables:)"
        : ".github/workflows/*.yml (env:) or .gitlab-ci.yml (variables:)";

    /// <summary>A YAML scalar that stays a string: quoted when YAML would read it otherwise.</summary>
    private static string YamlScalar(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./,".Contains(c)) && !value.StartsWith('-')
            && value is not ("true" or "false" or "on" or "off" or "yes" or "no" or "null")
            ? value
            : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
