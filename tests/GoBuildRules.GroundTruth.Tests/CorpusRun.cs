using System.Globalization;
using System.Text;
using GoBuildRules.Reporting;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.GroundTruth.Tests;

public enum Verdict
{
    TrueHealthy,
    FalseHealthy,
    TrueBroken,
    FalseBroken,
}

/// <summary>What go and the tool made of one case.</summary>
public sealed record CaseResult(CorpusCase Case, GoOutcome Go, string GoOutput, int ScanExitCode, IReadOnlyList<ReportFinding> Errors, IReadOnlyList<string> Causes, string ScanOutput)
{
    /// <summary>What the scan said it could not do (collection issues, tool notifications): why a cause may be missing.</summary>
    public IReadOnlyList<string> ScanTrouble { get; init; } = [];

    public string? SetupError { get; init; }

    public bool GoBroken => Go != GoOutcome.Ok;

    /// <summary>Error findings that name the case's cause.</summary>
    public IEnumerable<ReportFinding> Naming => Errors.Where(f => Causes.Any(c => Names(f, c)));

    public Verdict Verdict => (GoBroken, Errors.Count > 0, Naming.Any()) switch
    {
        (false, false, _) => Verdict.TrueHealthy,
        (false, true, _) => Verdict.FalseBroken,
        (true, _, true) => Verdict.TrueBroken,
        (true, _, false) => Verdict.FalseHealthy,
    };

    public bool Agrees => Verdict is Verdict.TrueHealthy or Verdict.TrueBroken;

    public string GoSays => Go switch
    {
        GoOutcome.Hangs => "hangs" + (FirstLine(GoOutput) is { } l ? $" ({l})" : ""),
        GoOutcome.Fails => FirstLine(GoOutput) ?? "fails",
        _ => "ok",
    };

    public string ToolSays => Errors.Count == 0
        ? "no error"
        : string.Join("; ", Errors.Select(e => $"{e.RuleId} {Shorten(e.Message, 140)}"));

    public string Describe() =>
        $"case '{Case.Name}' ({Case.Setup}): {Case.GoCommand} → {Go} (expected {Case.Expected}); go said: {Shorten(GoOutput.Trim(), 600)}\n" +
        $"scan exit {ScanExitCode}; error findings: {(Errors.Count == 0 ? "none" : string.Join("\n  ", Errors.Select(e => $"{e.RuleId}: {e.Message}")))}\n" +
        $"cause to name: {string.Join(" | ", Causes)}; verdict {Verdict}" +
        (SetupError is null ? "" : $"\nsetup failed: {SetupError}") +
        (ScanTrouble.Count == 0 ? "" : "\nthe scan could not: " + string.Join("; ", ScanTrouble)) +
        (Errors.Count == 0 && ScanExitCode is not (0 or 1) ? "\n" + ScanOutput : "");

    private static bool Names(ReportFinding f, string cause) =>
        IsRuleId(cause)
            ? f.RuleId == cause
            : new[] { f.Message, f.Subject }.Concat(f.Evidence.Select(e => e.Value)).Any(t => t.Contains(cause, StringComparison.OrdinalIgnoreCase));

    private static bool IsRuleId(string s) => s.Length > 5 && s.StartsWith("GB", StringComparison.Ordinal) && s.All(char.IsLetterOrDigit) && char.IsDigit(s[^1]) && s.ToUpperInvariant() == s;

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(l => !l.StartsWith("go: downloading", StringComparison.Ordinal));

    internal static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + "…";
}

/// <summary>
/// Runs every case once per test run, several at a time (most of the time is spent waiting on go,
/// the tool and the servers), and keeps the results for the per-case tests and the matrix.
/// </summary>
public sealed class CorpusRun : IDisposable
{
    /// <summary>The corpus and the deadline tests share the machine's cores: they never run at the same time.</summary>
    public const string Collection = "ground truth";

    /// <summary>How long go may take before a case counts as hanging, for the cases that are meant to hang.</summary>
    public static readonly TimeSpan HangAfter = TimeSpan.FromSeconds(6);

    /// <summary>
    /// The scan's own --timeout. Generous on purpose: with the machine's cores busy (several cases at
    /// once, other builds) `go env` alone can take seconds, and what the corpus measures is whether
    /// the rules name the cause, not how the scan copes with a loaded machine (the deadline tests do).
    /// </summary>
    public const int ScanTimeoutSeconds = 20;

    /// <summary>docs/accuracy.md below this line is written by hand and kept when the page is regenerated.</summary>
    public const string HandWrittenMarker = "<!-- written by hand below: kept when the page is regenerated -->";

    private readonly SharedProxy proxy = new();

