using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cocona;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Core.Watch;
using GoBuildRules.Reporting;
using GoBuildRules.Sdk;

namespace GoBuildRules.Cli;

/// <summary>`gobuildrules watch -- COMMAND…`: the build under a stall detector; see docs/architecture.md#watch.</summary>
public sealed class WatchCommands(ScanPipeline pipeline, Output output, Invocation invocation)
{
    /// <summary>The rule every stall has a finding from; a more specific cause ranks before it.</summary>
    private const string FallbackRule = "GBRUN001";

    [Command("watch", Description = "Run a build command, detect when it stalls, capture why, explain it with the rules and stop it (-- COMMAND [ARGS...])")]
    public async Task<int> WatchAsync(
        [Option("stall", Description = "A stall is no output, I/O or CPU progress of the whole process tree for this long: 90s, 5m or seconds (default 60s)")] string stall = "60s",
        [Option("timeout", Description = "Hard limit for the whole command: 90s, 5m or seconds (default: none)")] string? timeout = null,
        [Option("kill-after", Description = "After SIGTERM, wait this long before SIGKILL (default 10s)")] string killAfter = "10s",
        [Option("diagnose-dir", Description = "Where the evidence of a stall goes, in a YYYYMMDD-HHMMSS folder (default ./diagnose)")] string diagnoseDir = "diagnose",
        [Option("format", ['f'], Description = "Report of a stall, repeatable: console, md, html, sarif, json, optionally =FILE (default: md; without FILE into the diagnose folder)")] string[]? format = null,
        [Option("scan-timeout", Description = "Deadline in seconds for the snapshot taken at a stall (default: probeBudgetSeconds of gobuildrules.json, else 5)")] double? scanTimeout = null,
        [Argument("command", Description = "The command to run and its arguments, after --")] string[]? command = null)
    {
        invocation.Started();
        var stallLimit = Duration("--stall", stall, allowZero: false);
        var timeoutLimit = timeout is null ? TimeSpan.Zero : Duration("--timeout", timeout, allowZero: false);
        var killDelay = Duration("--kill-after", killAfter, allowZero: true);
        if (stallLimit is null || timeoutLimit is null || killDelay is null)
        {
            return ExitCodes.UsageOrConfigError;
        }

        if (scanTimeout is { } st && st is not (> 0 and <= 600))
        {
            output.Error($"--scan-timeout {st} is out of range (0 < seconds <= 600)");
            return ExitCodes.UsageOrConfigError;
        }

        if (command is not { Length: > 0 })
        {
            output.Error("watch needs a command after --, e.g. gobuildrules watch -- go build ./...");
            return ExitCodes.UsageOrConfigError;
        }

        var options = new WatchOptions(command)
        {
            Stall = stallLimit.Value,
            Timeout = timeout is null ? null : timeoutLimit,
            KillAfter = killDelay.Value,
        };

        IReadOnlyList<OutputRequest> outputs;
        try
        {
            // One by one: a format without a file goes into the diagnose folder, so several may lack one.
            outputs = (format is { Length: > 0 } ? format : ["md"]).SelectMany(f => OutputRequests.Parse([f], null, [])).ToList();
        }
        catch (ArgumentException e)
        {
            output.Error(e.Message);
            return ExitCodes.UsageOrConfigError;
        }

        try
        {
            // The files named on the command line are checked now, not after a build that may run for an hour.
            AtomicOutputs.Check(outputs.Where(o => o.File is not null).Select(o => o.File));
        }
        catch (UsageException e)
        {
            output.Error(e.Message);
            return ExitCodes.UsageOrConfigError;
        }

        var signalCode = 0;
        using var interrupt = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);
        void Interrupt(PosixSignalContext context)
        {
            // The default would end watch at once and leave the build running.
            context.Cancel = true;
            Interlocked.CompareExchange(ref signalCode, context.Signal switch
            {
                PosixSignal.SIGTERM => ExitCodes.Terminated,
                PosixSignal.SIGHUP => 129,
                _ => ExitCodes.Interrupted,
            }, 0);
            interrupt.Cancel();
        }

        var capture = new StallCapture(pipeline, Path.GetFullPath(diagnoseDir), scanTimeout);
        WatchResult result;
        try
        {
            result = await new WatchSupervisor().RunAsync(options, capture.OnStallAsync, interrupt.Token);
        }
        catch (Exception e) when (e is WatchException or IOException or UnauthorizedAccessException)
        {
            output.Error(e.Message);
            return ExitCodes.WatchFailed;
        }
        finally
        {
            capture.Packs?.Dispose();
        }

