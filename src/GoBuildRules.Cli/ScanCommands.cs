using Cocona;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.IO;
using GoBuildRules.Reporting;

namespace GoBuildRules.Cli;

public sealed class ScanCommands(ScanPipeline pipeline, Output output, Invocation invocation)
{
    [Command("scan", Description = "Collect a snapshot of this machine and workspace, run every rule pack, and report")]
    public async Task<int> ScanAsync(
        [Option("path", ['p'], Description = "Folder of the Go module to scan (default: the current folder)")] string? path = null,
        [Option("format", ['f'], Description = "Report format and optional file, repeatable: console, md, html, sarif, json, e.g. --format sarif=out.sarif --format md")] string[]? format = null,
        [Option("output", ['o'], Description = "Write the one report that has no file of its own to this file instead of standard output")] string? outputFile = null,
        [Option("template", Description = "Render a format with your own Scriban template: [FORMAT=]FILE (repeatable)")] string[]? template = null,
        [Option("from", Description = "Replay a snapshot written by `gobuildrules snapshot` instead of collecting one")] string? from = null,
        [Option("offline", Description = "Send nothing over the network: probes are skipped, configuration rules still run")] bool offline = false,
        [Option("timeout", Description = "Deadline in seconds for all collection, probes included (default: probeBudgetSeconds of gobuildrules.json, else 5)")] double? timeout = null,
        [Option("fail-on", Description = "Exit 1 when a finding reaches this level: error, warning, note or never (default: failOn of gobuildrules.json, else error)")] string? failOn = null,
        [Option("strict", Description = "Exit 3 when a pack failed to load or a rule crashed (and no finding decided the exit code)")] bool strict = false,
        [Option("packs", Description = "Also load the rule packs in this folder (repeatable)")] string[]? packs = null,
        [Option("config", Description = "Use this gobuildrules.json instead of the one found at or above --path")] string? config = null,
        [Option("require-signed", Description = "Refuse a configured pack whose package is not signed")] bool requireSigned = false)
    {
        invocation.Started();
        return await Guard.RunAsync(output, async ct =>
        {
            var request = new ScanRequest(
                path ?? Directory.GetCurrentDirectory(),
                from,
                offline,
                Arguments.Timeout(timeout ?? 5),
                Arguments.FailOn(failOn ?? "error"),
                strict,
                packs ?? [])
            {
                TimeoutGiven = timeout is not null,
                FailOnGiven = failOn is not null,
                ConfigFile = config,
                RequireSigned = requireSigned,
                // --timeout is a promise for the whole run: the runtime's start-up counts against it.
                StartedAt = ScanDeadline.ProcessStart(),
            };
            var outputs = Arguments.Outputs(format, outputFile, template);
            var targets = AtomicOutputs.Check(outputs.Select(o => o.File));
            var templates = Reports.Prepare(outputs, ct);
            var result = await pipeline.RunAsync(request, ct);
            using (GoBuildRules.Core.Diagnostics.Timing.Start("scan: render and write the reports"))
            {
                Reports.Write(output, result.Report, outputs, templates, targets, ct);
            }

            Reports.Announce(output, result.Report, outputs, result.Report.ExitCode);
            return result.Report.ExitCode;
        });
    }

    [Command("convert", Description = "Render a saved JSON report (scan --format json=FILE) in other formats, without scanning again")]
    public async Task<int> ConvertAsync(
        [Option("from", Description = "The JSON report to read")] string from,
        [Option("format", ['f'], Description = "Report format and optional file, repeatable: console, md, html, sarif, json")] string[]? format = null,
        [Option("output", ['o'], Description = "Write the one report that has no file of its own to this file instead of standard output")] string? outputFile = null,
        [Option("template", Description = "Render a format with your own Scriban template: [FORMAT=]FILE (repeatable)")] string[]? template = null)
    {
        invocation.Started();
        return await Guard.RunAsync(output, ct =>
        {
            var outputs = Arguments.Outputs(format, outputFile, template);
            var targets = AtomicOutputs.Check(outputs.Select(o => o.File));
            var report = Reports.Read(from, ct);
            Reports.Write(output, report, outputs, targets, ct);
            Reports.Announce(output, report, outputs, exitCode: null);
            return Task.FromResult(ExitCodes.Success);
        });
    }

    [Command("snapshot", Description = "Collect the environment snapshot and write it as JSON, for `scan --from` or a bug report")]
    public async Task<int> SnapshotAsync(
        [Option("path", ['p'], Description = "Folder of the Go module (default: the current folder)")] string? path = null,
        [Option("output", ['o'], Description = "File to write the snapshot to (default: standard output)")] string? outputFile = null,
        [Option("offline", Description = "Send nothing over the network")] bool offline = false,
        [Option("timeout", Description = "Deadline in seconds for all collection")] double timeout = 5,
        [Option("packs", Description = "Also run the collectors of the rule packs in this folder (repeatable)")] string[]? packs = null)
    {
        invocation.Started();
        return await Guard.RunAsync(output, async ct =>
        {
            var request = new ScanRequest(path ?? Directory.GetCurrentDirectory(), null, offline, Arguments.Timeout(timeout), FailOn.Never, false, packs ?? []);
            using var loaded = pipeline.LoadPacks(request.ExtraPackFolders, pipeline.InstalledPacks(request.Path, null));
            foreach (var error in loaded.Errors)
            {
                output.Warning($"pack {error.Pack} not loaded: {error.Message}");
            }

            var snapshot = await pipeline.CollectAsync(request, loaded, ct);
            output.Write(snapshot.ToJson() + "\n", outputFile);
            return ExitCodes.Success;
        });
    }
}

