using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Fixing;

/// <summary>A finding as `fix` sees it: after policy (suppressed findings are not fixed), with the report's fingerprint.</summary>
public sealed record FixableFinding(string Fingerprint, Finding Finding);

public enum FixDecision
{
    /// <summary>`--apply` applies it (asking first on a terminal unless --yes).</summary>
    Apply,
    /// <summary>Applied only when the finding or its rule is named with --only: the fix has a cost the user must accept.</summary>
    NeedsNaming,
    /// <summary>Another planned fix does exactly the same: applied once, under <see cref="PlannedFix.SameAs"/>.</summary>
    Duplicate,
    /// <summary>No fix the tool may apply: the options are listed for a human.</summary>
    Manual,
}

/// <param name="Number">Position in the plan, from 1, safest first.</param>
/// <param name="Fix">The fix that would be applied, or for a manual finding its first (safest) option.</param>
/// <param name="Changes">What applying it changes, one line each (a go env change with its old value and where that came from, what is moved aside, what runs, what is backed up).</param>
public sealed record PlannedFix(int Number, FixableFinding Target, Fix Fix, FixDecision Decision, IReadOnlyList<string> Changes)
{
    public int? SameAs { get; init; }

    /// <summary>For a manual finding: every option, with the line to paste and its CI form for a variable of the current shell.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];
}

/// <summary>Where the plan applies: the module folder the steps run in and the go settings with their provenance.</summary>
public sealed record FixContext(string ModuleRoot, GoSettings Settings);

/// <summary>
/// Chooses, per finding, the fix `fix --apply` would apply and orders them from the safest to the
/// riskiest. Pure: it reads only the findings and the snapshot's settings, and changes nothing.
/// </summary>
public static class FixPlanner
{
    public static IReadOnlyList<PlannedFix> Plan(IReadOnlyList<FixableFinding> findings, FixContext context, IReadOnlyList<string> only)
    {
        var candidates = new List<(FixableFinding Target, Fix Fix, FixDecision Decision, int Rank)>();
        foreach (var target in findings.Where(f => f.Finding.Fixes.Count > 0))
        {
            var named = only.Any(o => Names(o, target));
            if (only.Count > 0 && !named)
            {
                continue;
            }

            var fixes = target.Finding.Fixes;
            var chosen = fixes.FirstOrDefault(f => Applicable(f) && (f.Applicability == FixApplicability.Automatic || (named && f.Applicability == FixApplicability.OnlyWhenNamed)));
            if (chosen is not null)
            {
                candidates.Add((target, chosen, FixDecision.Apply, Rank(chosen)));
            }
            else if (fixes.FirstOrDefault(f => Applicable(f) && f.Applicability == FixApplicability.OnlyWhenNamed) is { } costly)
            {
                candidates.Add((target, costly, FixDecision.NeedsNaming, 100 + Rank(costly)));
            }
            else
            {
                candidates.Add((target, fixes[0], FixDecision.Manual, 1000));
            }
        }

        var ordered = candidates
            .OrderBy(c => c.Rank)
            .ThenBy(c => c.Target.Finding.RuleId, StringComparer.Ordinal)
            .ThenBy(c => c.Target.Finding.Subject, StringComparer.Ordinal)
            .ThenBy(c => c.Target.Fingerprint, StringComparer.Ordinal)
            .ToList();
        var plan = new List<PlannedFix>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (target, fix, decision, _) in ordered)
        {
            var number = plan.Count + 1;
            var item = new PlannedFix(number, target, fix, decision, decision == FixDecision.Manual ? [] : Changes(fix, context));
            if (decision == FixDecision.Manual)
            {
                item = item with { Options = target.Finding.Fixes.SelectMany(Option).ToList() };
            }
            else if (seen.TryGetValue(Key(fix), out var first))
            {
                item = item with { Decision = FixDecision.Duplicate, SameAs = first };
            }
            else
            {
                seen[Key(fix)] = number;
            }

            plan.Add(item);
        }

