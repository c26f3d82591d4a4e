using DiffPlex.Renderer;
using GoBuildRules.Core.IO;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Fixing;

/// <param name="GoBinary">The user's own go (the one the scan ran), for `go env -w` and the fixes' go commands.</param>
/// <param name="StepTimeout">The deadline of each command a fix runs.</param>
public sealed record ApplyOptions(FixContext Context, string GoBinary, TimeSpan StepTimeout);

/// <summary>What one run applied, the journal that undoes it, and the diffs of the files it rewrote.</summary>
public sealed record ApplyResult(FixJournal Journal, IReadOnlyList<string> Diffs);

/// <summary>
/// Applies planned fixes in plan order: backs up what a fix may rewrite and moves aside what it
/// removes (into the journal) before it runs anything, then runs its commands without a shell, each
/// under its own deadline and the run's cancellation token. `go env -w`/`-u` runs through the user's
/// go with the user's environment (so GOENV is theirs), exactly as they would type it.
/// </summary>
public sealed class FixApplier(IProcessRunner runner)
{
    /// <param name="confirm">Asked before each fix (a terminal prompt, or always yes with --yes).</param>
    public async Task<ApplyResult> ApplyAsync(FixJournal journal, IReadOnlyList<PlannedFix> plan, ApplyOptions options, Func<PlannedFix, bool> confirm, CancellationToken ct)
    {
        var root = options.Context.ModuleRoot;
        foreach (var item in plan.Where(p => p.Decision is FixDecision.Apply or FixDecision.Duplicate))
        {
            ct.ThrowIfCancellationRequested();
            var f = item.Target.Finding;
            var record = new AppliedFix(item.Number, f.RuleId, f.Subject, item.Target.Fingerprint, item.Fix.Title, item.Fix.Command ?? "");
            journal.Record.Fixes.Add(record);
            if (item.Decision == FixDecision.Duplicate)
            {
                record.Outcome = "same-as";
                record.Message = $"the same fix as #{item.SameAs}";
                continue;
            }

            if (!confirm(item))
            {
                record.Outcome = "skipped";
                journal.Save();
                continue;
            }

            try
            {
                record.Message = await ApplyOneAsync(journal, item.Fix, options, ct).ConfigureAwait(false);
                record.Outcome = record.Message is null ? "applied" : "failed";
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InputFileException)
            {
                record.Outcome = "failed";
                record.Message = e.Message;
            }
            finally
            {
                // After every fix, not once at the end: a run cut short (Ctrl+C) can still be undone
                // with the changed-since check for every fix that finished.
                journal.RecordAfter();
            }
        }

        journal.Record.State = "applied";
        journal.Save();
        return new ApplyResult(journal, Diffs(journal, root));
    }

    /// <summary>Null when the fix was applied, else why it failed (what was done before the failure stays in the journal).</summary>
    private async Task<string?> ApplyOneAsync(FixJournal journal, Fix fix, ApplyOptions options, CancellationToken ct)
    {
        var context = options.Context;
        if (fix.Kind == FixKind.GoEnv && fix.Variable is { } name)
        {
            if (context.Settings.EnvFile.Path is not { } envFile)
            {
                return "GOENV=off: `go env -w` has no file to write";
            }

            journal.BackUp(envFile);
            var setting = context.Settings.Setting(name);
            var argv = fix.Value is { } value ? new[] { "env", "-w", $"{name}={value}" } : ["env", "-u", name];
            var result = await Run(options, argv, ct).ConfigureAwait(false);
            var after = await Run(options, ["env", name], ct).ConfigureAwait(false);
            journal.Record.GoEnv.Add(new GoEnvChange(name, setting?.Value, setting?.Source.ToString() ?? "unknown", fix.Value, after.Succeeded ? after.StandardOutput.TrimEnd('\n') : null));
            return result.Succeeded ? null : Failure($"go {string.Join(' ', argv)}", result);
        }

        foreach (var path in fix.Rewrites ?? [])
        {
            journal.BackUp(Path.GetFullPath(path, context.ModuleRoot));
        }

        foreach (var path in fix.Removes ?? [])
        {
            journal.MoveAside(Path.GetFullPath(path));
        }

        foreach (var step in fix.Steps ?? [])
        {
            IReadOnlyList<string> argv = step[0] == "go" ? step.Skip(1).ToList() : step;
            var result = step[0] == "go"
                ? await Run(options, argv, ct).ConfigureAwait(false)
                : await runner.RunAsync(new ProcessRequest(step[0], step.Skip(1).ToList(), options.StepTimeout) { WorkingDirectory = context.ModuleRoot }, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return Failure(Fix.CommandLine(step, ShellSyntax.Posix), result);
            }
        }

        return null;
    }

    private Task<ProcessResult> Run(ApplyOptions options, IReadOnlyList<string> goArguments, CancellationToken ct) =>
        runner.RunAsync(new ProcessRequest(options.GoBinary, goArguments, options.StepTimeout) { WorkingDirectory = options.Context.ModuleRoot }, ct);

    private static string Failure(string command, ProcessResult result) => result.Outcome switch
    {
        ProcessOutcome.TimedOut => $"`{command}` did not finish within {result.Elapsed.TotalSeconds:0} s and was stopped",
        ProcessOutcome.NotFound => $"`{command}`: program not found",
        ProcessOutcome.FailedToStart => $"`{command}` could not start",
        _ => $"`{command}` exited with {result.ExitCode}: {LastLines(Secrets.Redact(result.StandardError))}",
    };

    private static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }

    /// <summary>A unified diff per rewritten text file, a summary per rewritten folder.</summary>
    private static IReadOnlyList<string> Diffs(FixJournal journal, string root)
    {
        var diffs = new List<string>();
        foreach (var b in journal.Record.Backups)
        {
            var name = Path.GetRelativePath(root, b.Path);
            if (b.AfterKind == b.Kind && b.After is { } after && FileState.SameContent(after, b.Files))
            {
                continue;
            }

            if (b.Kind != PathKind.Directory && b.AfterKind != PathKind.Directory)
            {
                var before = b.Kind == PathKind.File ? ReadSmallText(journal.CopyPath(b.Files[0])) : "";
                var now = b.AfterKind == PathKind.File ? ReadSmallText(b.Path) : "";
                diffs.Add(before is null || now is null
                    ? $"{name}: changed (binary or large file)"
                    : UnidiffRenderer.GenerateUnidiff(before, now, "a/" + name, "b/" + name, ignoreWhitespace: false));
                continue;
            }

            var old = b.Files.ToDictionary(f => f.Relative, f => f.Sha256);
            var neu = (b.After ?? []).ToDictionary(f => f.Relative, f => f.Sha256);
            var added = neu.Keys.Count(k => !old.ContainsKey(k));
            var removed = old.Keys.Count(k => !neu.ContainsKey(k));
            var changed = neu.Count(kv => old.TryGetValue(kv.Key, out var h) && h != kv.Value);
            diffs.Add($"{name}/: {added} files added, {removed} removed, {changed} changed");
        }

        return diffs;
    }

    private static string? ReadSmallText(string file)
    {
        var info = new FileInfo(file);
        if (!info.Exists || info.Length > 1024 * 1024)
        {
            return null;
        }

        var text = File.ReadAllText(file);
        return text.Contains('\0') ? null : text;
    }
}
