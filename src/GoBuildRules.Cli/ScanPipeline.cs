using System.Diagnostics;
using System.Reflection;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
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
    IReadOnlyList<string> ExtraPackFolders);

public sealed record ScanResult(Snapshot Snapshot, Report Report);

/// <summary>
/// One scan, in the one direction of data: packs → snapshot → findings → policy → report.
/// </summary>
public sealed class ScanPipeline(PackCatalog catalog, PackHost host, SnapshotCollection collection, RuleEvaluator evaluator)
{
    /// <summary>A rule is a pure function over facts in memory; a second is already generous.</summary>
    private static readonly TimeSpan PerRuleBudget = TimeSpan.FromSeconds(2);

    public static string ToolVersion { get; } =
        typeof(ScanPipeline).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public PackSet LoadPacks(IReadOnlyList<string> extraPackFolders) => host.Load(catalog.Sources(extraPackFolders));

    public async Task<Snapshot> CollectAsync(ScanRequest request, PackSet packs, CancellationToken ct)
    {
        if (request.FromSnapshot is { } from)
        {
            return ReadSnapshot(from);
        }

        return await collection.CollectAsync(
            new CollectOptions(request.Path, request.Timeout, request.Offline, ToolVersion),
            CoreCollector.CurrentEnvironment(),
            packs.Packs,
            ct).ConfigureAwait(false);
    }

    public async Task<ScanResult> RunAsync(ScanRequest request, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        using var packs = LoadPacks(request.ExtraPackFolders);

        var collect = Stopwatch.StartNew();
        var snapshot = await CollectAsync(request, packs, ct).ConfigureAwait(false);
        collect.Stop();

        var evaluate = Stopwatch.StartNew();
        var evaluation = await evaluator.EvaluateAsync(snapshot, packs.Packs, PerRuleBudget, ct).ConfigureAwait(false);
        evaluate.Stop();

        var notifications = packs.Errors
            .Select(e => new ToolNotification(NotificationLevel.Error, e.Pack, $"pack not loaded: {e.Message}"))
            .Concat(evaluation.Notifications)
            .ToList();
        var toolFailures = notifications.Any(n => n.Level == NotificationLevel.Error);
        var exitCode = Policy.ExitCode(evaluation.Findings, request.FailOn, toolFailures, request.Strict);

        var report = ReportBuilder.Build(
            ToolVersion,
            snapshot,
            replay: request.FromSnapshot is not null,
            packs,
            evaluation,
            evaluation.Findings,
            [],
            notifications,
            new Timings(collect.ElapsedMilliseconds, evaluate.ElapsedMilliseconds, total.ElapsedMilliseconds),
            request.FailOn,
            exitCode);
        return new ScanResult(snapshot, report);
    }

    private static Snapshot ReadSnapshot(string file)
    {
        string json;
        try
        {
            json = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read snapshot {file}: {e.Message}");
        }

        try
        {
            return Snapshot.FromJson(json);
        }
        catch (SnapshotFormatException e)
        {
            throw new UsageException($"{file} is {e.Message}");
        }
    }
}
