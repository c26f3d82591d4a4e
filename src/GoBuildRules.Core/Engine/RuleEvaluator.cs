using GoBuildRules.Core.Diagnostics;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Engine;

/// <param name="Rule">The descriptor of every rule that was run, with its pack.</param>
public sealed record EvaluatedRule(string PackId, RuleDescriptor Rule);

public sealed record Evaluation(IReadOnlyList<Finding> Findings, IReadOnlyList<EvaluatedRule> Rules, IReadOnlyList<ToolNotification> Notifications)
{
    /// <summary>The rules abandoned because the scan's deadline came before they answered: what they check was not checked.</summary>
    public IReadOnlyList<string> CutByDeadline { get; init; } = [];
}

/// <summary>
/// Runs every rule over the snapshot, in parallel on a few threads of its own (<see cref="Lanes"/>), each
/// under its own deadline. A rule that throws or overruns becomes a tool notification; the findings of the
/// other rules stand.
/// </summary>
public sealed class RuleEvaluator
{
    /// <summary>A rule gets at least this much even when the scan's deadline has passed: its facts were already paid for.</summary>
    public static readonly TimeSpan MinimumPerRule = TimeSpan.FromMilliseconds(100);

    /// <summary>A rule still running after this (or a quarter of its budget, when less) gets a thread added for the rules behind it.</summary>
    private static readonly TimeSpan SlowAfter = TimeSpan.FromMilliseconds(100);

