using System.Diagnostics;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>
/// Times one probe from the moment it starts running, not from when it was queued: on a machine whose
/// cores are busy a thread-pool task may start late, and that lateness is the scan's, not the
/// probed folder's.
/// </summary>
public sealed class ProbeClock
{
    private long started;

    public enum Outcome
    {
        Done,

        /// <summary>The probe ran for the whole limit without returning.</summary>
        Hung,

        /// <summary>The probe threw.</summary>
        Failed,

        /// <summary>The scan's deadline came first: the probe had not started, or had not yet run for the limit.</summary>
        CutShort,
    }

    /// <summary>Called by the probe as its first step.</summary>
    public void Start() => Interlocked.CompareExchange(ref started, Stopwatch.GetTimestamp(), 0);

    /// <summary>How long the probe has been running; null while it has not started.</summary>
    public TimeSpan? RunningFor => Interlocked.Read(ref started) is var s and not 0 ? Stopwatch.GetElapsedTime(s) : null;

    /// <summary>Waits until the probe returns, has itself run for <paramref name="limit"/>, or the token fires.</summary>
    public Outcome Await(Task task, TimeSpan limit, CancellationToken ct)
    {
        while (true)
        {
            var ran = RunningFor;
            var wait = ran is { } r ? limit - r : limit;
            if (wait <= TimeSpan.Zero)
            {
                return task.IsCompletedSuccessfully ? Outcome.Done : Outcome.Hung;
            }

            try
            {
                if (task.Wait(wait, ct))
                {
                    return Outcome.Done;
                }
            }
            catch (OperationCanceledException)
            {
                return task.IsCompletedSuccessfully ? Outcome.Done : Outcome.CutShort;
            }
            catch (AggregateException)
            {
                return task.IsFaulted ? Outcome.Failed : Outcome.CutShort;
            }
        }
    }
}