        switch (result.End)
        {
            case WatchEnd.Exited:
                return result.ExitCode!.Value;
            case WatchEnd.NotFound:
                output.Error(result.StartError!);
                return ExitCodes.CommandNotFound;
            case WatchEnd.NotExecutable:
                output.Error(result.StartError!);
                return ExitCodes.CommandNotExecutable;
            case WatchEnd.Interrupted:
                var code = Volatile.Read(ref signalCode);
                output.Error($"{(code == ExitCodes.Terminated ? "terminated (SIGTERM)" : code == 129 ? "hung up (SIGHUP)" : "interrupted")}; the build was stopped{Survivors(result)}");
                return code;
        }

        try
        {
            var (scan, folder) = await capture.FinishAsync(options, result, outputs, output, interrupt.Token);
            var top = TopFinding(scan.Report, scan.Snapshot);
            var what = result.End == WatchEnd.Stalled
                ? $"build stalled for {Durations.Format(result.Stall!.Idle)}"
                : $"build timed out after {Durations.Format(result.Stall!.Elapsed)}";
            var cause = top is null ? "no rule names the cause" : $"{top.RuleId} {top.Message}";
            Console.Error.WriteLine($"gobuildrules: {what}: {cause} (report: {Path.GetRelativePath(Directory.GetCurrentDirectory(), Path.Combine(folder, "report.md"))}){Survivors(result)}");
        }
        catch (Exception e) when (e is UsageException or TemplateException or IOException or UnauthorizedAccessException)
        {
            output.Error($"the build {(result.End == WatchEnd.Stalled ? "stalled" : "timed out")} and was stopped, but its report could not be written: {e.Message}");
        }

