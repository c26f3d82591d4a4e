using System.Diagnostics;
using System.Reflection;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Config;
using GoBuildRules.Core.Diagnostics;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Packs;
using GoBuildRules.Reporting;
using GoBuildRules.Sdk;

namespace GoBuildRules.Cli;

public sealed record ScanRequest(
    string Path,
    string? FromSnapshot,
    bool Offline,
    TimeSpan Timeout,
    FailOn FailOn,
    bool Strict,
    IReadOnlyList<string> ExtraPackFolders)
{
    /// <summary>--timeout was given: it wins over the config's probeBudgetSeconds.</summary>
    public bool TimeoutGiven { get; init; }

    /// <summary>--fail-on was given: it wins over the config's failOn.</summary>
    public bool FailOnGiven { get; init; }

    /// <summary>--require-signed: an unsigned pack is refused.</summary>
    public bool RequireSigned { get; init; }

    /// <summary>--config: this gobuildrules.json instead of the one found above --path.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>watch: the stalled process tree, described in full among the live processes.</summary>
    public IReadOnlySet<int> WatchedPids { get; init; } = new HashSet<int>();

    /// <summary>Where --timeout is counted from: the process start for `scan`; null for the start of <see cref="ScanPipeline.RunAsync"/>.</summary>
    public DateTimeOffset? StartedAt { get; init; }
}

public sealed record ScanResult(Snapshot Snapshot, Report Report);

/// <summary>The packs a scan loaded (the caller disposes them) and the snapshot they collected.</summary>
internal sealed record LoadedScan(PackSet Packs, Snapshot Snapshot);

/// <summary>The team config of a run and the packs it names, restored into the store.</summary>
public sealed record ConfiguredPacks(TeamConfig Config, string Root, IReadOnlyList<(string Id, string Folder)> Folders, IReadOnlyList<PackLoadError> Refused);

/// <summary>
/// One scan, in the one direction of data: config → packs → snapshot → findings → policy → report.
/// </summary>
public sealed class ScanPipeline(PackCatalog catalog, PackHost host, SnapshotCollection collection, RuleEvaluator evaluator, PackStore store, Output output)
{
    /// <summary>A rule is a pure function over facts in memory; a second is already generous.</summary>
    private static readonly TimeSpan PerRuleBudget = TimeSpan.FromSeconds(2);

    public static string ToolVersion { get; } =
        typeof(ScanPipeline).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>The bundled packs, the configured packs already in the store (nothing is fetched) and --packs folders.</summary>
    public PackSet LoadPacks(IReadOnlyList<string> extraPackFolders, ConfiguredPacks configured)
    {
        var set = host.Load(catalog.Sources(extraPackFolders, configured.Folders));
        return configured.Refused.Count == 0 ? set : set with { Errors = [.. configured.Refused, .. set.Errors] };
    }

