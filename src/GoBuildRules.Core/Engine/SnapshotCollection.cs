using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Diagnostics;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Engine;

/// <summary>
/// Builds the snapshot: the core facts first (every pack collector may read them), then all pack
/// collectors in parallel, and the go oracle as soon as the collectors that must run before go have
/// returned, the whole under one deadline that each phase shares:
/// the core facts stop at <see cref="CoreShare"/> of it (a hung `go env` must not leave the rest
/// nothing), the collectors at <see cref="CollectorShare"/> of what the core facts left, the oracle
/// at the end. A collector that fails, overruns or is cut by its deadline leaves a collection issue
/// in the snapshot (and no facts when it did not return); the others are kept.
/// </summary>
public sealed class SnapshotCollection(CoreCollector core, IProcessRunner processes)
{
    /// <summary>The part of the deadline the core facts may use at most (they usually take a fraction of it).</summary>
    public const double CoreShare = 0.6;

    /// <summary>The part of the time left after the core facts that the pack collectors may use.</summary>
    public const double CollectorShare = 0.6;

    /// <summary>The least the pack collectors get, however late the core facts were.</summary>
    private static readonly TimeSpan CollectorMinimum = TimeSpan.FromMilliseconds(100);

    /// <summary>Below this, go cannot even start: the oracle is not asked and the report says so.</summary>
    private static readonly TimeSpan OracleMinimum = TimeSpan.FromMilliseconds(100);

