using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class CpuQuotaRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBENV002",
        "The cgroup CPU quota is below the CPU count the go command uses",
        "container",
        Severity.Warning,
        "The container may use fewer CPUs than the go command schedules for, so builds are throttled.",
        "A cgroup CPU quota (docker --cpus, a Kubernetes CPU limit) lets the container use quota/period CPUs of time per period however many CPUs it can see. Before Go 1.25 GOMAXPROCS, and with it `go build -p`, defaults to the visible CPU count, so a build on a 64-CPU node with a 2-CPU limit runs 64 compiles, exhausts the quota early in every period and is throttled for the rest: slower than with -p=2. Go 1.25 made the default GOMAXPROCS follow the CPU limit of the cgroup that contains the process (v1 and v2), but it reads only that leaf cgroup (a tighter limit on a parent is missed), it is turned off by an explicit GOMAXPROCS, and on some cgroup v1 hosts the limit is reported not to be found (golang/go#76390, #76810).")
    {
        HelpMarkdown = "Compare `cat /sys/fs/cgroup/cpu.max` (v2) or `cpu/cpu.cfs_quota_us` / `cpu.cfs_period_us` (v1) with `nproc`; `nr_throttled` in cpu.stat rising during a build confirms throttling.",
        Tags = ["container", "cpu", "throttling"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = CloudEnvPack.Facts(snapshot);
        if (facts?.Resources is not { CpuLimit: { } limit } r)
        {
            yield break;
        }

        var cpus = Parallelism.VisibleCpus(r);
        var allowed = Math.Max(1, (int)Math.Ceiling(limit));
        var (procs, why) = Parallelism.GoCommandProcs(snapshot, r);
        var (parallel, pWhy) = Parallelism.BuildParallelism(snapshot, r);
        var version = Parallelism.GoVersionOf(snapshot);
        var cgroupVersion = facts.Container?.CgroupVersion ?? "unknown";

        string? reason = null;
        var severity = Descriptor.DefaultSeverity;
        if (parallel > allowed && Parallelism.GoMaxProcs(r) is not null)
        {
            reason = $"GOMAXPROCS={r.GoMaxProcs} is set explicitly, which also turns off Go 1.25's container-aware default";
        }
        else if (parallel > allowed && r.GoFlagsParallelism is not null)
        {
            reason = $"GOFLAGS sets -p={r.GoFlagsParallelism}";
        }
        else if (parallel > allowed && version is { } v && !v.AtLeast(1, 25))
        {
            reason = $"Go {v} predates 1.25, so GOMAXPROCS and -p default to the {cpus} visible CPUs";
        }
        else if (parallel > allowed && version is { } v2 && v2.AtLeast(1, 25) && !r.CpuLimitOnLeaf)
        {
            reason = $"the limit is set on a parent cgroup ({r.CpuLimitSource}); Go {v2} reads only the cgroup that contains the process";
        }
        else if (cpus > allowed && version is { } v3 && v3.AtLeast(1, 25) && cgroupVersion is "v1" or "hybrid" && Parallelism.GoMaxProcs(r) is null && r.GoFlagsParallelism is null)
        {
            // Go reads v1 quotas by design, but misses them on some v1 hosts; say so quietly.
            reason = $"Go {v3} should lower GOMAXPROCS to the limit, but on cgroup v1 hosts it has been reported not to find it (golang/go#76390, #76810); check what the go command really uses";
            severity = Severity.Note;
            parallel = cpus;
            pWhy = "if the limit is missed";
        }

        if (reason is null || cpus <= allowed)
        {
            yield break;
        }

        yield return Descriptor.Finding(
            $"The container may use {limit:0.##} CPU(s) but sees {cpus}; {reason}. go build then runs up to {parallel} compiles at once and is throttled by the quota.",
            "cgroup CPU quota") with
        {
            Severity = severity,
            Location = Anchors.Variable(facts, "GOMAXPROCS", "GOFLAGS") ?? Anchors.Module(snapshot),
            Evidence =
            [
                new Evidence("CPU limit", $"{limit:0.###} CPUs ({r.CpuQuotaMicros} µs per {r.CpuPeriodMicros} µs)"),
                new Evidence("limit file", r.CpuLimitSource ?? ""),
                new Evidence("visible CPUs", cpus.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Evidence("go command GOMAXPROCS", $"{procs} ({why})"),
                new Evidence("go build -p", $"{parallel} ({pWhy})"),
                new Evidence("go version", version?.ToString() ?? "unknown"),
                new Evidence("cgroup", cgroupVersion),
            ],
            Fixes =
            [
                Fix.Run($"Match GOMAXPROCS to the limit for builds in this container", $"export GOMAXPROCS={allowed}",
                    "A fixed value does not follow later changes of the limit; programs started from this shell inherit it too."),
                .. SettingFixes.SetGoFlag(snapshot, "p", allowed.ToString(CultureInfo.InvariantCulture), $"Run at most {allowed} compiles at once",
                    "Builds use no more CPUs even where more are available."),
                Fix.Run("Use Go 1.25 or newer, whose go command follows the container's CPU limit", "go install golang.org/dl/go1.25.0@latest && go1.25.0 download",
                    "A toolchain upgrade: check the module's go line and CI images; parent-cgroup limits are still missed."),
            ],
        };
    }
}
