using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>
/// The pack's only contact with the machine: folders, the module cache's
/// download metadata. Runs no subprocess: the core facts already hold `go env`.
/// Every part is bounded (see <see cref="ModCacheBudget"/>) and honours the token.
/// </summary>
public sealed class ModCacheCollector(ModCacheBudget budget) : ISnapshotCollector<ModCacheFacts>
{
    public ModCacheCollector() : this(ModCacheBudget.Default)
    {
    }

    public string Key => ModCacheFacts.Key;

    public Task<ModCacheFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken) =>
        Task.Run(() => Collect(context.Core, cancellationToken), cancellationToken);

    public ModCacheFacts Collect(Snapshot core, CancellationToken ct)
    {
        var problems = new List<CacheProblem>();
        var modCache = ModCacheFolder(core);
        var goCache = NonEmpty(core.GoEnv("GOCACHE"));
        var home = NonEmpty(core.Env("HOME")) ?? NonEmpty(System.Environment.GetEnvironmentVariable("HOME"));
        var tmpDir = NonEmpty(core.Env("TMPDIR")) ?? (OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp");

        var mounts = core.Mounts;
        if (mounts.Count == 0 && core.Host.Os == "linux")
        {
            problems.Add(new CacheProblem("mount table", "the snapshot has no mount table: filesystem types are unknown"));
        }

        var roles = new List<(string Role, string Path)>();
        if (modCache is not null) roles.Add(("GOMODCACHE", modCache));
        if (goCache is not null && goCache != "off") roles.Add(("GOCACHE", goCache));
        if (NonEmpty(core.GoEnv("GOTMPDIR")) is { } goTmp) roles.Add(("GOTMPDIR", goTmp));
        roles.Add(("TMPDIR", tmpDir));
        if (home is not null) roles.Add(("HOME", home));
        // Each probe on its own thread with a deadline: stat or statfs on a hung NFS mount blocks in
        // the kernel, and one such folder must not cost the facts of the others. The deadline counts
        // from when the probe itself started: a probe still queued behind a busy machine is late, not hung.
        var probes = roles
            .Where(r => Path.IsPathRooted(r.Path))
            .Select(r =>
            {
                var clock = new ProbeClock();
                return (r.Role, r.Path, clock, Task: Task.Run(() => { clock.Start(); return LocationProbe.Probe(r.Role, r.Path, mounts); }, ct));
            })
            .ToList();
        var locations = new List<CacheLocation>();
        foreach (var (role, path, clock, task) in probes)
        {
            switch (clock.Await(task, budget.ProbeTime, ct))
            {
                case ProbeClock.Outcome.Done:
                    locations.Add(task.Result);
                    break;
                case ProbeClock.Outcome.Hung:
                    var mount = MountTable.Holding(mounts, Path.GetFullPath(path));
                    locations.Add(new CacheLocation(role, path)
                    {
                        ProbeTimedOut = true,
                        FileSystemType = mount?.FileSystem,
                        MountPoint = mount?.MountPoint,
                        MountSource = mount is null ? null : Secrets.Redact(mount.Source),
                    });
                    problems.Add(new CacheProblem(role, $"looking at {role} {path} did not return within {budget.ProbeTime.TotalSeconds:0.#} s{(mount is null ? "" : $" ({mount.FileSystem} mounted at {mount.MountPoint})")}: a hung mount blocks every go command that touches it"));
                    break;
                case ProbeClock.Outcome.Failed:
                    problems.Add(new CacheProblem(role, $"looking at {role} {path} failed: {task.Exception?.GetBaseException().Message}"));
                    break;
                default:
                    // Nothing is known about the folder: say so, and blame the scan's clock, not the machine.
                    problems.Add(new CacheProblem(role, $"the scan's deadline came before {role} {path} had been looked at for {budget.ProbeTime.TotalSeconds:0.#} s, so its filesystem, free space and writability are unknown (the scan ran out of time; this says nothing about the folder)"));
                    break;
            }
        }

        // A hung GOMODCACHE would hang the walk too.
        if (modCache is not null && locations.Any(l => l.Role == "GOMODCACHE" && l.ProbeTimedOut))
        {
            modCache = null;
        }

        var required = new List<CachedModuleEntry>();
        if (modCache is not null)
        {
            var wanted = RequiredEntries.Wanted(core.Workspace, budget.MaxRequired);
            foreach (var (module, version) in wanted)
            {
                if (ct.IsCancellationRequested)
                {
                    problems.Add(new CacheProblem("required modules", $"the scan's deadline stopped the inspection of required modules after {required.Count} of {wanted.Count}"));
                    break;
                }

                required.Add(RequiredEntries.Inspect(modCache, module, version));
            }
        }

        // Last: the walk is the one part that may use its whole budget.
        var download = modCache is null ? null : DownloadCacheWalker.Walk(modCache, budget, ct);

        return new ModCacheFacts
        {
            Locations = locations,
            Download = download,
            Required = required,
            Problems = problems,
        };
    }

    /// <summary>GOMODCACHE as go reports it, else the first GOPATH entry's pkg/mod, as cmd/go defaults it.</summary>
    public static string? ModCacheFolder(Snapshot core) => ModulePaths.ModCacheFolder(core.Go.Env);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
