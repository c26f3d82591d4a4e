using System.Collections;
using System.Runtime.InteropServices;
using System.Text.Json;
using GoBuildRules.Core.Diagnostics;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>
/// Collects the core facts every pack may rely on: host, Go, the steering environment, tools on
/// PATH, the workspace files, and the go, git and gopls processes running now with their locks.
/// The independent parts run in parallel; each subprocess gets what is left of the deadline.
/// </summary>
public sealed class CoreCollector(IProcessRunner processes)
{
    /// <summary>Tools whose presence and version explain most build stalls.</summary>
    public static readonly IReadOnlyList<string> ToolNames = ["go", "gcc", "g++", "clang", "clang++", "cc", "c++", "git", "pkg-config"];

    public async Task<Snapshot> CollectAsync(CollectOptions options, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var start = Path.GetFullPath(options.Path);
        if (!Directory.Exists(start))
        {
            throw new WorkspaceNotFoundException(File.Exists(start)
                ? $"--path {options.Path} is a file, not a folder"
                : $"--path {options.Path} does not exist");
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(start).FirstOrDefault();
        }
        catch (UnauthorizedAccessException)
        {
            throw new WorkspaceNotFoundException($"--path {options.Path} cannot be read (permission denied)");
        }

        var root = WorkspaceReader.FindModuleRoot(start) ?? start;
        var deadline = DateTimeOffset.UtcNow + options.Deadline;
        var path = environment.GetValueOrDefault("PATH");

        // The walk needs only the root: it runs beside `go env` and the tool probes, which mostly wait.
        var walkTask = WalkAsync(root, options.WalkBudget ?? RepositoryWalkBudget.Default, deadline, cancellationToken);
        var goTask = Timing.MeasureAsync("core: go version and go env", () => CollectGoAsync(root, path, deadline, cancellationToken));
        var toolsTask = Timing.MeasureAsync("core: tools --version", () => Task.WhenAll(ToolNames.Where(t => t != "go").Select(t => CollectToolAsync(t, path, deadline, cancellationToken))));
        // A plain `go env` and every cgo build run CC; the scan's own `go env` does not (GoEnvNames), so a
        // configured CC is asked itself, and one that does not answer sets the hang prober off as a hung `go env` did.
        using var compilerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task compilerTask = HangProber.ConfiguredCompiler(environment) is { } cc
            ? RunAsync(cc.Path, [.. cc.Arguments], null, deadline, compilerStop.Token)
            : Task.CompletedTask;
        var hangsTask = new HangProber(processes).WatchAsync(Task.WhenAll(goTask, toolsTask, compilerTask), environment, deadline, cancellationToken);
        var go = await goTask.ConfigureAwait(false);
        var workspace = Timing.Measure("core: workspace files", () => WorkspaceReader.Read(root, go.Env.GetValueOrDefault("GOWORK")));
        var liveTask = CollectLiveAsync(LiveProcessScope.For(go.Env, workspace) with { Watched = options.WatchedPids }, deadline, cancellationToken);
        var tools = await toolsTask.ConfigureAwait(false);
        var live = await liveTask.ConfigureAwait(false);
        var goTool = new ToolFact("go", go.Status)
        { Path = go.Path, Version = go.VersionOutput };

        var hangs = await hangsTask.ConfigureAwait(false);
        await compilerStop.CancelAsync().ConfigureAwait(false);
        await compilerTask.ConfigureAwait(false);

        var filtered = EnvironmentFilter.Select(environment);
        return new Snapshot
        {
            ToolVersion = options.ToolVersion,
            CollectedAt = DateTimeOffset.UtcNow,
            Host = Timing.Measure("core: host", CollectHost),
            Go = go,
            Environment = filtered,
            Tools = [goTool, .. tools],
            Hangs = hangs,
            Workspace = workspace,
            LiveProcesses = live,
            GoSettings = Timing.Measure("core: go settings", () => GoSettingsReader.Read(go.Env, environment)),
            Mounts = Timing.Measure("core: mount table", ReadMounts),
            Repository = await walkTask.ConfigureAwait(false),
            Ci = Timing.Measure("core: CI discovery", () => CiDiscovery.Read(filtered, root, workspace.GitTopLevel)),
        };
    }

    private static readonly TimeSpan LiveProcessMinimum = TimeSpan.FromMilliseconds(250);

