using GoBuildRules.Core.Engine;

namespace GoBuildRules.Core.Tests;

/// <summary>How the scan's one deadline is shared out: arithmetic only, no clock.</summary>
public sealed class ScanDeadlineTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    // quiet machine: a tenth of the timeout, 0.4 s to 2 s
    [InlineData(5, 1.0, 500, 150)]
    [InlineData(60, 1.0, 2000, 150)]
    [InlineData(2, 1.0, 500, 150)]
    // both cores busy: what the rules' and the report's CPU time needs at that share of the cores
    [InlineData(5, 2.0, 1000, 300)]
    [InlineData(60, 3.0, 2000, 450)]
    [InlineData(60, 10.0, 5000, 1500)]
    // never more than a third of the timeout for both, a tenth for the report
    [InlineData(5, 10.0, 1667, 500)]
    [InlineData(1, 1.0, 333, 100)]
    public void The_slices_after_collection_grow_with_the_slowness_and_stay_within_the_timeout(double timeout, double slowness, int afterCollectionMs, int forReportMs)
    {
        var d = new ScanDeadline(Start, TimeSpan.FromSeconds(timeout)) { Slowness = slowness };

        Assert.Equal(afterCollectionMs, d.AfterCollection.TotalMilliseconds, 0.5);
        Assert.Equal(forReportMs, d.ForReport.TotalMilliseconds, 0.5);
        Assert.Equal(d.End - d.AfterCollection, d.CollectionEnd);
        Assert.Equal(d.End - d.ForReport, d.EvaluationEnd);
        Assert.True(d.CollectionEnd < d.EvaluationEnd && d.EvaluationEnd < d.End);
    }

    [Fact]
    public void A_start_up_slower_than_half_the_timeout_moves_the_start_to_half_a_timeout_before_now()
    {
        var longAgo = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(30);
        var moved = ScanDeadline.StartNoEarlierThanHalfBefore(longAgo, TimeSpan.FromSeconds(10));
        Assert.InRange(DateTimeOffset.UtcNow - moved, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(6));

        var recent = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1);
        Assert.Equal(recent, ScanDeadline.StartNoEarlierThanHalfBefore(recent, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void The_slowness_of_this_process_is_between_1_and_10()
    {
        Assert.InRange(ScanDeadline.SlownessSince(ScanDeadline.ProcessStart()), 1, 10);
    }
}
