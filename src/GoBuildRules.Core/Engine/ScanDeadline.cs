using System.Diagnostics;

namespace GoBuildRules.Core.Engine;

/// <summary>
/// The one deadline a scan promises: --timeout counted from <see cref="Start"/> (the process start for
/// `scan`, so that the runtime's own start-up counts), of which collection gets all but a reserved
/// slice for the rules, and the rules all but a slice for the report. The report and the process
/// exit then have the promise's half second of grace.
/// </summary>
public sealed record ScanDeadline(DateTimeOffset Start, TimeSpan Timeout)
{
    /// <summary>
    /// How many times longer than its CPU time this process's start-up took in wall time (at least 1,
    /// at most 10): how much of the cores it gets on this machine now. Both cores busy with other work
    /// make every phase after collection slower by about this much; the slices reserved for them grow with it.
    /// </summary>
    public double Slowness { get; init; } = 1;

    /// <summary>
    /// CPU time the rules and the report take after collection on a quiet machine, installed tool
    /// (docs/performance.md): mostly the JIT of their first run. Multiplied by <see cref="Slowness"/>.
    /// </summary>
    public static readonly TimeSpan RulesCpu = TimeSpan.FromMilliseconds(350);

    /// <inheritdoc cref="RulesCpu"/>
    public static readonly TimeSpan ReportCpu = TimeSpan.FromMilliseconds(150);

    /// <summary>
    /// What the rules and the report get after collection: a tenth of the timeout (0.4 s to 2 s), or
    /// what their CPU time needs at this machine's <see cref="Slowness"/> when that is more, never more
    /// than a third of the timeout. With a fixed 0.4 s a collection that used its whole window (a go list
    /// stuck on a held lock) left the rule that names the lock's holder 0.13 s, and with both cores busy
    /// the rules and the report overran the promise by a second.
    /// </summary>
    public TimeSpan AfterCollection =>
        Min(Max(Min(Max(Timeout / 10, TimeSpan.FromMilliseconds(400)), TimeSpan.FromSeconds(2)), (RulesCpu + ReportCpu) * Slowness), Timeout / 3);

    /// <summary>What rendering and writing the report need after the rules, at most.</summary>
    public TimeSpan ForReport => Min(Max(ReportCpu * Slowness, TimeSpan.FromMilliseconds(100)), Timeout / 10);

    /// <summary>Beyond <see cref="End"/>, the report and the exit may take this much: the promise is End + Grace.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(500);

    public DateTimeOffset End => Start + Timeout;

    /// <summary>When every collector, probe and subprocess must have stopped.</summary>
    public DateTimeOffset CollectionEnd => End - AfterCollection;

    /// <summary>When every rule must have answered; a rule still running then is abandoned.</summary>
    public DateTimeOffset EvaluationEnd => End - ForReport;

    /// <summary>
    /// The start to count the deadline from once the packs are loaded: the process start, unless start-up
    /// and pack loading took more than half the timeout (a first run, a machine busy with other work),
    /// in which case half a timeout before now. A scan that could not start in time then still collects
    /// for half its timeout instead of reporting nothing: it ends within start-up + T/2 + 0.5 s, not T + 0.5 s.
    /// </summary>
    public static DateTimeOffset StartNoEarlierThanHalfBefore(DateTimeOffset start, TimeSpan timeout)
    {
        var latest = DateTimeOffset.UtcNow - timeout / 2;
        return start < latest ? latest : start;
    }

    /// <summary>
    /// <see cref="Slowness"/> measured now, for a process that started at <paramref name="processStart"/>:
    /// its wall time so far over the CPU time of all its threads. 1 when either cannot be read.
    /// </summary>
    public static double SlownessSince(DateTimeOffset processStart)
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime.TotalSeconds;
            var wall = (DateTimeOffset.UtcNow - processStart).TotalSeconds;
            return cpu <= 0.01 || wall <= 0 ? 1 : Math.Clamp(wall / cpu, 1, 10);
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return 1;
        }
    }

    /// <summary>The time left until <paramref name="until"/>, never negative.</summary>
    public static TimeSpan Left(DateTimeOffset until)
    {
        var left = until - DateTimeOffset.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>When this process started (the runtime's own start-up included), or now when that cannot be read.</summary>
    public static DateTimeOffset ProcessStart()
    {
        var now = DateTimeOffset.UtcNow;
        try
        {
            using var self = Process.GetCurrentProcess();
            var start = new DateTimeOffset(self.StartTime.ToUniversalTime(), TimeSpan.Zero);
            // A clock step or an odd /proc must not put the start in the future.
            return start > now ? now : start;
        }
        catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            return now;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
