namespace GoBuildRules.Core.Watch;

/// <summary>
/// Decides from successive samples of the tree whether the build still makes progress. Progress is
/// any byte read or written (output included), a process started or ended, or CPU time used at more
/// than <see cref="MinCpuShare"/> of one core since the last progress: an idle Go process still
/// wakes up now and then (sysmon, timers), which must not hide a stall for ever.
/// </summary>
public sealed class ActivityMonitor(DateTimeOffset started)
{
    public const double MinCpuShare = 0.02;

    /// <summary>Two ticks (20 ms): a single tick can be rounding.</summary>
    private const long MinCpuTicks = 2;

    private Dictionary<(int, long), TreeProcess> previous = [];
    private long cpuSinceProgress;

    public DateTimeOffset LastProgress { get; private set; } = started;

    /// <summary>What the last progress was, for the report ("output", "cpu", "process 123 started"…).</summary>
    public string LastProgressKind { get; private set; } = "start";

    public void Observe(IReadOnlyList<TreeProcess> sample, DateTimeOffset now)
    {
        var current = new Dictionary<(int, long), TreeProcess>(sample.Count);
        foreach (var p in sample)
        {
            current[p.Identity] = p;
        }

        string? progress = null;
        long cpu = 0;
        foreach (var (key, p) in current)
        {
            if (!previous.TryGetValue(key, out var before))
            {
                progress ??= $"process {p.Pid} started";
                continue;
            }

            if (p.IoBytes > before.IoBytes)
            {
                progress ??= $"I/O by process {p.Pid}";
            }

            cpu += Math.Max(0, p.CpuTicks - before.CpuTicks);
        }

        if (progress is null && previous.Keys.FirstOrDefault(k => !current.ContainsKey(k)) is var (gone, _) && gone != 0)
        {
            progress = $"process {gone} ended";
        }

        previous = current;
        if (progress is null)
        {
            cpuSinceProgress += cpu;
            var elapsedTicks = (now - LastProgress).TotalSeconds * ProcessTree.ClockTicksPerSecond;
            if (cpuSinceProgress >= MinCpuTicks && cpuSinceProgress >= MinCpuShare * elapsedTicks)
            {
                progress = "CPU";
            }
        }

        if (progress is not null)
        {
            LastProgress = now;
            LastProgressKind = progress;
            cpuSinceProgress = 0;
        }
    }

    /// <summary>How long the tree has made no progress.</summary>
    public TimeSpan Idle(DateTimeOffset now) => now - LastProgress;
}
