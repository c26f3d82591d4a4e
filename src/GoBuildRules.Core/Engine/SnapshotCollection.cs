using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Diagnostics;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Engine;

/// <summary>
/// Builds the snapshot: the core facts first (every pack collector may read them), then all pack
/// collectors in parallel (for <see cref="CollectorShare"/> of the time the core facts left), then the go oracle,
/// the whole under one deadline. A collector that fails or overruns leaves
/// a collection issue in the snapshot and no facts; the others are kept.
/// </summary>
public sealed class SnapshotCollection(CoreCollector core, IProcessRunner processes)
{
    public async Task<Snapshot> CollectAsync(CollectOptions options, IReadOnlyDictionary<string, string> environment, IEnumerable<LoadedPack> packs, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var snapshot = await Timing.MeasureAsync("collect: core facts", () => core.CollectAsync(options, environment, cancellationToken)).ConfigureAwait(false);
        // The pack collectors get CollectorShare of what the core facts left: the rest is the go
        // oracle's, which runs after them: the oracle is the ground truth, and on a loaded machine the
        // collectors (probes, walks) would otherwise leave it no time. A share of the remainder, not of
        // the whole deadline: slow core facts would otherwise leave the collectors nothing.
        var left = (options.Deadline - (DateTimeOffset.UtcNow - started)) * CollectorShare;
        if (left < TimeSpan.FromMilliseconds(50))
        {
            left = TimeSpan.FromMilliseconds(50);
        }

        var context = new CollectionContext(snapshot, processes, options.Offline);
        var runs = packs
            .SelectMany(p => p.Collectors.Select(c => (Pack: p.Info.Id, Collector: c)))
            .Select(x => RunCollectorAsync(x.Pack, x.Collector, context, left, cancellationToken))
            .ToList();

        var issues = new List<CollectionIssue>(snapshot.CollectionIssues);
        foreach (var outcome in await Task.WhenAll(runs).ConfigureAwait(false))
        {
            if (outcome.Facts is { } facts)
            {
                snapshot = snapshot.WithExtension(outcome.Key, facts);
            }

            if (outcome.Issue is not null)
            {
                issues.Add(outcome.Issue);
            }
        }

        // Verdicts another pack would misread (another contract major) are left out by the reader; say so here.
        issues.AddRange(EndpointVerdicts.Read(snapshot).Issues);

        // The go oracle runs last, under what is left of the deadline: its go list does what any go
        // command does to the module cache (extracts a zip under a .partial, writes a missing .ziphash,
        // leaves VER.lock files), so it must not run while the collectors read that cache.
        using var oracleSpan = Timing.Start("collect: go oracle");
        var oracle = await new GoOracle(processes).CollectAsync(options.Path, snapshot.Workspace.GitTopLevel, environment, started + options.Deadline, cancellationToken).ConfigureAwait(false);
        return snapshot with { CollectionIssues = issues, GoOracle = oracle };
    }

    /// <summary>The part of the time left after the core facts that the pack collectors may use.</summary>
    public const double CollectorShare = 0.6;

    private sealed record CollectorOutcome(string Source, string Key, System.Text.Json.JsonElement? Facts, CollectionIssue? Issue);

    private static async Task<CollectorOutcome> RunCollectorAsync(string pack, ISnapshotCollector collector, CollectionContext context, TimeSpan budget, CancellationToken ct)
    {
        var source = $"{pack}:{collector.Key}";
        using var span = Timing.Start($"collector: {source}");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(budget);
        // A thread of its own for the synchronous part, so that a collector that blocks (a file walk,
        // a stuck read) cannot starve the pool the other collectors run on.
        var work = Task.Factory.StartNew(() => collector.CollectJsonAsync(context, cts.Token), cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        try
        {
            var facts = await work.WaitAsync(budget + TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
            return new CollectorOutcome(source, collector.Key, facts, null);
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
