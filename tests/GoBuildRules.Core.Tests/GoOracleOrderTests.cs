using System.Collections.Concurrent;
using System.Diagnostics;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Core.Tests;

/// <summary>
/// The go oracle's `go list` may repair the module cache, so it starts only after every collector
/// that must see the machine before go (ISnapshotCollector.RunsBeforeGo, the default) has returned,
/// and runs beside the others. Checked with the real go and the real process runner: the order of
/// events is asserted, never a duration.
/// </summary>
public sealed class GoOracleOrderTests : IDisposable
{
    private readonly TempFolder module = new("oracle-order");

    [Fact]
    public async Task Go_list_starts_after_the_collectors_that_run_before_go_and_beside_the_others()
    {
        module.Write("go.mod", "module example.com/m\n\ngo 1.19\n");
        module.Write("main.go", "package main\n\nfunc main() {}\n");
        var events = new ConcurrentQueue<(string What, long At)>();
        var runner = new RecordingRunner(new ProcessRunner(), events);
        var before = new SlowCollector("before-go", runsBeforeGo: true, TimeSpan.FromMilliseconds(600), events);
        var beside = new SlowCollector("beside-go", runsBeforeGo: false, TimeSpan.FromSeconds(3), events);
        using var pack = new LoadedPack(new PackInfo("Test.Order", "order", "GBTO", "test"), module.Path, false, [], [before, beside], new Nothing());
        var collection = new SnapshotCollection(new CoreCollector(runner), runner);

        var snapshot = await collection.CollectAsync(
            new CollectOptions(module.Path, TimeSpan.FromSeconds(20), Offline: true, "test"),
            CoreCollector.CurrentEnvironment(),
            [pack],
            CancellationToken.None);

        Assert.True(snapshot.GoOracle.Ran, snapshot.GoOracle.SkippedBecause);
        var at = events.ToDictionary(e => e.What, e => e.At);
        Assert.True(at["before-go returned"] < at["go list started"], string.Join(", ", events));
        Assert.True(at["go list started"] < at["beside-go returned"], string.Join(", ", events));
        Assert.Contains("before-go", snapshot.Extensions.Keys);
        Assert.Contains("beside-go", snapshot.Extensions.Keys);
    }

    public void Dispose() => module.Dispose();

    public sealed record Facts(string Name);

    private sealed class SlowCollector(string key, bool runsBeforeGo, TimeSpan takes, ConcurrentQueue<(string, long)> events) : ISnapshotCollector<Facts>
    {
        public string Key => key;

        public bool RunsBeforeGo => runsBeforeGo;

        public async Task<Facts> CollectAsync(CollectionContext context, CancellationToken cancellationToken)
        {
            await Task.Delay(takes, cancellationToken);
            events.Enqueue(($"{key} returned", Stopwatch.GetTimestamp()));
            return new Facts(key);
        }
    }

    private sealed class RecordingRunner(IProcessRunner inner, ConcurrentQueue<(string, long)> events) : IProcessRunner
    {
        public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
        {
            if (Path.GetFileName(request.FileName) == "go" && request.Arguments.FirstOrDefault() == "list")
            {
                events.Enqueue(("go list started", Stopwatch.GetTimestamp()));
            }

            return inner.RunAsync(request, cancellationToken);
        }
    }

    private sealed class Nothing : IDisposable
    {
        public void Dispose()
        {
        }
    }
}