        return plan;
    }

    /// <summary>--only names a rule (GBMOD005), a finding's fingerprint (or a prefix of at least 8 of its characters), or RULEID:SUBJECT.</summary>
    public static bool Names(string selector, FixableFinding target) =>
        string.Equals(selector, target.Finding.RuleId, StringComparison.OrdinalIgnoreCase)
        || (selector.Length >= 8 && target.Fingerprint.StartsWith(selector, StringComparison.OrdinalIgnoreCase))
        || string.Equals(selector, $"{target.Finding.RuleId}:{target.Finding.Subject}", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether an applier has everything it needs: a go setting, or steps to run without a shell (and paths to move aside).</summary>
    public static bool Applicable(Fix fix) =>
        fix.Kind == FixKind.GoEnv ? fix.Variable is not null
        : fix.Kind == FixKind.Command && fix.Steps is not null && (fix.Steps.Count > 0 || fix.Removes is { Count: > 0 });

    /// <summary>Safest first: a go setting, then commands that rewrite files the applier backs up, then moving cache entries aside.</summary>
    private static int Rank(Fix fix) =>
        fix.Kind == FixKind.GoEnv ? 0
        : fix.Removes is { Count: > 0 } ? 2
        : 1;

    private static string Key(Fix fix) => $"{fix.Kind}\n{fix.Variable}\n{fix.Value}\n{fix.Command}";

    public static IReadOnlyList<string> Changes(Fix fix, FixContext context)
    {
        var lines = new List<string>();
        if (fix.Kind == FixKind.GoEnv && fix.Variable is { } name)
        {
            var setting = context.Settings.Setting(name);
            var old = setting is null ? "(unknown)" : Quoted(setting.Value);
            var from = setting?.Source switch
            {
                SettingSource.Environment => "the environment",
                SettingSource.EnvFile => $"the GOENV file {context.Settings.EnvFile.Path}" + (setting.Line is { } l ? $" line {l}" : ""),
                SettingSource.Default => "Go's default",
                _ => "unknown",
            };
            lines.Add(fix.Value is { } value
                ? $"go env: {name} {old} (from {from}) -> {Quoted(value)}"
                : $"go env: {name} {old} (from {from}) -> removed from the GOENV file (Go's default applies)");
            if (setting?.Source == SettingSource.Environment)
            {
                lines.Add($"note: {name} is set in the environment, which `go env -w` cannot override; the command will fail");
            }

            lines.Add($"runs: {fix.Command}");
            lines.Add($"backs up: the GOENV file {context.Settings.EnvFile.Path ?? "(none: GOENV=off)"}");
            return lines;
        }

        foreach (var path in fix.Removes ?? [])
        {
            lines.Add($"moves aside into the undo journal (not deleted), if present: {path}");
        }

        foreach (var path in fix.Rewrites ?? [])
        {
            lines.Add($"backs up, may rewrite: {path}");
        }

        foreach (var step in fix.Steps ?? [])
        {
            lines.Add($"runs in {context.ModuleRoot}: {Fix.CommandLine(step, ShellSyntax.Posix)}");
        }

        return lines;
    }

    /// <summary>One option of a manual finding; for the current shell's environment, also the forms for GitHub Actions and GitLab CI.</summary>
    private static IEnumerable<string> Option(Fix fix)
    {
        var text = fix.Command ?? (fix.File is not null ? $"edit {fix.File}: {fix.Edit}" : "");
        yield return $"{fix.Title}: {text}";
        if (fix.Kind == FixKind.Command && fix.Variable is { } name && fix.Command is { } command && (command.StartsWith("export ", StringComparison.Ordinal) || command.StartsWith("unset ", StringComparison.Ordinal)))
        {
            // A child process cannot change its parent shell: print what to paste instead of pretending.
            yield return $"  paste in your shell: {command}";
            yield return fix.Value is { } value
                ? $"  GitHub Actions step: echo {Fix.ShellQuote($"{name}={value}")} >> \"$GITHUB_ENV\""
                : $"  GitHub Actions: remove {name} from the workflow's env: (a later step cannot unset it through GITHUB_ENV)";
            yield return fix.Value is { } v
                ? $"  GitLab CI (.gitlab-ci.yml): variables: {{ {name}: {YamlQuote(v)} }}"
                : $"  GitLab CI: remove {name} from variables: in .gitlab-ci.yml and the project's CI/CD settings";
        }
    }

    private static string Quoted(string value) => $"\"{value}\"";

    private static string YamlQuote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