    public static TeamConfig LoadConfig(string path, string? configFile)
    {
        try
        {
            return configFile is not null ? TeamConfigFile.Load(Path.GetFullPath(configFile)) : TeamConfigFile.LoadFrom(path);
        }
        catch (ConfigException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>The configured packs that are installed at their locked versions; no feed is asked.</summary>
    public ConfiguredPacks InstalledPacks(string path, string? configFile)
    {
        var config = LoadConfig(path, configFile);
        var root = RepoRoot(config, path);
        var lockFile = ReadLock(root);
        var folders = new List<(string, string)>();
        foreach (var id in config.Packs.Keys)
        {
            if (lockFile.Find(id) is { } locked && store.Get(id, locked.Version) is { } pack && pack.Sha512 == locked.Sha512)
            {
                folders.Add((pack.Id, pack.Folder));
            }
        }

        return new ConfiguredPacks(config, root, folders, []);
    }

    /// <summary>
    /// Restores the packs gobuildrules.json names (as `dotnet tool restore` does): missing ones are
    /// fetched, or with --offline the scan stops with a usage error; a refused pack (changed hash,
    /// unsafe, untrusted signature) is reported while the other packs run.
    /// </summary>
    public async Task<ConfiguredPacks> RestorePacksAsync(string path, string? configFile, bool offline, bool requireSigned, CancellationToken ct)
    {
        var config = LoadConfig(path, configFile);
        var root = RepoRoot(config, path);
        if (config.Packs.Count == 0)
        {
            return new ConfiguredPacks(config, root, [], []);
        }

        try
        {
            using var manager = new PackManager(store, new PackFeeds(root, [], offline, requireSigned, output.Progress(), output.Warning));
            // A scan only reads the lock file: a read-only checkout scans, and the committed lock never changes under the user.
            var (restored, _) = await manager.RestoreAsync(root, config, writeLock: false, ct).ConfigureAwait(false);
            foreach (var note in restored.Select(r => r.Unlocked).OfType<string>())
            {
                output.Warning($"{note}; `gobuildrules packs restore --write-lock` records it");
            }

            return new ConfiguredPacks(
                config,
                root,
                restored.Where(r => r.Pack is not null).Select(r => (r.Pack!.Id, r.Pack.Folder)).ToList(),
                restored.Where(r => r.Error is not null).Select(r => new PackLoadError(r.Id, store.PacksRoot, r.Error!)).ToList());
        }
        catch (PackException e)
        {
            throw new UsageException($"cannot restore the packs of {config.File}: {e.Message}");
        }
    }

    /// <summary>Where gobuildrules.json and its lock file live: the config's folder, else --path.</summary>
    private static string RepoRoot(TeamConfig config, string path) =>
        config.File is { } f ? Path.GetDirectoryName(f)! : Path.GetFullPath(path);

    private static LockFile ReadLock(string root)
    {
        try
        {
            return LockFile.Load(root);
        }
        catch (PackException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public async Task<Snapshot> CollectAsync(ScanRequest request, PackSet packs, CancellationToken ct)
    {
        if (request.FromSnapshot is { } from)
        {
            return ReadSnapshot(from, ct);
        }

        return await collection.CollectAsync(CollectOptionsOf(request), CoreCollector.CurrentEnvironment(), packs.Packs, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads the packs while the core facts are collected, then runs the packs' collectors and the go oracle.
    /// The core facts read no pack and mostly wait for go and the tools; loading the packs is CPU work on
    /// this thread, so the two overlap (in a traced scan 250 ms side by side against about 325 ms one after the
    /// other). The packs are the caller's to dispose.
    /// </summary>
    private async Task<LoadedScan> LoadPacksAndCollectAsync(ScanRequest request, ConfiguredPacks configured, CancellationToken ct)
    {
        if (request.FromSnapshot is not null)
        {
            var replayed = Timing.Measure("scan: load packs", () => LoadPacks(request.ExtraPackFolders, configured));
            return new LoadedScan(replayed, await Disposing(replayed, () => CollectAsync(request, replayed, ct)).ConfigureAwait(false));
        }

        using var coreStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var options = CollectOptionsOf(request);
        var environment = CoreCollector.CurrentEnvironment();
        var core = Task.Run(() => collection.CollectCoreAsync(options, environment, coreStop.Token), coreStop.Token);
        PackSet packs;
        try
        {
            packs = Timing.Measure("scan: load packs", () => LoadPacks(request.ExtraPackFolders, configured));
        }
        catch
        {
            // Not left running unobserved: its subprocesses stop with the token.
            await coreStop.CancelAsync().ConfigureAwait(false);
            await core.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            throw;
        }

        return new LoadedScan(packs, await Disposing(packs, async () => await collection.CollectPacksAsync(await core.ConfigureAwait(false), packs.Packs, ct).ConfigureAwait(false)).ConfigureAwait(false));
    }

    private static async Task<T> Disposing<T>(PackSet packs, Func<Task<T>> use)
    {
        try
        {
            return await use().ConfigureAwait(false);
        }
        catch
        {
            packs.Dispose();
            throw;
        }
    }

    private static CollectOptions CollectOptionsOf(ScanRequest request) =>
        new(request.Path, request.Timeout, request.Offline, ToolVersion) { WatchedPids = request.WatchedPids };

    public async Task<ScanResult> RunAsync(ScanRequest request, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var configured = await Timing.MeasureAsync("scan: config and pack restore", () => RestorePacksAsync(request.Path, request.ConfigFile, request.Offline, request.RequireSigned, ct)).ConfigureAwait(false);
        request = WithConfig(request, configured.Config);
        // One absolute deadline for the whole run (start-up and pack loading count against it): collection
        // gets what is left of it up to CollectionEnd, the rules up to EvaluationEnd, the report the rest.
        // The slices after collection grow when this process gets little CPU (both cores busy): measured over
        // start-up, when the process start is known.
        var deadline = new ScanDeadline(ScanDeadline.StartNoEarlierThanHalfBefore(request.StartedAt ?? started, request.Timeout), request.Timeout)
        {
            Slowness = request.StartedAt is { } processStart ? ScanDeadline.SlownessSince(processStart) : 1,
        };
        Timing.Start($"deadline: slowness {deadline.Slowness:0.0}, {deadline.AfterCollection.TotalMilliseconds:0} ms kept for the rules and the report")?.Dispose();
        request = request with { Timeout = ScanDeadline.Left(deadline.CollectionEnd) };

        var collect = Stopwatch.StartNew();
        var (packs, snapshot) = await Timing.MeasureAsync("scan: load packs and collect the snapshot", () => LoadPacksAndCollectAsync(request, configured, ct)).ConfigureAwait(false);
        using var loaded = packs;
        collect.Stop();
        return await EvaluateAsync(request, configured.Config, packs, snapshot, collect.Elapsed, total, ct, deadline.EvaluationEnd).ConfigureAwait(false);
    }

    /// <summary>The request with the config's probe budget and failOn where the command line did not set them.</summary>
    public static ScanRequest WithConfig(ScanRequest request, TeamConfig config) => request with
    {
        Timeout = !request.TimeoutGiven && config.ProbeBudgetSeconds is { } budget ? TimeSpan.FromSeconds(budget) : request.Timeout,
        FailOn = !request.FailOnGiven && config.FailOn is { } configFailOn ? TeamConfigFile.ParseFailOn(configFailOn)!.Value : request.FailOn,
    };

    /// <summary>Rules, policy and the report over a collected snapshot (`watch` adds its live facts to it first).</summary>
    /// <param name="until">When every rule must have answered (the scan's deadline); null for <see cref="PerRuleBudget"/> per rule.</param>
    public async Task<ScanResult> EvaluateAsync(ScanRequest request, TeamConfig config, PackSet packs, Snapshot snapshot, TimeSpan collected, Stopwatch total, CancellationToken ct, DateTimeOffset? until = null)
    {
        var evaluate = Stopwatch.StartNew();
        var evaluation = await Timing.MeasureAsync("scan: rules", () => evaluator.EvaluateAsync(snapshot, packs.Packs, PerRuleBudget, ct, until)).ConfigureAwait(false);
        evaluate.Stop();
        using var reporting = Timing.Start("scan: policy and report model");

        var policy = TeamPolicy.Apply(evaluation.Findings, evaluation.Rules, config, DateOnly.FromDateTime(DateTime.Now));

        var notifications = packs.Errors
            .Select(e => new ToolNotification(NotificationLevel.Error, e.Pack, $"pack not loaded: {e.Message}"))
            .Concat(evaluation.Notifications)
            .Concat(policy.Notifications)
            .ToList();
        var toolFailures = notifications.Any(n => n.Level == NotificationLevel.Error);
        var cut = snapshot.CollectionIssues.Any(i => i.TimedOut) || evaluation.CutByDeadline.Count > 0;
        var exitCode = Policy.ExitCode(policy.Findings, request.FailOn, toolFailures, request.Strict, cut);

        var report = ReportBuilder.Build(
            ToolVersion,
            snapshot,
            replay: request.FromSnapshot is not null,
            packs,
            evaluation,
            policy.Findings,
            policy.Suppressed.Select(x => (x.Finding, x.Justification)).ToList(),
            notifications,
            new Timings((long)collected.TotalMilliseconds, evaluate.ElapsedMilliseconds, total.ElapsedMilliseconds),
            request.FailOn,
            exitCode);
        return new ScanResult(snapshot, report);
    }

    private static Snapshot ReadSnapshot(string file, CancellationToken ct)
    {
        var json = Reports.ReadText(file, "snapshot", ct);

        Snapshot snapshot;
        try
        {
            snapshot = Snapshot.FromCollectedJson(json);
        }
        catch (SnapshotFormatException e)
        {
            throw new UsageException($"{file} is {e.Message}");
        }

        // A snapshot from a newer tool may hold cross-pack facts in a contract major this one cannot read: the
        // reader leaves them out, and the replay must say so as collection does, not look healthy.
        var unread = EndpointVerdicts.Read(snapshot).Issues.Where(i => !snapshot.CollectionIssues.Contains(i)).ToList();
        return unread.Count == 0 ? snapshot : snapshot with { CollectionIssues = [.. snapshot.CollectionIssues, .. unread] };
    }
}
