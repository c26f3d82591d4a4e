using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Collection;

/// <summary>
/// Reads the cgroup version, memory limit and CPU quota of the current process the way the Go
/// runtime finds them: /proc/self/cgroup names the cgroup, the mount table (the snapshot's
/// <see cref="Snapshot.Mounts"/>) where its hierarchy is mounted. Unlike Go (which reads only the leaf), it also walks up to the mount root
/// and keeps the tightest limit, and says whether that limit sits on the leaf.
/// All paths are taken below <c>root</c> so that tests can point it at a fake /proc and /sys.
/// </summary>
internal sealed class CgroupReader(string root)
{
    // cgroup v1 reports "no limit" as a page-rounded LONG_MAX; anything this large is no limit.
    private const long UnlimitedThreshold = 1L << 60;

    public sealed record Result(string? Version, IReadOnlyList<string> Paths, ResourceFacts Resources, IReadOnlyList<string> Problems);

    public Result Read(int processorCount, IReadOnlyList<Mount> mounts)
    {
        var problems = new List<string>();
        var cgroupText = ReadText("proc/self/cgroup", problems);
        var resources = new ResourceFacts { ProcessorCount = processorCount, CpuinfoProcessors = CountCpuinfo(problems) };
        if (cgroupText is null)
        {
            return new Result(null, [], resources, problems);
        }

        var lines = cgroupText.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(':', 3))
            .Where(p => p.Length == 3)
            .Select(p => (Controllers: p[1].Split(',', StringSplitOptions.RemoveEmptyEntries), Path: p[2]))
            .ToList();
        var v1 = lines.Where(l => l.Controllers.Length > 0).ToList();
        var unified = lines.FirstOrDefault(l => l.Controllers.Length == 0 && !l.Path.StartsWith("name=", StringComparison.Ordinal));
        var hasUnified = unified.Path is not null;
        var v1Real = v1.Where(l => !l.Controllers.All(c => c.StartsWith("name=", StringComparison.Ordinal))).ToList();
        var version = v1Real.Count == 0 ? (hasUnified ? "v2" : null) : hasUnified && mounts.Any(m => m.FileSystem == "cgroup2") ? "hybrid" : "v1";

        string? Dir(string? controller)
        {
            if (controller is null)
            {
                var mount = mounts.FirstOrDefault(m => m.FileSystem == "cgroup2");
                return mount is null || !hasUnified ? null : Resolve(mount, unified.Path!);
            }

            var line = v1Real.FirstOrDefault(l => l.Controllers.Contains(controller));
            if (line.Path is null)
            {
                return null;
            }

            var m1 = mounts.FirstOrDefault(m => m.FileSystem == "cgroup" && m.SuperOptions.Split(',').Contains(controller));
            return m1 is null ? null : Resolve(m1, line.Path);
        }

        // A controller absent from v1 in a hybrid layout is handled by the unified hierarchy.
        var memoryDir = Dir(v1Real.Any(l => l.Controllers.Contains("memory")) ? "memory" : null);
        var cpuDir = Dir(v1Real.Any(l => l.Controllers.Contains("cpu")) ? "cpu" : null);
        var memoryV1 = v1Real.Any(l => l.Controllers.Contains("memory"));
        var cpuV1 = v1Real.Any(l => l.Controllers.Contains("cpu"));

        if (memoryDir is not null)
        {
            var (limit, source, _) = Tightest(memoryDir, MountOf(memoryDir, mounts), dir => ReadMemory(dir, memoryV1));
            resources = resources with { MemoryLimitBytes = limit?.Value, MemoryLimitSource = source };
        }

        if (cpuDir is not null)
        {
            var (limit, source, onLeaf) = Tightest(cpuDir, MountOf(cpuDir, mounts), dir => ReadCpu(dir, cpuV1));
            if (limit is { } l)
            {
                resources = resources with
                {
                    CpuQuotaMicros = l.Quota,
                    CpuPeriodMicros = l.Period,
                    CpuLimit = Math.Round((double)l.Quota / l.Period, 3),
                    CpuLimitSource = source,
                    CpuLimitOnLeaf = onLeaf,
                };
            }
        }

