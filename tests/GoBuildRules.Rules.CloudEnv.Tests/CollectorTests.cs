using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Rules.CloudEnv.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.CloudEnv.Tests;

public sealed class CollectorTests
{
    /// <summary>Answers every program with "not found", or hangs until cancelled.</summary>
    private sealed class FakeRunner(bool hang) : IProcessRunner
    {
        public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
        {
            if (hang)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return new ProcessResult(ProcessOutcome.NotFound, -1, "", "", TimeSpan.Zero);
        }
    }

    /// <summary>The core facts the host would give the collector: the workspace (and its checkout) and CI discovered for real, mounts from the given mountinfo text.</summary>
    private static CollectionContext Context(string root, IProcessRunner runner, Dictionary<string, string>? env = null, string mountInfo = "", IReadOnlySet<string>? ciMarkerPaths = null)
    {
        var workspace = WorkspaceReader.Read(root, null);
        return new(new Snapshot
        {
            Mounts = MountTable.ParseMountInfo(mountInfo),
            Ci = CiDiscovery.Read(env ?? new Dictionary<string, string>(), root, workspace.GitTopLevel) with { Provider = CiDetector.Detect(env ?? new Dictionary<string, string>(), ciMarkerPaths) },
            Host = new HostFacts { Os = "linux", Arch = "amd64" },
            Environment = env ?? new Dictionary<string, string> { ["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "" },
            Workspace = workspace,
        }, runner, Offline: true);
    }

    [Fact]
    public async Task Fake_machine_tree_gives_container_limits_and_the_repositorys_ci_files()
    {
        using var fs = new TempFolder("fsroot");
        fs.Write(".dockerenv", "");
        fs.Write("proc/self/cgroup", "0::/\n");
        fs.Write("sys/fs/cgroup/memory.max", "1073741824\n");
        fs.Write("sys/fs/cgroup/cpu.max", "100000 100000\n");

        using var repo = new TempFolder("repo");
        Directory.CreateDirectory(repo.Combine(".git"));
        repo.Write(".git/shallow", "0123456789abcdef0123456789abcdef01234567\n");
        repo.Write(".github/workflows/ci.yml", "jobs:\n  t:\n    steps:\n      - uses: actions/setup-go@v3\n      - run: go test ./...\n");
        repo.Write("svc/go.mod", "module example.com/svc\n");

        var facts = await new CloudEnvCollector(fs.Path).CollectAsync(Context(repo.Combine("svc"), new FakeRunner(hang: false), mountInfo: "30 25 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n", ciMarkerPaths: new HashSet<string> { "/tekton" }), CancellationToken.None);

        Assert.Equal("tekton", facts.Ci?.Provider);
        Assert.Equal(new ContainerFacts { CgroupVersion = "v2", InContainer = true, Runtime = "docker", Markers = ["/.dockerenv"] } with { Markers = facts.Container!.Markers }, facts.Container);
        Assert.Equal(["/.dockerenv"], facts.Container.Markers);
        Assert.Equal(1L << 30, facts.Resources?.MemoryLimitBytes);
        Assert.Equal(1.0, facts.Resources?.CpuLimit);
        var wf = Assert.Single(facts.Workflows);
        Assert.Equal("../.github/workflows/ci.yml", wf.File);
        Assert.Equal(("actions/setup-go", "v3", 4), (wf.Steps[0].Action, wf.Steps[0].Ref, wf.Steps[0].Line));
        // .git/shallow is at the repository's top, above the module: the core's checkout lookup found it.
        Assert.True(facts.Checkout?.Shallow);
        Assert.Null(facts.Checkout?.OwnerUid);
    }

    [Fact]
    public async Task A_hanging_subprocess_does_not_hold_the_collector_past_cancellation()
    {
        using var repo = new TempFolder("hang");
        Directory.CreateDirectory(repo.Combine(".git"));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new CloudEnvCollector().CollectAsync(Context(repo.Path, new FakeRunner(hang: true)), cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Facts_round_trip_through_the_snapshot()
    {
        var facts = new CloudEnvFacts
        {
            Ci = new CiFacts("gitlab-ci", "GitLab CI", ["GITLAB_CI=true"]),
            Resources = new ResourceFacts { ProcessorCount = 4, CpuLimit = 1.5, CpuLimitOnLeaf = true },
            Workflows = [new WorkflowFile(".gitlab-ci.yml", WorkflowKind.GitLabCi) { GitLabCaches = [new GitLabCache(3) { Paths = [new StepInput("path", ".go/", 4)] }] }],
            Defender = new DefenderFacts { RealTimeMonitoringEnabled = true, ExclusionsVisible = false },
        };
        var snapshot = Snapshot.FromJson(new Snapshot().WithExtension(CloudEnvPack.Id, facts).ToJson());
        var back = snapshot.GetExtension<CloudEnvFacts>(CloudEnvPack.Id)!;
        Assert.Equal(facts.Ci.Markers, back.Ci!.Markers);
        Assert.Equal(1.5, back.Resources!.CpuLimit);
        Assert.Equal(".go/", back.Workflows[0].GitLabCaches[0].Paths[0].Value);
        Assert.Equal(WorkflowKind.GitLabCi, back.Workflows[0].Kind);
        Assert.False(back.Defender!.ExclusionsVisible);
    }
}
