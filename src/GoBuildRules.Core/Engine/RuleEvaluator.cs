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
/// Runs every rule over the snapshot, in parallel, each under its own deadline. A rule that throws
/// or overruns becomes a tool notification; the findings of the other rules stand.
/// </summary>
public sealed class RuleEvaluator
{
    /// <summary>A rule gets at least this much even when the scan's deadline has passed: its facts were already paid for.</summary>
    public static readonly TimeSpan MinimumPerRule = TimeSpan.FromMilliseconds(100);

    /// <param name="until">The scan's deadline for the rules: a rule still running then is abandoned and reported as not checked.</param>
    public async Task<Evaluation> EvaluateAsync(Snapshot snapshot, IEnumerable<LoadedPack> packs, TimeSpan perRule, CancellationToken cancellationToken, DateTimeOffset? until = null)
    {
        var rules = packs.SelectMany(p => p.Rules.Select(r => (Pack: p.Info.Id, Rule: r))).ToList();
        var left = until is { } u ? ScanDeadline.Left(u) : perRule;
        var byDeadline = left < perRule;
        var budget = !byDeadline ? perRule : left > MinimumPerRule ? left : MinimumPerRule;
        var outcomes = await Task.WhenAll(rules.Select(x => RunAsync(x.Pack, x.Rule, snapshot, budget, byDeadline, cancellationToken))).ConfigureAwait(false);

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

    private static async Task<Outcome> RunAsync(string pack, IRule rule, Snapshot snapshot, TimeSpan budget, bool byDeadline, CancellationToken ct)
    {
        var id = SafeId(rule);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(budget);
        // A thread of its own: a rule that blocks must not starve the pool that the other rules run on.
        var work = Task.Factory.StartNew(() => Timing.Measure($"rule: {id}", () => rule.Evaluate(snapshot, cts.Token).ToList()), cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            var produced = await work.WaitAsync(budget, ct).ConfigureAwait(false);
            var foreign = produced.Where(f => f.RuleId != id).Select(f => f.RuleId).Distinct().ToList();
            var notes = foreign.Count == 0
                ? []
                : new List<ToolNotification> { new(NotificationLevel.Warning, pack, $"rule {id} reported findings under other ids ({string.Join(", ", foreign)}); they were dropped") { RuleId = id } };
            return new Outcome(produced.Where(f => f.RuleId == id).ToList(), notes);
        }
        catch (Exception e) when ((e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested)) && byDeadline)
        {
            return new Outcome([], [new(NotificationLevel.Warning, pack, $"rule {id} did not finish before the scan's deadline ({budget.TotalSeconds:0.##} s for the rules) and was abandoned: what it checks was not checked") { RuleId = id }])
            {
                CutByDeadline = id,
            };
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new Outcome([], [new(NotificationLevel.Error, pack, $"rule {id} did not finish within {budget.TotalSeconds:0.##} s and was abandoned") { RuleId = id }]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new Outcome([], [new(NotificationLevel.Error, pack, $"rule {id} crashed: {e.GetType().Name}: {e.Message}") { RuleId = id }]);
        }
    }

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
