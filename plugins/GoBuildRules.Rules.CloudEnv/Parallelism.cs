using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv;

/// <summary>How many compile and link actions `go build` runs at once on the scanned machine.</summary>
internal static class Parallelism
{
    /// <summary>The -p value of GOFLAGS (-p=4 or --p=4; cmd/go rejects "-p 4" there), or null.</summary>
    public static int? FromGoFlags(GoFlagList goflags) =>
        int.TryParse(goflags.Argument("p"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    public static int? GoMaxProcs(ResourceFacts r) =>
        int.TryParse(r.GoMaxProcs?.Trim(), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>The CPUs Go's runtime.NumCPU would count: the affinity mask, else the host's online CPUs.</summary>
    public static int VisibleCpus(ResourceFacts r) => r.AffinityCpus ?? r.CpuinfoProcessors ?? Math.Max(1, r.ProcessorCount);

    public static GoVersion? GoVersionOf(Snapshot s) =>
        GoVersion.TryParse(s.Go.Version, out var v) ? v : GoVersion.TryParse(s.GoEnv("GOVERSION"), out var w) ? w : null;

    /// <summary>
    /// The GOMAXPROCS the go command itself runs with, which is `go build -p`'s default: an explicit
    /// GOMAXPROCS wins; Go 1.25+ lowers the CPU count to the leaf cgroup's CPU limit rounded up, at
    /// least 2; older Go uses the CPU count.
    /// </summary>
    public static (int Value, string Why) GoCommandProcs(Snapshot s, ResourceFacts r)
    {
        if (GoMaxProcs(r) is { } explicitProcs)
        {
            return (explicitProcs, "GOMAXPROCS is set");
        }

        var cpus = VisibleCpus(r);
        if (r.CpuLimit is { } limit && r.CpuLimitOnLeaf && GoVersionOf(s) is { } v && v.AtLeast(1, 25))
        {
            return (Math.Min(cpus, Math.Max(2, (int)Math.Ceiling(limit))), $"Go {v} follows the cgroup CPU limit");
        }

        return (cpus, "the CPU count");
    }

    /// <summary>`go build -p`: GOFLAGS' -p, else the go command's GOMAXPROCS.</summary>
    public static (int Value, string Why) BuildParallelism(Snapshot s, ResourceFacts r) =>
        r.GoFlagsParallelism is { } p ? (p, "-p in GOFLAGS") : GoCommandProcs(s, r);

}
