using System.Globalization;
using System.Text.Json;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Collection;

/// <summary>
/// Collects where the build runs: CI provider, container and cgroup limits, the disks under the Go
/// caches, the repository's CI files, checkout ownership and depth, and (Windows only) Defender's
/// real-time scanning. Every part is independent and best effort: a part that fails adds a problem
/// and leaves its facts out.
/// </summary>
public sealed class CloudEnvCollector : ISnapshotCollector<CloudEnvFacts>
{
    /// <summary>It reads cgroups, CI files and the checkout's owner, never the module cache or the running processes.</summary>
    public bool RunsBeforeGo => false;

    private static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan PowerShellTimeout = TimeSpan.FromSeconds(10);

    private const int MaxWorkflowBytes = 512 * 1024;

    private readonly string fsRoot;

    public CloudEnvCollector() : this("/")
    {
    }

    /// <param name="fsRoot">Where /proc, /sys and the container marker files are read; tests point it at a fake tree.</param>
    internal CloudEnvCollector(string fsRoot)
    {
        this.fsRoot = fsRoot;
    }

    public string Key => CloudEnvPack.Id;

    public async Task<CloudEnvFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        var core = context.Core;
        var problems = new List<string>();
        var linux = core.Host.Os is "linux" || (core.Host.Os.Length == 0 && OperatingSystem.IsLinux());

        var checkoutTask = CollectCheckoutAsync(context, problems, cancellationToken);
        var defenderTask = OperatingSystem.IsWindows() ? CollectDefenderAsync(context, cancellationToken) : Task.FromResult<DefenderFacts?>(null);

        var ci = core.Ci.Provider is { } provider ? new CiFacts(provider.Id, provider.Name, provider.Markers) : null;

        ContainerFacts? container = null;
        ResourceFacts? resources = null;
        if (linux)
        {
            var cgroup = new CgroupReader(fsRoot).Read(Environment.ProcessorCount, core.Mounts);
            problems.AddRange(cgroup.Problems);
            container = DetectContainer(cgroup.Version, cgroup.Paths, core.Environment);
            resources = cgroup.Resources with
            {
                AffinityCpus = AffinityCpus(ReadText(Path.Combine(fsRoot, "proc/self/status"))),
                GoMaxProcs = core.Env("GOMAXPROCS"),
                GoFlagsParallelism = Parallelism.FromGoFlags(core.GoSettings.Flags),
            };
        }
        else
        {
            resources = new ResourceFacts
            {
                ProcessorCount = Environment.ProcessorCount,
                GoMaxProcs = core.Env("GOMAXPROCS"),
                GoFlagsParallelism = Parallelism.FromGoFlags(core.GoSettings.Flags),
            };
        }

        var workflows = ReadWorkflows(context.WorkspaceRoot, core.Ci, problems, cancellationToken);