    /// <summary>The live-process reading on a thread of its own: a read of /proc/PID on a hung mount blocks in the kernel.</summary>
    private static async Task<LiveProcessFacts> CollectLiveAsync(LiveProcessScope scope, DateTimeOffset deadline, CancellationToken ct)
    {
        // `go env` may have used the whole deadline (a hung CC): /proc still gets a moment, because a hang
        // is when the processes that hold locks matter most, and reading it takes milliseconds.
        var left = deadline - DateTimeOffset.UtcNow;
        left = left < LiveProcessMinimum ? LiveProcessMinimum : left;
        var budget = LiveProcessBudget.Default with { Time = left < LiveProcessBudget.Default.Time ? left : LiveProcessBudget.Default.Time };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(budget.Time);
        var work = Task.Factory.StartNew(() => Timing.Measure("core: live processes", () => new LiveProcessCollector(budget).Collect(scope, cts.Token)), cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            return await work.WaitAsync(budget.Time + TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return new LiveProcessFacts { Problems = [$"reading /proc did not finish within {budget.Time.TotalSeconds:0.##} s: running processes are unknown"] };
        }
    }

    /// <summary>The one walk of the repository, on threads of its own, under its budget and what is left of the deadline.</summary>
    private static async Task<RepositoryIndex> WalkAsync(string root, RepositoryWalkBudget budget, DateTimeOffset deadline, CancellationToken ct)
    {
        var left = deadline - DateTimeOffset.UtcNow;
        budget = budget with { Time = left < budget.Time ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : budget.Time };
        var work = Task.Factory.StartNew(() => Timing.Measure("core: repository walk", () => RepositoryWalker.Walk(root, budget, ct)), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            // The budget is checked between folders: a listing stuck on a hung mount is abandoned, not waited for.
            return await work.WaitAsync(budget.Time + TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new RepositoryIndex { Root = root, Truncated = true, TruncatedBy = $"listing of a folder that did not return within {budget.Time.TotalSeconds:0.##} s" };
        }
    }

    /// <summary>The one reading of the mount table per scan; procfs answers from memory, so it cannot hang on a dead mount.</summary>
    private static IReadOnlyList<Mount> ReadMounts()
    {
        try
        {
            return OperatingSystem.IsLinux() && File.Exists("/proc/self/mountinfo") ? MountTable.ParseMountInfo(File.ReadAllText("/proc/self/mountinfo")) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static IReadOnlyDictionary<string, string> CurrentEnvironment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);

    private async Task<GoFacts> CollectGoAsync(string root, string? pathVariable, DateTimeOffset deadline, CancellationToken ct)
    {
        var found = Executables.Find("go", pathVariable);
        if (found is null)
        {
            return new GoFacts { Status = ToolStatus.NotFound, Error = "no go command on PATH" };
        }

        var (goPath, executable) = found.Value;
        if (!executable)
        {
            return new GoFacts { Status = ToolStatus.NotExecutable, Path = goPath, Error = $"{goPath} is not executable" };
        }

        var allowance = deadline - DateTimeOffset.UtcNow;
        if (allowance <= TimeSpan.Zero)
        {
            return new GoFacts { Status = ToolStatus.TimedOut, Path = goPath, CutShort = true, Error = "not asked: the scan's deadline had passed before go could be started" };
        }

        var version = RunAsync(goPath, ["version"], root, deadline, ct);
        var env = RunAsync(goPath, ["env", "-json", .. GoEnvNames], root, deadline, ct);
        var versionResult = await version.ConfigureAwait(false);
        var envResult = await env.ConfigureAwait(false);

        var facts = new GoFacts { Path = goPath, Status = ToolStatus.Found };
        if (versionResult.Succeeded)
        {
            var line = versionResult.StandardOutput.Split('\n')[0].Trim();
            var token = line.Split(' ').FirstOrDefault(t => t.StartsWith("go1", StringComparison.Ordinal) || t.StartsWith("devel", StringComparison.Ordinal));
            facts = facts with { VersionOutput = line, Version = token?.StartsWith("go", StringComparison.Ordinal) == true ? token[2..] : token };
        }

        if (envResult.Outcome == ProcessOutcome.TimedOut || versionResult.Outcome == ProcessOutcome.TimedOut)
        {
            // Under a second is what a slow start-up left, not enough to call go hung (HangProber waits as long before it looks).
            if (allowance < HangProber.SlowAfter)
            {
                return facts with
                {
                    Status = ToolStatus.TimedOut,
                    CutShort = true,
                    Error = $"not judged: the scan's deadline left go {allowance.TotalSeconds:0.##} s to answer `go env -json`",
                };
            }

            return facts with
            {
                Status = ToolStatus.TimedOut,
                Error = $"`go {(envResult.Outcome == ProcessOutcome.TimedOut ? "env -json" : "version")}` did not return within {envResult.Elapsed.TotalSeconds:0.#} s and was stopped",
            };
        }

        if (!envResult.Succeeded)
        {
            return facts with { Status = ToolStatus.Failed, Error = FirstLine(envResult.StandardError) ?? $"go env exited with {envResult.ExitCode}" };
        }

        try
        {
            var values = (JsonSerializer.Deserialize<Dictionary<string, string>>(envResult.StandardOutput) ?? [])
                .Where(kv => !string.IsNullOrEmpty(kv.Value) || !OptionalGoEnvNames.Contains(kv.Key))
                .ToDictionary(kv => kv.Key, kv => kv.Value ?? "");
            var redacted = new SortedDictionary<string, string>(
                values.ToDictionary(kv => kv.Key, kv => Secrets.RedactVariable(kv.Key, kv.Value)), StringComparer.Ordinal);
            return facts with { Env = redacted };
        }
        catch (JsonException e)
        {
            return facts with { Status = ToolStatus.Failed, Error = $"go env -json printed something that is not JSON: {e.Message}" };
        }
    }

    /// <summary>
    /// Names a go prints only for some GOARCH or from some version on; go prints any name it is asked for,
    /// so an empty value of one of these means "not a setting of this go" and is left out, as a plain `go env -json` would.
    /// </summary>
    internal static readonly IReadOnlySet<string> OptionalGoEnvNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "GO386", "GOAMD64", "GOARM", "GOARM64", "GOMIPS", "GOMIPS64", "GOPPC64", "GORISCV64", "GOWASM",
        "GOTOOLCHAIN", "GOTELEMETRY", "GOTELEMETRYDIR", "GOAUTH", "GODEBUG", "GOFIPS140",
    };

    /// <summary>
    /// What `go env -json` is asked for: every setting a go of 1.19 to 1.25 prints, except cmd/go's
    /// "costly" ones (CGO_CFLAGS, CGO_CPPFLAGS, CGO_CXXFLAGS, CGO_FFLAGS, CGO_LDFLAGS, PKG_CONFIG,
    /// GOGCCFLAGS: envcmd's needCostly), which no rule reads. Asking for them made every `go env` run CC
    /// several times (go 1.19 probes which flags the compiler supports): about 0.1 s of a 0.13 s `go env`
    /// on this project's machine, on the path of every scan, and the whole scan's wait when CC hangs (that
    /// is found by asking CC itself, see HangProber).
    /// </summary>
    internal static readonly string[] GoEnvNames =
    [
        "AR", "CC", "CGO_ENABLED", "CXX", "GCCGO", "GO111MODULE", "GOARCH", "GOBIN", "GOCACHE", "GOENV", "GOEXE",
        "GOEXPERIMENT", "GOFLAGS", "GOHOSTARCH", "GOHOSTOS", "GOINSECURE", "GOMOD", "GOMODCACHE", "GONOPROXY",
        "GONOSUMDB", "GOOS", "GOPATH", "GOPRIVATE", "GOPROXY", "GOROOT", "GOSUMDB", "GOTMPDIR", "GOTOOLDIR",
        "GOVCS", "GOVERSION", "GOWORK", .. OptionalGoEnvNames,
    ];

    private async Task<ToolFact> CollectToolAsync(string name, string? pathVariable, DateTimeOffset deadline, CancellationToken ct)
    {
        var found = Executables.Find(name, pathVariable);
        if (found is null)
        {
            return new ToolFact(name, ToolStatus.NotFound);
        }

        if (!found.Value.IsExecutable)
        {
            return new ToolFact(name, ToolStatus.NotExecutable) { Path = found.Value.Path };
        }

        var result = await RunAsync(found.Value.Path, ["--version"], null, deadline, ct).ConfigureAwait(false);
        return result.Outcome switch
        {
            ProcessOutcome.TimedOut => new ToolFact(name, ToolStatus.TimedOut) { Path = found.Value.Path },
            ProcessOutcome.Exited => new ToolFact(name, ToolStatus.Found)
            {
                Path = found.Value.Path,
                Version = FirstLine(result.StandardOutput) ?? FirstLine(result.StandardError),
            },
            _ => new ToolFact(name, ToolStatus.Failed) { Path = found.Value.Path, Version = FirstLine(result.StandardError) },
        };
    }

    private Task<ProcessResult> RunAsync(string file, string[] args, string? cwd, DateTimeOffset deadline, CancellationToken ct)
    {
        var left = deadline - DateTimeOffset.UtcNow;
        return processes.RunAsync(
            new ProcessRequest(file, args, left > TimeSpan.Zero ? left : TimeSpan.Zero) { WorkingDirectory = cwd },
            ct);
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static HostFacts CollectHost()
    {
        var os = OperatingSystem.IsLinux() ? "linux"
            : OperatingSystem.IsMacOS() ? "darwin"
            : OperatingSystem.IsWindows() ? "windows"
            : OperatingSystem.IsFreeBSD() ? "freebsd"
            : RuntimeInformation.OSDescription.ToLowerInvariant();
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "amd64",
            Architecture.Arm64 => "arm64",
            Architecture.X86 => "386",
            Architecture.Arm => "arm",
            Architecture.S390x => "s390x",
            Architecture.Ppc64le => "ppc64le",
            Architecture.RiscV64 => "riscv64",
            Architecture.LoongArch64 => "loong64",
            var other => other.ToString().ToLowerInvariant(),
        };
        var kernel = OperatingSystem.IsLinux() && File.Exists("/proc/sys/kernel/osrelease")
            ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim()
            : System.Environment.OSVersion.VersionString;
        return new HostFacts { Os = os, Arch = arch, Kernel = kernel, Description = RuntimeInformation.OSDescription };
    }
}
