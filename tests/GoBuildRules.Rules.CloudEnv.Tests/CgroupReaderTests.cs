using GoBuildRules.Sdk;
using GoBuildRules.Rules.CloudEnv.Collection;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.CloudEnv.Tests;

/// <summary>The reader against fake /proc and /sys trees laid out as real kernels lay them out.</summary>
public sealed class CgroupReaderTests
{
    /// <summary>The fake tree's mount table, as the host would have read it into the snapshot.</summary>
    private static IReadOnlyList<Mount> Mounts(TempFolder root) =>
        File.Exists(root.Combine("proc/self/mountinfo")) ? MountTable.ParseMountInfo(File.ReadAllText(root.Combine("proc/self/mountinfo"))) : [];

    [Fact]
    public void Cgroup_v2_container_with_a_tighter_parent_cpu_limit()
    {
        using var root = new TempFolder("cgv2");
        root.Write("proc/self/cgroup", "0::/kubepods/pod1/ctr\n");
        root.Write("proc/self/mountinfo", "30 25 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        root.Write("proc/cpuinfo", "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n\nprocessor\t: 2\n\nprocessor\t: 3\n");
        root.Write("sys/fs/cgroup/kubepods/pod1/cpu.max", "max 100000\n");
        root.Write("sys/fs/cgroup/kubepods/pod1/memory.max", "2147483648\n");
        root.Write("sys/fs/cgroup/kubepods/pod1/ctr/cpu.max", "max 100000\n");
        root.Write("sys/fs/cgroup/kubepods/pod1/ctr/memory.max", "max\n");
        root.Write("sys/fs/cgroup/kubepods/cpu.max", "150000 100000\n");

        var result = new CgroupReader(root.Path).Read(processorCount: 4, Mounts(root));

        Assert.Equal("v2", result.Version);
        Assert.Equal(4, result.Resources.CpuinfoProcessors);
        Assert.Equal(2L << 30, result.Resources.MemoryLimitBytes);
        Assert.Equal("/sys/fs/cgroup/kubepods/pod1/memory.max", result.Resources.MemoryLimitSource);
        Assert.Equal(1.5, result.Resources.CpuLimit);
        Assert.Equal((150000L, 100000L), (result.Resources.CpuQuotaMicros!.Value, result.Resources.CpuPeriodMicros!.Value));
        Assert.False(result.Resources.CpuLimitOnLeaf);
    }

    [Fact]
    public void Cgroup_v1_docker_container_with_quota_on_its_own_cgroup()
    {
        using var root = new TempFolder("cgv1");
        root.Write("proc/self/cgroup", "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n");
        root.Write("proc/self/mountinfo",
            "40 31 0:35 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" +
            "41 31 0:36 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
        root.Write("sys/fs/cgroup/memory/memory.limit_in_bytes", "1073741824\n");
        root.Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "50000\n");
        root.Write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");

        var result = new CgroupReader(root.Path).Read(processorCount: 8, Mounts(root));

        Assert.Equal("v1", result.Version);
        Assert.Equal(1L << 30, result.Resources.MemoryLimitBytes);
        Assert.Equal(0.5, result.Resources.CpuLimit);
        Assert.True(result.Resources.CpuLimitOnLeaf);
        Assert.Contains("/docker/abc", result.Paths);
    }

    [Fact]
    public void Unlimited_v1_values_are_no_limit_and_hybrid_is_named()
    {
        using var root = new TempFolder("cghy");
        root.Write("proc/self/cgroup", "4:memory:/\n1:cpu:/\n0::/\n");
        root.Write("proc/self/mountinfo",
            "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n" +
            "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n" +
            "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n");
        root.Write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        root.Write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n");
        root.Write("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");

        var result = new CgroupReader(root.Path).Read(processorCount: 2, Mounts(root));

        Assert.Equal("hybrid", result.Version);
        Assert.Null(result.Resources.MemoryLimitBytes);
        Assert.Null(result.Resources.CpuLimit);
    }

    [Fact]
    public void No_proc_means_no_facts_and_no_throw()
    {
        using var root = new TempFolder("cgnone");
        var result = new CgroupReader(root.Path).Read(processorCount: 2, Mounts(root));
        Assert.Null(result.Version);
        Assert.Null(result.Resources.MemoryLimitBytes);
        Assert.Equal(2, result.Resources.ProcessorCount);
    }
}
