using GoBuildRules.Rules.Shared;
using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class MemoryLimitRule : IRule
{
    /// <summary>
    /// What one compile of a large package, or a link, can take. Compiling big generated packages
    /// (protobuf, Kubernetes clients) or linking large binaries routinely needs 0.5–1.5 GiB.
    /// </summary>
    internal const long PerCompileBytes = 512L << 20;

    internal const long MinimumBytes = 1L << 30;

    public RuleDescriptor Descriptor { get; } = new(
        "GBENV001",
        "The cgroup memory limit is low for the number of parallel compiles",
        "container",
        Severity.Warning,
        "The container's memory limit leaves little memory per parallel compile; the kernel kills a compile and go build prints 'signal: killed'.",
        "`go build` and `go test` run up to `-p` compile and link actions at once, and `-p` defaults to GOMAXPROCS (the CPU count, or since Go 1.25 the cgroup CPU limit). Each compile of a large package or a link can take hundreds of megabytes; when their sum passes the cgroup memory limit the kernel's OOM killer kills one and the go command reports only `signal: killed` (exit status 137 for the container), with no hint about memory.")
    {
        HelpMarkdown = "Compare `cat /sys/fs/cgroup/memory.max` (v2) or `memory/memory.limit_in_bytes` (v1) with `nproc`; `dmesg | grep -i oom` or the container's OOMKilled status confirms it.",
        Tags = ["container", "memory", "oom"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = CloudEnvPack.Facts(snapshot);
        if (facts?.Resources is not { MemoryLimitBytes: { } limit } r)
        {
            yield break;
        }

        var (parallel, why) = Parallelism.BuildParallelism(snapshot, r);
        var perCompile = limit / Math.Max(1, parallel);
        if (perCompile >= PerCompileBytes && limit >= MinimumBytes)
        {
            yield break;
        }

        var suggested = (int)Math.Max(1, limit / (768L << 20));
        yield return Descriptor.Finding(
            $"The cgroup memory limit is {ByteSize.Format(limit)} and go build runs {parallel} compiles at once ({why}): about {ByteSize.Format(perCompile)} each. A large package or a link can exceed that, and the kernel then kills the compiler: 'signal: killed'.",
            "cgroup memory limit") with
        {
            Location = Anchors.Variable(facts, "GOFLAGS", "GOMAXPROCS") ?? Anchors.Module(snapshot),
            Evidence =
            [
                new Evidence("memory limit", $"{ByteSize.Format(limit)} ({limit} bytes)"),
                new Evidence("limit file", r.MemoryLimitSource ?? ""),
                new Evidence("parallel compiles (-p)", $"{parallel} ({why})"),
                new Evidence("memory per compile", ByteSize.Format(perCompile)),
                new Evidence("cgroup", facts.Container?.CgroupVersion ?? "unknown"),
            ],
            Fixes =
            [
                .. SettingFixes.SetGoFlag(snapshot, "p", suggested.ToString(CultureInfo.InvariantCulture), $"Run at most {suggested} compiles at once",
                    "Builds take longer on this machine."),
                Fix.Run("Raise the memory limit of the running container (Docker shown; in Kubernetes raise resources.limits.memory, in CI pick a larger runner)",
                    "docker update --memory 4g --memory-swap 4g CONTAINER",
                    "Costs memory on the host, and a pod with a higher limit may no longer fit on a node."),
            ],
        };
    }
}
