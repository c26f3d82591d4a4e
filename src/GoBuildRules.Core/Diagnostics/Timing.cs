using System.Diagnostics;

namespace GoBuildRules.Core.Diagnostics;

/// <summary>
/// The phases of a scan as <see cref="Activity"/> spans: free when nothing listens (StartActivity
/// returns null), printed by the CLI when GOBUILDRULES_TRACE_TIMINGS=1 (see docs/performance.md).
/// </summary>
public static class Timing
{
    public const string SourceName = "GoBuildRules";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span until disposed; null (and free) when no one listens.</summary>
    public static Activity? Start(string name) => Source.StartActivity(name);

    /// <summary>Runs <paramref name="work"/> as one span.</summary>
    public static T Measure<T>(string name, Func<T> work)
    {
        using var span = Start(name);
        return work();
    }

    /// <summary>Awaits <paramref name="work"/> as one span.</summary>
    public static async Task<T> MeasureAsync<T>(string name, Func<Task<T>> work)
    {
        using var span = Start(name);
        return await work().ConfigureAwait(false);
    }
}