    /// <param name="until">The scan's deadline for the rules: a rule still running then is abandoned and reported as not checked.</param>
    public async Task<Evaluation> EvaluateAsync(Snapshot snapshot, IEnumerable<LoadedPack> packs, TimeSpan perRule, CancellationToken cancellationToken, DateTimeOffset? until = null)
    {
        var rules = packs.SelectMany(p => p.Rules.Select(r => (Pack: p.Info.Id, Rule: r))).ToList();
        var left = until is { } u ? ScanDeadline.Left(u) : perRule;
        var byDeadline = left < perRule;
        var budget = !byDeadline ? perRule : left > MinimumPerRule ? left : MinimumPerRule;
        var lanes = new Lanes(rules.Select(x => new RuleRun(SafeId(x.Rule), x.Rule)).ToList(), snapshot, budget);
        // With the scan's deadline (nearly) gone, each rule only gets MinimumPerRule from its own start: a queue
        // would leave the rules at its end no time on a busy machine, so every rule gets a lane at once.
        lanes.Add(byDeadline && left <= MinimumPerRule * 2 ? rules.Count : Math.Clamp(Environment.ProcessorCount, 2, 8));
        var slowAfter = budget / 4 < SlowAfter ? budget / 4 : SlowAfter;
        var outcomes = await Task.WhenAll(lanes.Runs.Select((run, i) => AwaitAsync(rules[i].Pack, run, lanes, budget, slowAfter, byDeadline, until, cancellationToken))).ConfigureAwait(false);

        var findings = outcomes.SelectMany(o => o.Findings)
            .OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal)
            .ToList();
        return new Evaluation(
            findings,
            rules.Select(x => new EvaluatedRule(x.Pack, x.Rule.Descriptor)).ToList(),
            outcomes.SelectMany(o => o.Notifications).ToList())
        {
            CutByDeadline = outcomes.Where(o => o.CutByDeadline is not null).Select(o => o.CutByDeadline!).ToList(),
        };
    }

    private sealed record Outcome(IReadOnlyList<Finding> Findings, IReadOnlyList<ToolNotification> Notifications)
    {
        public string? CutByDeadline { get; init; }
    }

    /// <summary>One rule's run: when a lane started it, and what it returned.</summary>
    private sealed class RuleRun(string id, IRule rule)
    {
        public string Id { get; } = id;
        public IRule Rule { get; } = rule;
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<List<Finding>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public CancellationTokenSource Stop { get; } = new();

        /// <summary>Set when the rule is given up on (its deadline came first): a lane that has not taken it yet skips it.</summary>
        public volatile bool Abandoned;
    }

    /// <summary>
    /// The threads rules run on: threads of their own, not the pool (a rule that blocks must not starve the
    /// pool the scan's deadlines resume on), a few taking the rules in turn. Thread.Start waits until the new
    /// thread runs, about a millisecond on a busy machine, which with a thread per rule was most of the rules
    /// phase. A lane whose rule is slow gets a new lane beside it, so a blocking rule costs a thread, never the
    /// time of the rules behind it.
    /// </summary>
    private sealed class Lanes(IReadOnlyList<RuleRun> runs, Snapshot snapshot, TimeSpan budget)
    {
        private int next = -1;

        public IReadOnlyList<RuleRun> Runs => runs;

        public void Add(int count = 1)
        {
            for (var i = 0; i < count && Volatile.Read(ref next) < runs.Count - 1; i++)
            {
                new Thread(Work) { IsBackground = true, Name = "gbr-rules" }.Start();
            }
        }

        private void Work()
        {
            while (Interlocked.Increment(ref next) is var i && i < runs.Count)
            {
                var run = runs[i];
                if (run.Abandoned)
                {
                    continue;
                }

                run.Stop.CancelAfter(budget);
                run.Started.TrySetResult();
                try
                {
                    run.Done.TrySetResult(Timing.Measure($"rule: {run.Id}", () => run.Rule.Evaluate(snapshot, run.Stop.Token).ToList()));
                }
                catch (Exception e)
                {
                    run.Done.TrySetException(e);
                }
                finally
                {
                    run.Stop.Dispose();
                }
            }
        }
    }

    private static async Task<Outcome> AwaitAsync(string pack, RuleRun run, Lanes lanes, TimeSpan budget, TimeSpan slowAfter, bool byDeadline, DateTimeOffset? until, CancellationToken ct)
    {
        var id = run.Id;
        try
        {
            // Taken by a lane in turn; the lanes only run short of threads while a rule is slow, and then grow.
            // Bounded all the same: a rule that never starts must be reported, never waited for.
            var startBy = until is { } u && byDeadline ? Later(ScanDeadline.Left(u), MinimumPerRule) : budget + NeverStarted;
            await run.Started.Task.WaitAsync(startBy, ct).ConfigureAwait(false);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (await Task.WhenAny(run.Done.Task, Task.Delay(slowAfter, ct)).ConfigureAwait(false) != run.Done.Task)
            {
                lanes.Add();
            }

            var produced = await run.Done.Task.WaitAsync(Later(budget - System.Diagnostics.Stopwatch.GetElapsedTime(started), TimeSpan.Zero), ct).ConfigureAwait(false);
            var foreign = produced.Where(f => f.RuleId != id).Select(f => f.RuleId).Distinct().ToList();
            var notes = foreign.Count == 0
                ? []
                : new List<ToolNotification> { new(NotificationLevel.Warning, pack, $"rule {id} reported findings under other ids ({string.Join(", ", foreign)}); they were dropped") { RuleId = id } };
            return new Outcome(produced.Where(f => f.RuleId == id).ToList(), notes);
        }
        catch (Exception e) when ((e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested)) && byDeadline)
        {
            run.Abandoned = true;
            return new Outcome([], [new(NotificationLevel.Warning, pack, $"rule {id} did not finish before the scan's deadline ({budget.TotalSeconds:0.##} s for the rules) and was abandoned: what it checks was not checked") { RuleId = id }])
            {
                CutByDeadline = id,
            };
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            run.Abandoned = true;
            return new Outcome([], [new(NotificationLevel.Error, pack, $"rule {id} did not finish within {budget.TotalSeconds:0.##} s and was abandoned") { RuleId = id }]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Outcome([], [new(NotificationLevel.Error, pack, $"rule {id} crashed: {e.GetType().Name}: {e.Message}") { RuleId = id }]);
        }
    }

    /// <summary>How long, beyond its budget, a rule may wait for a lane outside a scan's deadline before it is reported.</summary>
    private static readonly TimeSpan NeverStarted = TimeSpan.FromSeconds(10);

    private static TimeSpan Later(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string SafeId(IRule rule)
    {
        try
        {
            return rule.Descriptor.Id;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return rule.GetType().Name;
        }
    }
}