    public async Task<Snapshot> CollectAsync(CollectOptions options, IReadOnlyDictionary<string, string> environment, IEnumerable<LoadedPack> packs, CancellationToken cancellationToken) =>
        await CollectPacksAsync(await CollectCoreAsync(options, environment, cancellationToken).ConfigureAwait(false), packs, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The first phase alone: the core facts, which read no pack. A caller may load the packs meanwhile
    /// (<see cref="CollectPacksAsync"/> then takes them): loading is CPU work, and the core facts mostly wait for go and the tools.
    /// </summary>
    public async Task<CoreCollection> CollectCoreAsync(CollectOptions options, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var end = DateTimeOffset.UtcNow + options.Deadline;
        var snapshot = await Timing.MeasureAsync("collect: core facts", () => core.CollectAsync(options with { Deadline = options.Deadline * CoreShare }, environment, cancellationToken)).ConfigureAwait(false);
        return new CoreCollection(snapshot, options, environment, end);
    }

    /// <summary>The pack collectors over the core facts, then the go oracle, under what is left of the deadline the core facts started.</summary>
    public async Task<Snapshot> CollectPacksAsync(CoreCollection collected, IEnumerable<LoadedPack> packs, CancellationToken cancellationToken)
    {
        var (snapshot, options, environment, end) = collected;
        var issues = new List<CollectionIssue>(snapshot.CollectionIssues);
        if (options.Deadline <= TimeSpan.Zero)
        {
            issues.Add(new CollectionIssue("core", "not collected: start-up and pack loading used the whole deadline, so go, the tools and the running processes were not asked") { TimedOut = true });
        }
        else if (CoreCut(snapshot) is { Count: > 0 } coreCut)
        {
            issues.Add(new CollectionIssue("core", $"stopped at its share of the scan's deadline ({(options.Deadline * CoreShare).TotalSeconds:0.##} s): {string.Join("; ", coreCut)}") { TimedOut = true });
        }

        // The pack collectors get CollectorShare of what the core facts left: the rest is the go
        // oracle's, which may have to wait for them (RunsBeforeGo): the oracle is the ground truth, and on
        // a loaded machine the collectors (probes, walks) would otherwise leave it no time. A share of the remainder, not of
        // the whole deadline: slow core facts would otherwise leave the collectors nothing.
        // Never less than CollectorMinimum: a collector that would fail or answer at once must get to say so,
        // even when the core facts used their whole share (the promise's grace covers it).
        var collectorsShare = ScanDeadline.Left(end) * CollectorShare;
        var collectorsEnd = DateTimeOffset.UtcNow + (collectorsShare > CollectorMinimum ? collectorsShare : CollectorMinimum);
        var context = new CollectionContext(snapshot, processes, options.Offline);
        var runs = packs
            .SelectMany(p => p.Collectors.Select(c => (Pack: p.Info.Id, Collector: c)))
            .Select(x => (x.Collector, Outcome: RunCollectorAsync(x.Pack, x.Collector, context, collectorsEnd, cancellationToken)))
            .ToList();

        // The go oracle starts once every collector that must see the machine before go has returned
        // (ISnapshotCollector.RunsBeforeGo: its go list may repair the module cache those collectors read),
        // and runs beside the others, under what is left of the deadline.
        await Task.WhenAll(runs.Where(r => RunsBeforeGo(r.Collector)).Select(r => r.Outcome)).ConfigureAwait(false);
        var oracleRun = AskGoAsync(options.Path, snapshot.Workspace.GitTopLevel, environment, end, cancellationToken);

        var outcomes = await Task.WhenAll(runs.Select(r => r.Outcome)).ConfigureAwait(false);
        foreach (var outcome in outcomes)
        {
            if (outcome.Facts is { } facts)
            {
                snapshot = snapshot.WithExtension(outcome.Key, facts);
            }

            issues.AddRange(outcome.Issues);
        }

        // While go runs: each pack's facts are read back as its rules will read them, so that facts that do not
        // round-trip (the collector contract) are one issue naming the collector rather than a crash in every
        // rule that reads them; and the first read of each facts type, mostly JIT, is paid while go works.
        var readBack = Task.Run(() => ReadBack(runs.Select(r => r.Collector).Zip(outcomes)), CancellationToken.None);

        // Verdicts another pack would misread (another contract major) are left out by the reader; say so here.
        issues.AddRange(EndpointVerdicts.Read(snapshot).Issues);

        issues.AddRange(await readBack.ConfigureAwait(false));
        var (oracle, oracleIssue) = await oracleRun.ConfigureAwait(false);
        if (oracleIssue is not null)
        {
            issues.Add(oracleIssue);
        }

        return snapshot with { CollectionIssues = issues, GoOracle = oracle };
    }

    private static List<CollectionIssue> ReadBack(IEnumerable<(ISnapshotCollector Collector, CollectorOutcome Outcome)> collected)
    {
        using var span = Timing.Start("collect: read the facts back");
        var issues = new List<CollectionIssue>();
        foreach (var (collector, outcome) in collected)
        {
            if (outcome.Facts is not { } facts)
            {
                continue;
            }

            try
            {
                _ = System.Text.Json.JsonSerializer.Deserialize(facts, collector.FactsType, SnapshotJson.Options);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                issues.Add(new CollectionIssue(outcome.Source, $"its facts do not read back as the record it declares ({e.GetType().Name}: {e.Message}); the rules that read them will fail"));
            }
        }

        return issues;
    }

    /// <summary>A collector whose RunsBeforeGo throws is taken to need it: the safe order.</summary>
    private static bool RunsBeforeGo(ISnapshotCollector collector)
    {
        try
        {
            return collector.RunsBeforeGo;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return true;
        }
    }

    /// <summary>The go oracle under what is left of the deadline, or why it was not asked or was cut.</summary>
    private async Task<(GoOracleFacts Facts, CollectionIssue? Issue)> AskGoAsync(string path, string? gitTopLevel, IReadOnlyDictionary<string, string> environment, DateTimeOffset end, CancellationToken ct)
    {
#if WITHOUT_GO_ORACLE
        await Task.CompletedTask.ConfigureAwait(false);
        return (new GoOracleFacts { SkippedBecause = "built without the go oracle (-p:GoOracle=off, the benchmark's comparison build)" }, null);
#else
        if (ScanDeadline.Left(end) < OracleMinimum)
        {
            return (new GoOracleFacts { SkippedBecause = "the scan's deadline left no time to ask go" },
                new CollectionIssue("go oracle", "not asked: the scan's deadline left no time for `go list`; what go itself would say about this module was not checked") { TimedOut = true });
        }

        using var oracleSpan = Timing.Start("collect: go oracle");
        var started = DateTimeOffset.UtcNow;
        var oracle = await new GoOracle(processes).CollectAsync(path, gitTopLevel, environment, end, ct).ConfigureAwait(false);
        return oracle.Commands.Where(c => c.TimedOut).Select(c => c.Command).ToList() is { Count: > 0 } cut
            ? (oracle, new CollectionIssue("go oracle", $"{string.Join(" and ", cut)} stopped at the scan's deadline after {(DateTimeOffset.UtcNow - started).TotalSeconds:0.##} s: what go itself would say about this module is not known (`timeout 60 go list -x -deps ./...` shows what go waits on)") { TimedOut = true })
            : (oracle, null);
#endif
    }

    private sealed record CollectorOutcome(string Source, string Key, System.Text.Json.JsonElement? Facts, IReadOnlyList<CollectionIssue> Issues)
    {
        public CollectorOutcome(string source, string key, System.Text.Json.JsonElement? facts, CollectionIssue issue)
            : this(source, key, facts, [issue])
        {
        }
    }

    /// <summary>
    /// What a collector that returned could not check: each item its facts publish
    /// (<see cref="IReportsNotChecked"/>), or, when its deadline fired and it published none, that its facts may be partial.
    /// Partial facts are never silent: a missing probe must not read as a healthy one.
    /// </summary>
    private static IReadOnlyList<CollectionIssue> NotChecked(string source, System.Text.Json.JsonElement facts, bool cut, TimeSpan budget)
    {
        var items = Sdk.NotChecked.In(facts);
        if (items.Count > 0)
        {
            return items.Select(i => new CollectionIssue(source, $"not checked: {i}") { TimedOut = true }).ToList();
        }

        return cut
            ? [new CollectionIssue(source, $"cut by the scan's deadline after {budget.TotalSeconds:0.##} s; its facts may be partial (what it had not read yet was not checked)") { TimedOut = true }]
            : [];
    }

    /// <summary>The core facts that the deadline stopped (their only limit), as "what was not checked".</summary>
    private static List<string> CoreCut(Snapshot snapshot)
    {
        var cut = new List<string>();
        if (snapshot.Go.Status == ToolStatus.TimedOut)
        {
            cut.Add(snapshot.Go.CutShort ? $"go was not given time enough to answer ({snapshot.Go.Error})" : "`go version` / `go env -json` did not answer, so go's settings are not known");
        }

        cut.AddRange(snapshot.Tools.Where(t => t.Name != "go" && t.Status == ToolStatus.TimedOut).Select(t => $"`{t.Name} --version` did not answer"));
        if (snapshot.Hangs.Trigger is not null && snapshot.Hangs.Probes.Count == 0)
        {
            cut.Add("no time was left to find which program hangs (CC, CXX, git, pkg-config, go were not asked)");
        }

        cut.AddRange(snapshot.LiveProcesses.Problems.Where(p => p.Contains("did not finish within", StringComparison.Ordinal)));
        return cut;
    }

    /// <summary>Between the token's cancellation and giving up on a collector: time to return what it has.</summary>
    private static readonly TimeSpan ReturnGrace = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxReturnGrace = TimeSpan.FromMilliseconds(500);

    private static async Task<CollectorOutcome> RunCollectorAsync(string pack, ISnapshotCollector collector, CollectionContext context, DateTimeOffset end, CancellationToken ct)
    {
        var source = $"{pack}:{collector.Key}";
        using var span = Timing.Start($"collector: {source}");
        var left = ScanDeadline.Left(end);
        // The token fires a little before the end, so that a collector that honours it returns by the end.
        // A tenth of the window, 0.1 to 0.5 s, never more than a fifth: on a busy machine unwinding the awaits of cancelled probes takes a while.
        var grace = left / 10 < ReturnGrace ? ReturnGrace : left / 10 > MaxReturnGrace ? MaxReturnGrace : left / 10;
        grace = grace > left / 5 ? left / 5 : grace;
        var budget = left - grace;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(budget);
        // A thread of its own for the synchronous part, so that a collector that blocks (a file walk,
        // a stuck read) cannot starve the pool the other collectors run on.
        var work = Task.Factory.StartNew(
            async () =>
            {
                var facts = await collector.CollectJsonAsync(context, cts.Token).ConfigureAwait(false);
                // Read as it returns: a token that fired before then may have cut the facts short.
                return (Facts: facts, Cut: cts.IsCancellationRequested && !ct.IsCancellationRequested);
            },
            cts.Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();
        try
        {
            var (facts, cut) = await work.WaitAsync(left, ct).ConfigureAwait(false);
            return new CollectorOutcome(source, collector.Key, facts, NotChecked(source, facts, cut, budget));
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new CollectorOutcome(source, collector.Key, null,
                new CollectionIssue(source, $"did not finish within the {budget.TotalSeconds:0.##} s collection deadline; its facts are missing") { TimedOut = true });
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new CollectorOutcome(source, collector.Key, null, new CollectionIssue(source, $"failed: {e.GetType().Name}: {e.Message}"));
        }
    }
}

/// <summary>The core facts of a scan and the deadline they started, for <see cref="SnapshotCollection.CollectPacksAsync"/>.</summary>
public sealed record CoreCollection(Snapshot Snapshot, CollectOptions Options, IReadOnlyDictionary<string, string> Environment, DateTimeOffset End);
