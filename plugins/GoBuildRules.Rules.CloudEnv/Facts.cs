namespace GoBuildRules.Rules.CloudEnv;

/// <summary>
/// Everything the CloudEnv collector learns about where the build runs. Stored in the snapshot under
/// <see cref="CloudEnvPack.Id"/>; every part is optional because a snapshot may come from any OS.
/// </summary>
public sealed record CloudEnvFacts
{
    public CiFacts? Ci { get; init; }

    public ContainerFacts? Container { get; init; }

    public ResourceFacts? Resources { get; init; }

    /// <summary>.github/workflows/*.yml and .gitlab-ci.yml of the repository, read line by line.</summary>
    public IReadOnlyList<WorkflowFile> Workflows { get; init; } = [];

    public CheckoutFacts? Checkout { get; init; }

    /// <summary>Only collected on Windows; absent elsewhere.</summary>
    public DefenderFacts? Defender { get; init; }

    /// <summary>What the collector could not read, and why (never fatal).</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];
}

/// <param name="Provider">Stable id: github-actions, gitlab-ci, jenkins, azure-pipelines, circleci, buildkite, aws-codebuild, google-cloud-build, bitbucket-pipelines, drone, woodpecker, tekton.</param>
/// <param name="Markers">The variables or files that identified it.</param>
public sealed record CiFacts(string Provider, string Name, IReadOnlyList<string> Markers);

public sealed record ContainerFacts
{
    /// <summary>v1, v2 or hybrid (v1 controllers with a cgroup2 mount beside them); null when /proc/self/cgroup is absent.</summary>
    public string? CgroupVersion { get; init; }

    public bool InContainer { get; init; }

    /// <summary>docker, podman, kubernetes, containerd, lxc… when a marker says so.</summary>
    public string? Runtime { get; init; }

    /// <summary>What showed it: /.dockerenv, /run/.containerenv, KUBERNETES_SERVICE_HOST, a cgroup path naming docker…</summary>
    public IReadOnlyList<string> Markers { get; init; } = [];
}

public sealed record ResourceFacts
{
    /// <summary>Environment.ProcessorCount of the collecting process (.NET already lowers it for a CPU quota).</summary>
    public int ProcessorCount { get; init; }

    /// <summary>"processor" entries of /proc/cpuinfo: the CPUs the host has online.</summary>
    public int? CpuinfoProcessors { get; init; }

    /// <summary>The CPUs this process may run on (its affinity mask, Cpus_allowed_list), which is what Go's runtime.NumCPU counts.</summary>
    public int? AffinityCpus { get; init; }

    /// <summary>The tightest cgroup memory limit from the process's cgroup up to the mount root; null when unlimited.</summary>
    public long? MemoryLimitBytes { get; init; }

    public string? MemoryLimitSource { get; init; }

    /// <summary>The CPU quota as CPUs (quota / period), tightest on the path; null when unlimited.</summary>
    public double? CpuLimit { get; init; }

    public long? CpuQuotaMicros { get; init; }

    public long? CpuPeriodMicros { get; init; }

    public string? CpuLimitSource { get; init; }

    /// <summary>True when the CPU limit is set on the process's own (leaf) cgroup, the only one Go 1.25+ reads.</summary>
    public bool CpuLimitOnLeaf { get; init; }

    /// <summary>GOMAXPROCS from the environment, as written.</summary>
    public string? GoMaxProcs { get; init; }

    /// <summary>The value of -p in GOFLAGS, when present.</summary>
    public int? GoFlagsParallelism { get; init; }
}

public enum WorkflowKind
{
    GitHubActions,
    GitLabCi,
}

/// <summary>A CI configuration file, read line by line (1-based lines, repo-relative path).</summary>
public sealed record WorkflowFile(string File, WorkflowKind Kind)
{
    /// <summary>Lines that run the go command (`go build`, `go test`, `go mod download`…).</summary>
    public IReadOnlyList<int> GoCommandLines { get; init; } = [];

    public IReadOnlyList<ActionStep> Steps { get; init; } = [];

    /// <summary>GitLab `cache:` blocks.</summary>
    public IReadOnlyList<GitLabCache> GitLabCaches { get; init; } = [];

    /// <summary>Variables assigned in the file (GOPATH, GOMODCACHE, GOCACHE, GIT_DEPTH, GOFLAGS…) with their lines.</summary>
    public IReadOnlyList<WorkflowVariable> Variables { get; init; } = [];

    /// <summary>
    /// Whether the repository root the file belongs to (the folder holding .github or .gitlab-ci.yml)
    /// has a go.sum: actions/setup-go keys its cache on that file unless told another path.
    /// </summary>
    public bool? RepositoryRootHasGoSum { get; init; }
}

/// <summary>A GitHub Actions step that `uses:` an action, with its `with:` inputs.</summary>
/// <param name="Action">e.g. actions/setup-go</param>
/// <param name="Ref">e.g. v5, or a commit sha</param>
public sealed record ActionStep(string Action, string Ref, int Line)
{
    public IReadOnlyList<StepInput> Inputs { get; init; } = [];

    public StepInput? Input(string name) => Inputs.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));
}

/// <summary>A `with:` input; block scalars (`|`) are joined with newlines.</summary>
public sealed record StepInput(string Name, string Value, int Line);

public sealed record GitLabCache(int Line)
{
    public IReadOnlyList<StepInput> Paths { get; init; } = [];

    /// <summary>The cache key, or the files it is keyed on (`key: files: [go.sum]`).</summary>
    public string? Key { get; init; }

    public int KeyLine { get; init; }
}

public sealed record WorkflowVariable(string Name, string Value, int Line);

/// <summary>Who owns the checkout and whether git trusts it; the checkout's top is a core fact (<see cref="GoBuildRules.Sdk.WorkspaceFacts.GitTopLevel"/>).</summary>
public sealed record CheckoutFacts
{
    public int? OwnerUid { get; init; }

    public string? OwnerName { get; init; }

    public int? CurrentUid { get; init; }

    public string? CurrentUser { get; init; }

    /// <summary>safe.directory values from git's system and global configuration.</summary>
    public IReadOnlyList<string> SafeDirectories { get; init; } = [];

    public bool Shallow { get; init; }

    /// <summary>SUDO_UID when git was started through sudo (git then trusts that user's repositories).</summary>
    public int? SudoUid { get; init; }
}

public sealed record DefenderFacts
{
    public bool? RealTimeMonitoringEnabled { get; init; }

    /// <summary>False when Windows refused to list exclusions (they are visible to administrators only).</summary>
    public bool ExclusionsVisible { get; init; }

    public IReadOnlyList<string> ExclusionPaths { get; init; } = [];

    public IReadOnlyList<string> ExclusionProcesses { get; init; } = [];

    public string? Error { get; init; }
}