    public CorpusRun()
    {
        var parallel = int.TryParse(Environment.GetEnvironmentVariable("GBR_CORPUS_PARALLEL"), out var p) && p > 0 ? p : 4;
        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, CaseResult>();
        // The cases that wait longest start first.
        // GBR_CORPUS_CASES="name;name" runs only those cases, while working on them (the other rows then fail).
        var only = Environment.GetEnvironmentVariable("GBR_CORPUS_CASES")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var order = Corpus.Cases.Where(c => only is null || only.Contains(c.Name)).OrderBy(c => c.Expected == GoOutcome.Hangs ? 0 : 1).ToList();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = parallel }, c => results[c.Name] = RunCase(c));
        Results = results;
    }

    public IReadOnlyDictionary<string, CaseResult> Results { get; }

    private CaseResult RunCase(CorpusCase c)
    {
        using var w = new CaseWorld(proxy);
        try
        {
            c.Arrange(w);
        }
        catch (Exception e)
        {
            return new CaseResult(c, c.Expected, "", -1, [], c.Cause, "") { SetupError = e.Message };
        }

        var go = GoToolchain.Run(w.Dir, w.Env, c.Expected == GoOutcome.Hangs ? HangAfter : TimeSpan.FromSeconds(120), c.GoArgs);
        var outcome = go.TimedOut ? GoOutcome.Hangs : go.ExitCode == 0 ? GoOutcome.Ok : GoOutcome.Fails;

        var scan = Cli.Run(
            ["scan", "--path", w.Dir, "--format", "json", "--timeout", ScanTimeoutSeconds.ToString(CultureInfo.InvariantCulture)],
            w.Dir, w.Env, TimeSpan.FromSeconds(90));
        Report report;
        try
        {
            report = ReportJson.Deserialize(scan.Stdout);
        }
        catch (FormatException e)
        {
            return new CaseResult(c, outcome, go.Output, scan.ExitCode, [], [.. c.Cause, .. w.Causes], scan.ToString()) { SetupError = $"the scan printed no report ({e.Message}); exit {scan.ExitCode}: {scan.Stderr.Trim()}" };
        }

        // The case's temp folder differs per run; $CASE keeps the page the same from run to run.
        string Local(string s) => s.Replace(w.Root, "$CASE", StringComparison.Ordinal);
        var errors = report.Findings.Where(f => f.Severity == Severity.Error).Select(f => f with { Message = Local(f.Message) }).ToList();
        return new CaseResult(c, outcome, Local(go.Output), scan.ExitCode, errors, [.. c.Cause, .. w.Causes], scan.ToString())
        {
            ScanTrouble =
            [
                .. report.Snapshot.CollectionIssues.Select(i => $"{i.Source}: {i.Message}"),
                .. report.Notifications.Select(n => $"{n.Source}: {n.Message}"),
            ],
        };
    }

    /// <summary>The confusion matrix as a Markdown table.</summary>
    public string Matrix()
    {
        int Count(Verdict v) => Results.Values.Count(r => r.SetupError is null && r.Verdict == v);
        return new StringBuilder()
            .AppendLine("| | go succeeds | go fails or hangs |")
            .AppendLine("|---|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| scan: no error finding naming the cause | **{Count(Verdict.TrueHealthy)}** true healthy | **{Count(Verdict.FalseHealthy)}** false healthy |")
            .AppendLine(CultureInfo.InvariantCulture, $"| scan: an error finding (naming the cause) | **{Count(Verdict.FalseBroken)}** false broken | **{Count(Verdict.TrueBroken)}** true broken |")
            .ToString();
    }

    /// <summary>docs/accuracy.md as this run found it.</summary>
    public string AccuracyPage()
    {
        static string Cell(string s) => CaseResult.Shorten(s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal), 220);
        var page = new StringBuilder()
            .AppendLine("# Accuracy: the ground-truth corpus")
            .AppendLine()
            .AppendLine("Every case of `tests/GoBuildRules.GroundTruth.Tests` is a real module set up on disk in its own")
            .AppendLine("GOPATH, GOMODCACHE, GOCACHE, GOENV and HOME, run through the real go 1.19 (ok / fails / hangs after")
            .AppendLine(CultureInfo.InvariantCulture, $"{HangAfter.TotalSeconds:0} s) and through `gobuildrules scan --timeout {ScanTimeoutSeconds}`. They agree when go succeeds and the")
            .AppendLine("scan has no error finding, or go fails or hangs and an error finding names the cause (the rule id or")
            .AppendLine("text listed per case). Proxies and checksum databases are a shared file:// proxy or servers on")
            .AppendLine("127.0.0.1. Regenerate this page from a real run:")
            .AppendLine("`GBR_WRITE_ACCURACY=1 dotnet test tests/GoBuildRules.GroundTruth.Tests`.")
            .AppendLine()
            .AppendLine("## Confusion matrix")
            .AppendLine()
            .Append(Matrix())
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{Results.Count} cases, {Results.Values.Count(r => r.Case.Expected == GoOutcome.Ok)} of them healthy setups.")
            .AppendLine()
            .AppendLine("## Cases")
            .AppendLine()
            .AppendLine("| case | pack | setup | go | what go says | cause to name | scan errors | verdict |")
            .AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var c in Corpus.Cases)
        {
            var r = Results[c.Name];
            page.AppendLine(CultureInfo.InvariantCulture,
                $"| {Cell(c.Name)} | {c.Pack} | {Cell(c.Setup)} | `{c.GoCommand}` | {Cell(r.GoSays)} | {(c.CauseText is { Length: > 0 } cause ? Cell(cause) : "—")} | {Cell(r.ToolSays)} | {(r.SetupError is null ? r.Verdict.ToString() : "setup failed")} |");
        }

        return page.ToString();
    }

    public void Dispose() => proxy.Dispose();
}
