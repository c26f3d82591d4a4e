using System.Text;
using System.Text.Json;
using Cocona;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Fixing;
using GoBuildRules.Core.IO;
using GoBuildRules.Packs;
using GoBuildRules.Reporting;
using GoBuildRules.Sdk;

namespace GoBuildRules.Cli;

/// <summary>
/// `gobuildrules fix`: downstream of the report. It scans, plans the fixes the findings carry,
/// applies the chosen ones with an undo journal, and proves the result with a second scan and the
/// real `go build`. Nothing here feeds back into collection, rules or policy.
/// </summary>
public sealed class FixCommands(ScanPipeline pipeline, FixApplier applier, IProcessRunner runner, Output output, Invocation invocation)
{
    /// <summary>Each command a fix runs (a download, go mod vendor) gets this long.</summary>
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The proof: `go build` after the fixes.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(300);

    /// <summary>`--undo` given without an id (see <see cref="FixArguments.Normalize"/>).</summary>
    internal const string LastRun = "last";

    [Command("fix", Description = "Plan the fixes the findings carry (safest first); --apply applies them with an undo journal and proves them by scanning again and running go build; --undo puts everything back")]
    public async Task<int> FixAsync(
        [Option("path", ['p'], Description = "Folder of the Go module (default: the current folder)")] string? path = null,
        [Option("apply", Description = "Apply the planned fixes (asks per fix on a terminal unless --yes)")] bool apply = false,
        [Option("only", Description = "Only the findings of this rule id or finding fingerprint (repeatable); also allows the fixes that are never applied unless named")] string[]? only = null,
        [Option("yes", ['y'], Description = "Apply without asking")] bool yes = false,
        [Option("undo", Description = "Undo the last applied run, or the run with this id (ids are printed by --apply)")] string? undo = null,
        [Option("format", ['f'], Description = "console (default) or json")] string format = "console",
        [Option("offline", Description = "Send nothing over the network while scanning, and skip the go build proof")] bool offline = false,
        [Option("timeout", Description = "Deadline in seconds for each scan's collection (default: probeBudgetSeconds of gobuildrules.json, else 5)")] double? timeout = null,
        [Option("packs", Description = "Also load the rule packs in this folder (repeatable)")] string[]? packs = null,
        [Option("config", Description = "Use this gobuildrules.json instead of the one found at or above --path")] string? config = null)
    {
        invocation.Started();
        return await Guard.RunAsync(output, async ct =>
        {
            var json = format.ToLowerInvariant() switch
            {
                "console" => false,
                "json" => true,
                _ => throw new UsageException($"--format {format} is not one of console, json"),
            };
            var home = PackStore.Default().Home;
            if (undo is not null)
            {
                if (apply || only is { Length: > 0 })
                {
                    throw new UsageException("--undo cannot be combined with --apply or --only");
                }

                return Undo(home, undo == LastRun ? null : undo, json, ct);
            }

            // Never ask where nobody can answer, and never apply unasked: a CI job must say --yes.
            var interactive = !Console.IsInputRedirected && !Console.IsErrorRedirected;
            if (apply && !yes && !interactive)
            {
                throw new UsageException("fix --apply asks before each fix and there is no terminal to ask on; add --yes to apply without asking (nothing was applied)");
            }

            var request = new ScanRequest(path ?? Directory.GetCurrentDirectory(), null, offline, Arguments.Timeout(timeout ?? 5), FailOn.Never, false, packs ?? [])
            {
                TimeoutGiven = timeout is not null,
                FailOnGiven = true,
                ConfigFile = config,
            };
            var before = await pipeline.RunAsync(request, ct);
            var context = new FixContext(ModuleRoot(before.Snapshot, request.Path), before.Snapshot.GoSettings);
            var plan = FixPlanner.Plan(Fixable(before.Report), context, only ?? []);
            if (!apply)
            {
                Emit(json ? Json(new { plan = plan.Select(PlanJson) }) : RenderPlan(plan, context, applying: false));
                return ExitCodes.Success;
            }

            var chosen = plan.Where(p => p.Decision is FixDecision.Apply or FixDecision.Duplicate).ToList();
            if (!json)
            {
                Emit(RenderPlan(plan, context, applying: true));
            }

            if (chosen.Count == 0)
            {
                output.Info("gobuildrules: nothing to apply");
                if (json)
                {
                    Emit(Json(new { plan = plan.Select(PlanJson), applied = Array.Empty<object>() }));
                }

                return ExitCodes.Success;
            }

            FixJournal journal;
            try
            {
                journal = FixJournal.Create(home, context.ModuleRoot, DateTimeOffset.UtcNow);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InputFileException)
            {
                throw new UsageException($"cannot write the undo journal under {FixJournal.Root(home)}: {e.Message} (nothing was applied)");
            }

            var goBinary = before.Snapshot.Go.Path ?? "go";
            var result = await applier.ApplyAsync(journal, chosen, new ApplyOptions(context, goBinary, StepTimeout), item => yes || Ask(item), ct);

            var after = await pipeline.RunAsync(request, ct);
            var verification = Verify(before.Report, after.Report, journal.Record.Fixes);
            var build = offline ? null : await runner.RunAsync(
                new ProcessRequest(goBinary, ["build", "-o", "/dev/null", "./..."], BuildTimeout) { WorkingDirectory = context.ModuleRoot }, ct);
            var failed = journal.Record.Fixes.Any(f => f.Outcome == "failed") || verification.NotEffective.Count > 0 || build is { Succeeded: false };
            if (json)
            {
                Emit(Json(new
                {
                    plan = plan.Select(PlanJson),
                    journal = journal.Record.Id,
                    journalFolder = journal.Folder,
                    applied = journal.Record.Fixes,
                    goEnv = journal.Record.GoEnv,
                    diffs = result.Diffs.Select(Secrets.Redact),
                    verification,
                    goBuild = build is null ? null : new { exitCode = build.Succeeded ? 0 : build.ExitCode, outcome = build.Outcome.ToString(), stderr = Secrets.Redact(build.StandardError) },
                }));
            }
            else
            {
                Emit(RenderResult(journal, result, verification, build));
            }

            return failed ? ExitCodes.FindingsAtOrAboveFailOn : ExitCodes.Success;
        });
    }

