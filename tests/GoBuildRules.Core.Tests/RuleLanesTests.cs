using System.Diagnostics;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Tests;

/// <summary>
/// Rules share a few threads of their own (RuleEvaluator's lanes). Rules that block must cost threads,
/// never the time or the findings of the rules queued behind them.
/// </summary>
public sealed class RuleLanesTests
{
    [Fact]
    public async Task Forty_rules_that_block_forever_neither_hold_up_nor_hide_the_findings_of_the_others()
    {
        var blocking = Enumerable.Range(1, 40).Select(i => (IRule)new Rule($"GBTL{i:000}", block: true));
        var quick = Enumerable.Range(101, 10).Select(i => (IRule)new Rule($"GBTL{i:000}", block: false));
        // Quick rules queued behind the blocking ones, so that a lane that waited for a blocking rule would hold them up.
        using var pack = new LoadedPack(new PackInfo("Test.Lanes", "lanes", "GBTL", "test"), ".", false, [.. blocking, .. quick], [], new Nothing());
        var clock = Stopwatch.StartNew();

        var evaluation = await new RuleEvaluator().EvaluateAsync(new Snapshot(), [pack], TimeSpan.FromSeconds(1), CancellationToken.None);

        // One after another the blocking rules would take 40 s (20 s on two lanes); in parallel about 1 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(Enumerable.Range(101, 10).Select(i => $"GBTL{i:000}"), evaluation.Findings.Select(f => f.RuleId).Order());
        Assert.Equal(40, evaluation.Notifications.Count(n => n.Message.Contains("did not finish within 1 s", StringComparison.Ordinal)));
        Assert.Equal(50, evaluation.Rules.Count);
    }

    [Fact]
    public async Task Rules_not_started_when_the_scan_deadline_comes_are_reported_as_cut()
    {
        var blocking = Enumerable.Range(1, 4).Select(i => (IRule)new Rule($"GBTL{i:000}", block: true));
        using var pack = new LoadedPack(new PackInfo("Test.Lanes", "lanes", "GBTL", "test"), ".", false, [.. blocking, new Rule("GBTL100", block: false)], [], new Nothing());

        var evaluation = await new RuleEvaluator().EvaluateAsync(new Snapshot(), [pack], TimeSpan.FromSeconds(2), CancellationToken.None, DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300));

        Assert.Equal("GBTL100", Assert.Single(evaluation.Findings).RuleId);
        Assert.Equal(["GBTL001", "GBTL002", "GBTL003", "GBTL004"], evaluation.CutByDeadline.Order());
        Assert.All(evaluation.Notifications, n => Assert.Contains("before the scan's deadline", n.Message, StringComparison.Ordinal));
    }

    private sealed class Rule(string id, bool block) : IRule
    {
        public RuleDescriptor Descriptor { get; } = new(id, "Lane test", "test", Severity.Note, "A test rule.", "Blocks or answers at once.");

        public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
        {
            if (block)
            {
                // Ignores its token, as a buggy pack would.
                Thread.Sleep(Timeout.Infinite);
            }

            return [new Finding(id, Severity.Note, "answered") { Subject = id }];
        }
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
