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
/// </summary>
public static class SettingFixes
{
    /// <summary>The fixes that make <paramref name="name"/> effectively <paramref name="value"/>; none when it already is.</summary>
    public static IReadOnlyList<Fix> Set(Snapshot snapshot, string name, string value, string title, string risk) =>
        Set(snapshot, name, value, title, risk, FixApplicability.Manual);

    /// <summary>As <see cref="Set(Snapshot, string, string, string, string)"/>; a `go env -w` fix gets <paramref name="goEnv"/>.</summary>
    public static IReadOnlyList<Fix> Set(Snapshot snapshot, string name, string value, string title, string risk, FixApplicability goEnv)
    {
        var setting = snapshot.GoSettings.Setting(name);
        if (Effective(snapshot, name) == value)
        {
            return [];
        }

        var shell = Fix.ShellFor(snapshot);
        if (setting?.Source != SettingSource.Environment)
        {
            return [Fix.GoEnvWrite(name, value, title, risk, shell).As(goEnv)];
        }

        return
        [
            Fix.Run($"{title} (in this shell; {name} comes from the environment, where `go env -w` cannot override it)",
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
        var setting = snapshot.GoSettings.Setting(name);
        var shell = Fix.ShellFor(snapshot);
        switch (setting?.Source)
        {
            case SettingSource.EnvFile:
                return [Fix.GoEnvUnset(name, title, risk).As(goEnv)];
            case SettingSource.Environment:
                IReadOnlyList<string> unset = shell == ShellSyntax.PowerShell ? ["Remove-Item", $"Env:{name}"] : ["unset", name];
                var note = $" (in this shell; {name} comes from the environment";
                // With the variable gone the GOENV file's value would show through: remove both.
                var fix = setting.ShadowedEnvFileValue is { Length: > 0 }
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

    private static string Effective(Snapshot snapshot, string name) =>
        snapshot.GoSettings.Setting(name)?.Value ?? snapshot.GoEnv(name) ?? "";

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