    private int Undo(string home, string? id, bool json, CancellationToken ct)
    {
        FixJournal? journal;
        try
        {
            journal = FixJournal.Open(home, id);
        }
        catch (InputFileException e)
        {
            throw new UsageException(e.Message);
        }

        if (journal is null)
        {
            throw new UsageException(id is null
                ? $"no applied fix run to undo in {FixJournal.Root(home)}"
                : $"no fix run {id} in {FixJournal.Root(home)}");
        }

        if (journal.Record.State == "undone")
        {
            throw new UsageException($"fix run {journal.Record.Id} was undone already");
        }

        UndoResult result;
        try
        {
            result = FixUndo.Undo(journal, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InputFileException)
        {
            // Undo skips what it already put back, so running it again after fixing the cause finishes the job.
            throw new UsageException($"undo of fix run {journal.Record.Id} stopped: {e.Message}; what was restored stays restored, run it again once the cause is fixed");
        }

        if (json)
        {
            Emit(Json(new { journal = journal.Record.Id, restored = result.Restored, refused = result.Refused }));
        }
        else
        {
            var sb = new StringBuilder();
            sb.Append($"Undid fix run {journal.Record.Id} ({journal.Record.ModuleRoot}): {result.Restored.Count} restored, {result.Refused.Count} refused\n");
            foreach (var r in result.Restored)
            {
                sb.Append($"  restored: {r}\n");
            }

            foreach (var r in result.Refused)
            {
                sb.Append($"  refused:  {r}\n");
            }

            Emit(sb.ToString());
        }

        foreach (var r in result.Refused)
        {
            output.Warning($"not undone: {r}");
        }

        return result.Refused.Count == 0 ? ExitCodes.Success : ExitCodes.FindingsAtOrAboveFailOn;
    }

    /// <summary>The question on stderr, the answer from stdin; anything but y/yes is no.</summary>
    private static bool Ask(PlannedFix item)
    {
        Console.Error.Write($"Apply #{item.Number} {item.Target.Finding.RuleId}: {item.Fix.Title}? [y/N] ");
        var answer = Console.In.ReadLine()?.Trim().ToLowerInvariant();
        return answer is "y" or "yes";
    }

    private void Emit(string text) => output.WriteStdout(text);

    private static string ModuleRoot(Snapshot snapshot, string path) =>
        snapshot.Workspace.Root is { Length: > 0 } root ? root : Path.GetFullPath(path);

    private static IReadOnlyList<FixableFinding> Fixable(Report report) =>
        report.Findings.Select(f => new FixableFinding(f.Fingerprint, new Finding(f.RuleId, f.Severity, f.Message)
        {
            Subject = f.Subject,
            Evidence = f.Evidence,
            Location = f.Location,
            Fixes = f.Fixes,
        })).ToList();

    /// <summary>Before/after by fingerprint; an applied fix whose finding is still there was not effective.</summary>
    internal static Verification Verify(Report before, Report after, IReadOnlyList<AppliedFix> fixes)
    {
        var was = before.Findings.Select(f => f.Fingerprint).ToHashSet();
        var now = after.Findings.Select(f => f.Fingerprint).ToHashSet();
        static string Line(ReportFinding f) => $"{f.RuleId} {f.Subject}: {f.Message}";
        return new Verification(
            before.Findings.Where(f => !now.Contains(f.Fingerprint)).Select(Line).ToList(),
            after.Findings.Where(f => was.Contains(f.Fingerprint)).Select(Line).ToList(),
            after.Findings.Where(f => !was.Contains(f.Fingerprint)).Select(Line).ToList(),
            fixes.Where(f => f.Outcome == "applied" && now.Contains(f.Fingerprint)).Select(f => $"#{f.Number} {f.RuleId} {f.Subject}: {f.Title}").ToList());
    }

    internal sealed record Verification(IReadOnlyList<string> Gone, IReadOnlyList<string> Remaining, IReadOnlyList<string> New, IReadOnlyList<string> NotEffective);

    private static string RenderPlan(IReadOnlyList<PlannedFix> plan, FixContext context, bool applying)
    {
        var sb = new StringBuilder();
        var toApply = plan.Count(p => p.Decision == FixDecision.Apply);
        sb.Append($"Fix plan for {context.ModuleRoot}: {plan.Count} finding{(plan.Count == 1 ? "" : "s")} with fixes, {toApply} to apply"
            + (applying ? "\n" : " (nothing is changed without --apply)\n"));
        foreach (var p in plan)
        {
            var f = p.Target.Finding;
            var tag = p.Decision switch
            {
                FixDecision.Apply => "apply",
                FixDecision.Duplicate => $"same as #{p.SameAs}",
                FixDecision.NeedsNaming => $"only with --only {f.RuleId} or --only {p.Target.Fingerprint[..12]}",
                _ => "manual",
            };
            sb.Append($"\n{p.Number,2}. [{tag}] {f.RuleId} {f.Subject} ({p.Target.Fingerprint[..12]})\n");
            sb.Append($"    {f.Message}\n");
            if (p.Decision == FixDecision.Manual)
            {
                sb.Append("    not applied by the tool; the options, safest first:\n");
                foreach (var o in p.Options)
                {
                    sb.Append($"      {o}\n");
                }

                continue;
            }

            sb.Append($"    fix: {p.Fix.Title}\n    risk: {p.Fix.Risk}\n");
            foreach (var c in p.Changes)
            {
                sb.Append($"    - {c}\n");
            }
        }

        return sb.ToString();
    }

    private static string RenderResult(FixJournal journal, ApplyResult result, Verification v, ProcessResult? build)
    {
        var sb = new StringBuilder();
        sb.Append($"\nApplied (undo with `gobuildrules fix --undo {journal.Record.Id}`; journal {journal.Folder}):\n");
        foreach (var f in journal.Record.Fixes)
        {
            sb.Append($"  #{f.Number} {f.Outcome}: {f.RuleId} {f.Subject}: {f.Title}{(f.Message is null ? "" : " — " + f.Message)}\n");
        }

        foreach (var a in journal.Record.Aside)
        {
            sb.Append($"  moved aside: {a.Path} -> {Path.Combine(journal.Folder, a.Stored)}\n");
        }

        foreach (var g in journal.Record.GoEnv)
        {
            sb.Append($"  go env {g.Variable}: \"{g.Before}\" ({g.Source}) -> \"{g.After}\"\n");
        }

        foreach (var d in result.Diffs)
        {
            sb.Append('\n').Append(Secrets.Redact(d).TrimEnd('\n')).Append('\n');
        }

        sb.Append("\nAfter a new scan:\n");
        Section(sb, "gone", v.Gone);
        Section(sb, "remaining", v.Remaining);
        Section(sb, "new", v.New);
        Section(sb, "NOT EFFECTIVE (applied, but the finding is still there)", v.NotEffective);
        if (build is null)
        {
            sb.Append("go build: not run (--offline)\n");
        }
        else
        {
            sb.Append(build.Succeeded
                ? "go build -o /dev/null ./...: ok\n"
                : $"go build -o /dev/null ./...: {(build.Outcome == ProcessOutcome.TimedOut ? "did not finish in time" : $"exit {build.ExitCode}")}\n{Indent(Secrets.Redact(build.StandardError))}");
        }

        return sb.ToString();
    }

    private static void Section(StringBuilder sb, string title, IReadOnlyList<string> lines)
    {
        sb.Append($"  {title}: {lines.Count}\n");
        foreach (var l in lines)
        {
            sb.Append($"    {l}\n");
        }
    }

    private static string Indent(string text) =>
        string.Concat(text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20).Select(l => "    " + l + "\n"));

    private static object PlanJson(PlannedFix p) => new
    {
        number = p.Number,
        decision = p.Decision.ToString(),
        sameAs = p.SameAs,
        ruleId = p.Target.Finding.RuleId,
        subject = p.Target.Finding.Subject,
        fingerprint = p.Target.Fingerprint,
        message = p.Target.Finding.Message,
        fix = p.Fix,
        changes = p.Changes,
        options = p.Options,
    };

    private static readonly JsonSerializerOptions Indented = new(SnapshotJson.Options) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(object value) => JsonSerializer.Serialize(value, Indented) + "\n";
}

/// <summary>Cocona has no option with an optional value: a bare `--undo` becomes `--undo last`.</summary>
internal static class FixArguments
{
    public static string[] Normalize(string[] args)
    {
        if (args.Length == 0 || args[0] != "fix")
        {
            return args;
        }

        var result = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            result.Add(args[i]);
            if (args[i] == "--undo" && (i + 1 == args.Length || args[i + 1].StartsWith('-')))
            {
                result.Add(FixCommands.LastRun);
            }
        }

        return [.. result];
    }
}