        return ExitCodes.TimedOut;
    }

    private static string Survivors(WatchResult result) =>
        result.Survivors.Count == 0 ? "" : $"; processes {string.Join(", ", result.Survivors)} did not die even of SIGKILL";

    /// <summary>
    /// The finding the one-line summary names: one about a process of the stalled tree (its pid, or an
    /// endpoint it is connected to) first, then the generic GBRUN001 "stuck in…", then anything else
    /// the scan found; errors before warnings at each rank.
    /// </summary>
    public static ReportFinding? TopFinding(Report report, Snapshot snapshot)
    {
        var tree = snapshot.Watch?.Processes.Select(p => p.Pid).ToHashSet() ?? [];
        var pids = tree.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
        var endpoints = snapshot.LiveProcesses.Processes.Where(p => tree.Contains(p.Pid)).SelectMany(p => p.Connections).Select(c => c.Remote).Distinct().ToList();
        bool Mentions(ReportFinding f, string text) => f.Message.Contains(text, StringComparison.Ordinal) || f.Evidence.Any(e => e.Value.Contains(text, StringComparison.Ordinal));
        bool AboutTree(ReportFinding f) =>
            pids.Any(pid => Mentions(f, $"pid {pid}") || f.Evidence.Any(e => e.Value == pid)) || endpoints.Any(e => Mentions(f, e));
        int Rank(ReportFinding f) => f.RuleId == FallbackRule ? 2 : AboutTree(f) ? 0 : 4;
        return report.Findings
            .Select((f, i) => (f, i))
            .OrderBy(x => Rank(x.f) + (x.f.Severity == Severity.Error ? 0 : 1))
            .ThenBy(x => x.i)
            .Select(x => x.f)
            .FirstOrDefault();
    }

    private TimeSpan? Duration(string option, string text, bool allowZero)
    {
        if (Durations.Parse(text) is { } d && (allowZero || d > TimeSpan.Zero) && d <= TimeSpan.FromDays(7))
        {
            return d;
        }

        output.Error($"{option} {text} is not a duration such as 90s, 5m or 120 (seconds)");
        return null;
    }

    /// <summary>The evidence of one stall: the snapshot while the tree is stuck, then the files and the report.</summary>
    private sealed class StallCapture(ScanPipeline pipeline, string diagnoseDir, double? scanTimeout)
    {
        private readonly Stopwatch total = new();
        private ScanRequest? request;
        private ConfiguredPacks? configured;
        private Snapshot? snapshot;
        private TimeSpan collected;
        private IReadOnlyList<BuildProcess> processes = [];
        private string? collectError;

        public PackSet? Packs { get; private set; }

        public string Folder { get; } = Path.Combine(diagnoseDir, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));

        public async Task OnStallAsync(WatchStall stall, CancellationToken ct)
        {
            total.Start();
            processes = WatchCapture.Describe(stall);
            try
            {
                var cwd = Directory.GetCurrentDirectory();
                configured = pipeline.InstalledPacks(cwd, null);
                request = ScanPipeline.WithConfig(
                    new ScanRequest(cwd, null, false, Arguments.Timeout(scanTimeout ?? 5), FailOn.Error, false, [])
                    {
                        TimeoutGiven = scanTimeout is not null,
                        WatchedPids = stall.Tree.Select(p => p.Pid).ToHashSet(),
                    },
                    configured.Config);
                Packs = pipeline.LoadPacks([], configured);
                var sw = Stopwatch.StartNew();
                snapshot = await pipeline.CollectAsync(request, Packs, ct).ConfigureAwait(false);
                collected = sw.Elapsed;
            }
            catch (Exception e)
            {
                // The evidence is best effort: the tree, the dumps and the stop go on without a snapshot.
                collectError = $"{e.GetType().Name}: {e.Message}";
            }
        }

        public async Task<(ScanResult Scan, string Folder)> FinishAsync(WatchOptions options, WatchResult result, IReadOnlyList<OutputRequest> outputs, Output output, CancellationToken ct)
        {
            Directory.CreateDirectory(Folder);
            var facts = WatchCapture.Facts(
                string.Join(' ', options.Command.Select(Fix.ShellQuote)),
                result.Stall!,
                processes,
                result.Dumps,
                result.OutputCaptured,
                pid => $"goroutines-{pid}.txt");
            foreach (var dump in result.Dumps)
            {
                await File.WriteAllTextAsync(Path.Combine(Folder, $"goroutines-{dump.Pid}.txt"), Secrets.Redact(dump.Text), ct).ConfigureAwait(false);
            }

            await File.WriteAllTextAsync(Path.Combine(Folder, "processes.txt"), WatchCapture.ProcessTable(facts, snapshot?.LiveProcesses ?? new LiveProcessFacts()), ct).ConfigureAwait(false);
            await File.WriteAllTextAsync(
                Path.Combine(Folder, "output-tail.txt"),
                result.OutputCaptured
                    ? string.Join('\n', result.OutputTail) + "\n"
                    : "(the command wrote to a terminal, which watch passes through untouched: its output and goroutine dumps are on that terminal)\n",
                ct).ConfigureAwait(false);

            var snap = (snapshot ?? new Snapshot { ToolVersion = ScanPipeline.ToolVersion, CollectedAt = DateTimeOffset.UtcNow }) with { Watch = facts };
            if (collectError is not null)
            {
                snap = snap with { CollectionIssues = [.. snap.CollectionIssues, new CollectionIssue("watch", $"the snapshot could not be taken: {collectError}")] };
            }

            await File.WriteAllTextAsync(Path.Combine(Folder, "snapshot.json"), snap.ToJson() + "\n", ct).ConfigureAwait(false);
            var packs = Packs ?? pipeline.LoadPacks([], configured ?? pipeline.InstalledPacks(Directory.GetCurrentDirectory(), null));
            Packs = packs;
            var req = request ?? new ScanRequest(Directory.GetCurrentDirectory(), null, false, TimeSpan.FromSeconds(5), FailOn.Error, false, []);
            var scan = await pipeline.EvaluateAsync(req, configured?.Config ?? ScanPipeline.LoadConfig(req.Path, null), packs, snap, collected, total, ct).ConfigureAwait(false);

            var requests = outputs.Select(o => o with { File = o.File ?? Path.Combine(Folder, "report." + Extension(o.Format)) }).ToList();
            if (!requests.Any(r => r.Format == "md" && r.File == Path.Combine(Folder, "report.md")))
            {
                requests.Add(new OutputRequest("md", Path.Combine(Folder, "report.md"), null));
            }

            Reports.Write(output, scan.Report, requests, AtomicOutputs.Check(requests.Select(r => r.File)), ct);
            return (scan, Folder);
        }

        private static string Extension(string format) => format switch
        {
            "console" => "txt",
            _ => format,
        };
    }
}