        var paths = lines.Select(l => l.Path).Where(p => p != "/").Distinct().ToList();
        return new Result(version, paths, resources, problems);
    }

    private readonly record struct Memory(long Value) : IComparable<Memory>
    {
        public int CompareTo(Memory other) => Value.CompareTo(other.Value);
    }

    private readonly record struct Cpu(long Quota, long Period) : IComparable<Cpu>
    {
        public int CompareTo(Cpu other) => ((double)Quota / Period).CompareTo((double)other.Quota / other.Period);
    }

    private (T? Limit, string? Source, bool OnLeaf) Tightest<T>(string leaf, string mountPoint, Func<string, (T Value, string File)?> read) where T : struct, IComparable<T>
    {
        T? best = null;
        string? source = null;
        var onLeaf = false;
        // Bounded: a cgroup path is a handful of levels deep; the guard only protects against a bad mount table.
        var dir = leaf;
        for (var depth = 0; depth < 32 && dir is not null; depth++)
        {
            if (read(dir) is { } found && (best is null || found.Value.CompareTo(best.Value) < 0))
            {
                best = found.Value;
                source = found.File[root.TrimEnd('/').Length..];
                onLeaf = depth == 0;
            }

            if (dir.TrimEnd('/') == mountPoint.TrimEnd('/'))
            {
                break;
            }

            dir = Path.GetDirectoryName(dir.TrimEnd('/'));
        }

        return (best, source, onLeaf);
    }

    private (Memory, string)? ReadMemory(string dir, bool v1)
    {
        var file = Path.Combine(dir, v1 ? "memory.limit_in_bytes" : "memory.max");
        var text = TryRead(file)?.Trim();
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 && value < UnlimitedThreshold
            ? (new Memory(value), file)
            : null;
    }

    private (Cpu, string)? ReadCpu(string dir, bool v1)
    {
        if (v1)
        {
            var quotaFile = Path.Combine(dir, "cpu.cfs_quota_us");
            var quota = TryRead(quotaFile)?.Trim();
            var period = TryRead(Path.Combine(dir, "cpu.cfs_period_us"))?.Trim();
            return long.TryParse(quota, CultureInfo.InvariantCulture, out var q) && q > 0 && long.TryParse(period, CultureInfo.InvariantCulture, out var p) && p > 0
                ? (new Cpu(q, p), quotaFile)
                : null;
        }

        var file = Path.Combine(dir, "cpu.max");
        var fields = TryRead(file)?.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields is { Length: 2 } && long.TryParse(fields[0], CultureInfo.InvariantCulture, out var q2) && q2 > 0
               && long.TryParse(fields[1], CultureInfo.InvariantCulture, out var p2) && p2 > 0
            ? (new Cpu(q2, p2), file)
            : null;
    }

    private string Resolve(Mount mount, string cgroupPath)
    {
        // The cgroup path is relative to the hierarchy's root; the mount may show only a subtree of it
        // (a container sees its own cgroup as the mount root).
        var relative = cgroupPath;
        if (mount.Root != "/" && MountTable.IsUnder(cgroupPath, mount.Root))
        {
            relative = cgroupPath[mount.Root.TrimEnd('/').Length..];
        }

        var mountDir = Local(mount.MountPoint);
        var candidate = Path.Combine(mountDir, relative.TrimStart('/'));
        return Directory.Exists(candidate) ? candidate.TrimEnd('/') : mountDir.TrimEnd('/');
    }

    private string MountOf(string dir, IReadOnlyList<Mount> mounts) =>
        mounts.Select(m => Local(m.MountPoint).TrimEnd('/')).Where(m => MountTable.IsUnder(dir, m)).OrderByDescending(m => m.Length).FirstOrDefault() ?? dir;

    private string Local(string absolute) => Path.Combine(root, absolute.TrimStart('/'));

    private int? CountCpuinfo(List<string> problems)
    {
        var text = ReadText("proc/cpuinfo", problems);
        return text is null ? null : text.Split('\n').Count(l => l.StartsWith("processor", StringComparison.Ordinal) && l.Contains(':'));
    }

    private string? ReadText(string relative, List<string> problems)
    {
        var file = Path.Combine(root, relative);
        if (!File.Exists(file))
        {
            return null;
        }

        var text = TryRead(file);
        if (text is null)
        {
            problems.Add($"/{relative} could not be read");
        }

        return text;
    }

    private static string? TryRead(string file)
    {
        try
        {
            // cgroup and proc files are tiny; a cap keeps a surprise from costing memory.
            using var reader = new StreamReader(file);
            var buffer = new char[256 * 1024];
            var n = reader.ReadBlock(buffer, 0, buffer.Length);
            return new string(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