        return new CloudEnvFacts
        {
            Ci = ci,
            Container = container,
            Resources = resources,
            Workflows = workflows,
            Checkout = await checkoutTask.ConfigureAwait(false),
            Defender = await defenderTask.ConfigureAwait(false),
            Problems = problems,
        };
    }

    private string Local(string absolute) => Path.Combine(fsRoot, absolute.TrimStart('/'));

    private ContainerFacts DetectContainer(string? cgroupVersion, IReadOnlyList<string> cgroupPaths, IReadOnlyDictionary<string, string> env)
    {
        var markers = new List<string>();
        string? runtime = null;
        if (File.Exists(Local("/.dockerenv")))
        {
            markers.Add("/.dockerenv");
            runtime = "docker";
        }

        if (File.Exists(Local("/run/.containerenv")))
        {
            markers.Add("/run/.containerenv");
            runtime ??= "podman";
        }

        if (env.ContainsKey("KUBERNETES_SERVICE_HOST"))
        {
            markers.Add("KUBERNETES_SERVICE_HOST");
            runtime = "kubernetes";
        }

        if (env.TryGetValue("container", out var c) && c.Length > 0)
        {
            markers.Add($"container={c}");
            runtime ??= c;
        }

        foreach (var (needle, name) in new[] { ("kubepods", "kubernetes"), ("docker", "docker"), ("libpod", "podman"), ("containerd", "containerd"), ("lxc", "lxc") })
        {
            var path = cgroupPaths.FirstOrDefault(p => p.Contains(needle, StringComparison.Ordinal));
            if (path is not null)
            {
                markers.Add($"cgroup {path}");
                runtime ??= name;
                break;
            }
        }

        return new ContainerFacts { CgroupVersion = cgroupVersion, InContainer = markers.Count > 0, Runtime = runtime, Markers = markers };
    }

    /// <summary>The GitHub Actions workflows and the GitLab CI file among the snapshot's CI files.</summary>
    private static List<WorkflowFile> ReadWorkflows(string root, CiSystem ci, List<string> problems, CancellationToken ct)
    {
        var files = ci.ConfigFiles
            .Select(f => (Relative: f.Path, Kind: f.Provider switch { "github-actions" => WorkflowKind.GitHubActions, "gitlab-ci" => WorkflowKind.GitLabCi, _ => (WorkflowKind?)null }))
            .Where(f => f.Kind is not null)
            .Select(f => (f.Relative, Kind: f.Kind!.Value))
            .ToList();
        // go.sum beside the CI files: the folder the CI's cache key globs are relative to.
        var rootHasGoSum = files.Count > 0 && File.Exists(Path.Combine(root, ci.ConfigFolder, "go.sum"));

        var result = new List<WorkflowFile>();
        foreach (var (relative, kind) in files)
        {
            ct.ThrowIfCancellationRequested();
            var full = Path.GetFullPath(relative, root);
            try
            {
                var info = new FileInfo(full);
                if (info.Length > MaxWorkflowBytes)
                {
                    problems.Add($"{relative} is larger than {MaxWorkflowBytes / 1024} KiB and was not read");
                    continue;
                }

                result.Add(WorkflowReader.Parse(relative, kind, File.ReadAllText(full)) with { RepositoryRootHasGoSum = rootHasGoSum });
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{relative} could not be read: {e.Message}");
            }
        }

        return result;
    }

    private async Task<CheckoutFacts?> CollectCheckoutAsync(CollectionContext context, List<string> problems, CancellationToken ct)
    {
        var top = context.Core.Workspace.GitTopLevel;
        if (top is null)
        {
            return null;
        }

        var statArgs = OperatingSystem.IsMacOS() || context.Core.Host.Os is "darwin" or "freebsd"
            ? new[] { "-f", "%u:%Su", top }
            : ["-c", "%u:%U", top];
        var statTask = OperatingSystem.IsWindows() ? Task.FromResult<ProcessResult?>(null) : RunAsync(context, "stat", statArgs, ct);
        var globalTask = RunAsync(context, "git", ["config", "--global", "--get-all", "safe.directory"], ct);
        var systemTask = RunAsync(context, "git", ["config", "--system", "--get-all", "safe.directory"], ct);

        int? ownerUid = null;
        string? ownerName = null;
        var stat = await statTask.ConfigureAwait(false);
        if (stat is { Succeeded: true })
        {
            var parts = stat.StandardOutput.Trim().Split(':', 2);
            if (int.TryParse(parts[0], CultureInfo.InvariantCulture, out var uid))
            {
                ownerUid = uid;
                ownerName = parts.Length > 1 ? parts[1] : null;
            }
        }
        else if (stat is not null)
        {
            problems.Add($"the owner of {top} could not be read: {FirstLine(stat.StandardError) ?? stat.Outcome.ToString()}");
        }

        var safe = new List<string>();
        foreach (var r in new[] { await globalTask.ConfigureAwait(false), await systemTask.ConfigureAwait(false) })
        {
            if (r is { Succeeded: true })
            {
                safe.AddRange(r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }

        return new CheckoutFacts
        {
            OwnerUid = ownerUid,
            OwnerName = ownerName,
            CurrentUid = NativeUser.EffectiveUid(),
            CurrentUser = Environment.UserName,
            SafeDirectories = safe.Distinct().ToList(),
            Shallow = GitCheckout.IsShallow(top),
            SudoUid = int.TryParse(Environment.GetEnvironmentVariable("SUDO_UID"), CultureInfo.InvariantCulture, out var sudo) ? sudo : null,
        };
    }

    private static async Task<DefenderFacts?> CollectDefenderAsync(CollectionContext context, CancellationToken ct)
    {
        var result = await context.Processes.RunAsync(
            new ProcessRequest("powershell", ["-NoProfile", "-NonInteractive", "-Command",
                "Get-MpPreference | Select-Object DisableRealtimeMonitoring,ExclusionPath,ExclusionProcess | ConvertTo-Json -Compress"], PowerShellTimeout),
            ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return new DefenderFacts { Error = result.Outcome == ProcessOutcome.Exited ? FirstLine(result.StandardError) ?? $"exit {result.ExitCode}" : result.Outcome.ToString() };
        }

        return ParseDefender(result.StandardOutput);
    }

    /// <summary>Reads Get-MpPreference's JSON; exclusions read "N/A: Must be an administrator…" for other users.</summary>
    internal static DefenderFacts ParseDefender(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            bool? realtime = root.TryGetProperty("DisableRealtimeMonitoring", out var d) && d.ValueKind is JsonValueKind.True or JsonValueKind.False ? !d.GetBoolean() : null;
            var (paths, pathsVisible) = Strings(root, "ExclusionPath");
            var (processes, _) = Strings(root, "ExclusionProcess");
            return new DefenderFacts
            {
                RealTimeMonitoringEnabled = realtime,
                ExclusionsVisible = pathsVisible,
                ExclusionPaths = paths,
                ExclusionProcesses = processes,
            };
        }
        catch (JsonException e)
        {
            return new DefenderFacts { Error = $"Get-MpPreference printed something that is not JSON: {e.Message}" };
        }
    }

    private static (IReadOnlyList<string> Values, bool Visible) Strings(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return ([], true);
        }

        var values = value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : value.ValueKind == JsonValueKind.String ? [value.GetString()!] : [];
        var hidden = values.Any(v => v.StartsWith("N/A", StringComparison.OrdinalIgnoreCase));
        return (hidden ? [] : values.Select(Secrets.Redact).ToList(), !hidden);
    }

    /// <summary>
    /// The CPUs this process (and so a go it starts) may run on: the count of Cpus_allowed_list in
    /// /proc/self/status, the sched_getaffinity mask that Go's runtime.NumCPU counts. Read rather than
    /// asked of `nproc`, which costs a process and also honours OMP_NUM_THREADS, which Go ignores.
    /// </summary>
    internal static int? AffinityCpus(string? status)
    {
        var line = status?.Split('\n').FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        if (line is null) return null;
        var count = 0;
        foreach (var part in line["Cpus_allowed_list:".Length..].Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            if (!int.TryParse(range[0], CultureInfo.InvariantCulture, out var first)) return null;
            var last = first;
            if (range.Length == 2 && !int.TryParse(range[1], CultureInfo.InvariantCulture, out last)) return null;
            if (range.Length > 2 || last < first) return null;
            count += last - first + 1;
        }

        return count > 0 ? count : null;
    }

    private static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static async Task<ProcessResult?> RunAsync(CollectionContext context, string program, string[] args, CancellationToken ct)
    {
        var found = Executables.Find(program, context.Core.Env("PATH") ?? Environment.GetEnvironmentVariable("PATH"));
        if (found is not { IsExecutable: true })
        {
            return null;
        }

        return await context.Processes.RunAsync(new ProcessRequest(found.Value.Path, args, ShortTimeout), ct).ConfigureAwait(false);
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