internal static class Arguments
{
    /// <summary>Below this, `go env` alone cannot answer and every fact would read as a hang.</summary>
    public const double MinTimeoutSeconds = 0.5;

    public static TimeSpan Timeout(double seconds) =>
        seconds is >= MinTimeoutSeconds and <= 600 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--timeout {seconds} is out of range ({MinTimeoutSeconds} <= seconds <= 600; less leaves no time to ask go and would report false hangs)");

    public static FailOn FailOn(string value) =>
        Core.Config.TeamConfigFile.ParseFailOn(value) ?? throw new UsageException($"--fail-on {value} is not one of error, warning, note, never");

    public static IReadOnlyList<OutputRequest> Outputs(string[]? formats, string? output, string[]? templates)
    {
        try
        {
            return OutputRequests.Parse(formats ?? [], output, templates ?? []);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>Renders every requested format first, then writes them as one transaction (see AtomicOutputs).</summary>
internal static class Reports
{
    public static void Write(Output output, Report report, IReadOnlyList<OutputRequest> requests, IReadOnlyList<AtomicOutputs.Target> targets, CancellationToken ct) =>
        Write(output, report, requests, Prepare(requests, ct), targets, ct);

    /// <param name="prepared">The requests' templates from <see cref="Prepare"/>, one each; a failure to prepare one surfaces here.</param>
    public static void Write(Output output, Report report, IReadOnlyList<OutputRequest> requests, IReadOnlyList<Task<PreparedTemplate>> prepared, IReadOnlyList<AtomicOutputs.Target> targets, CancellationToken ct)
    {
        var rendered = requests.Select((r, i) => (targets[i], ReportRenderer.Render(
            report,
            prepared[i].GetAwaiter().GetResult(),
            new RenderOptions(Color: r.File is null && r.Format == "console" && output.ColorEnabled) { Cancellation = ct }))).ToList();
        AtomicOutputs.Commit(output, rendered, ct);
    }

    /// <summary>
    /// Reads and parses every requested template on the thread pool: a scan starts this before it collects,
    /// so that the parse overlaps the collection instead of following the rules.
    /// </summary>
    public static IReadOnlyList<Task<PreparedTemplate>> Prepare(IReadOnlyList<OutputRequest> requests, CancellationToken ct) =>
        requests.Select(r => Task.Run(
            () => ReportRenderer.Prepare(
                r.Format,
                r.TemplateFile is null ? null : ReadText(r.TemplateFile, "template", ct),
                r.TemplateFile is null ? null : Path.GetFileName(r.TemplateFile)),
            CancellationToken.None)).ToList();

    /// <summary>
    /// When no report goes to standard output (a CI step that writes only files), one summary line
    /// and the path of every file on stderr, so that the log still says what happened and where it went.
    /// </summary>
    /// <param name="exitCode">The exit code of this run, or null when the run only re-renders a report.</param>
    public static void Announce(Output output, Report report, IReadOnlyList<OutputRequest> requests, int? exitCode)
    {
        if (requests.Any(r => r.File is null))
        {
            return;
        }

        var s = report.Summary;
        var counts = $"{Count(s.Errors, "error")}, {Count(s.Warnings, "warning")}, {Count(s.Notes, "note")}"
            + (s.Suppressed > 0 ? $", {s.Suppressed} suppressed" : "")
            + (s.Notifications > 0 ? $", {Count(s.Notifications, "tool notification")}" : "");
        output.Info($"gobuildrules: {counts}" + (exitCode is { } code ? $" · exit {code} (fail-on {report.FailOn})" : ""));
        foreach (var r in requests)
        {
            output.Info($"  {r.Format}: {Path.GetFullPath(r.File!)}");
        }
    }

    private static string Count(int n, string word) => n == 1 ? $"1 {word}" : $"{n} {word}s";

    public static Report Read(string file, CancellationToken ct)
    {
        try
        {
            return ReportJson.Deserialize(ReadText(file, "report", ct));
        }
        catch (FormatException e)
        {
            throw new UsageException($"{file} is {e.Message}");
        }
    }

    public static string ReadText(string file, string what, CancellationToken ct)
    {
        try
        {
            return BoundedFile.ReadAllText(file, what, ct: ct);
        }
        catch (InputFileException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>Turns every expected failure into one line on stderr and its documented exit code.</summary>
internal static class Guard
{
    public static async Task<int> RunAsync(Output output, Func<CancellationToken, Task<int>> body)
    {
        using var termination = new Termination(output.Error);
        try
        {
            var code = await body(termination.Token);
            return termination.ExitCode ?? code;
        }
        catch (Exception e) when (termination.ExitCode is { } signalled && (e is OperationCanceledException || termination.Token.IsCancellationRequested))
        {
            output.Error(signalled == ExitCodes.Terminated ? "terminated (SIGTERM)" : "interrupted");
            return signalled;
        }
        catch (Exception e) when (e is UsageException or WorkspaceNotFoundException or TemplateException)
        {
            output.Error(e.Message);
            return ExitCodes.UsageOrConfigError;
        }
        catch (Exception e)
        {
            // A bug, not bad input: still one line and a documented code, never a stack trace.
            output.Error($"internal error: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")} (please report it; GOBUILDRULES_DEBUG=1 prints the stack trace)");
            if (Environment.GetEnvironmentVariable("GOBUILDRULES_DEBUG") == "1")
            {
                output.Error(e.ToString());
            }

            return ExitCodes.InternalError;
        }
    }
}
