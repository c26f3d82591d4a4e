using GoBuildRules.Core.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;
using NJsonSchema;

namespace GoBuildRules.Core.Tests;

/// <summary>docs/schemas/snapshot.schema.json describes what the collector really writes and what every fixture sets.</summary>
public sealed class SnapshotSchemaTests
{
    private static JsonSchema Schema() =>
        JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root(), "docs", "schemas", "snapshot.schema.json")).GetAwaiter().GetResult();

    [Fact]
    public async Task A_collected_snapshot_matches_the_documented_schema()
    {
        using var temp = new TempFolder();
        temp.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        var snapshot = await new CoreCollector(new ProcessRunner())
            .CollectAsync(new CollectOptions(temp.Path, TimeSpan.FromSeconds(60), true, "test"), CoreCollector.CurrentEnvironment(), CancellationToken.None);

        Assert.Equal(ToolStatus.Found, snapshot.Go.Status);
        Assert.True(snapshot.GoSettings.EnvFile.Read);
        Assert.Equal(snapshot.GoEnv("GOPROXY"), snapshot.GoSettings.Value("GOPROXY"));
        var errors = Schema().Validate(snapshot.ToJson());
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public void Every_fixture_of_every_pack_matches_the_documented_schema()
    {
        var schema = Schema();
        var fixtures = AllPacksReplay.AllFixtures();
        Assert.True(fixtures.Count > 100, $"only {fixtures.Count} fixtures found");
        var bad = fixtures
            .Select(f => (File: Path.GetRelativePath(RepoPaths.Root(), f), Errors: schema.Validate(File.ReadAllText(f))))
            .Where(x => x.Errors.Count > 0)
            .Select(x => $"{x.File}: {string.Join(", ", x.Errors.Select(e => $"{e.Path} {e.Kind}"))}")
            .ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
    }

    [Fact]
    public void The_schema_rejects_what_it_must()
    {
        var errors = Schema().Validate("""{"schemaVersion": 2, "go": {"status": "sideways"}, "goSettings": {"values": {"GOPROXY": {"name": "GOPROXY", "value": "off", "source": "guess"}}}}""");
        Assert.Contains(errors, e => e.Path == "#/schemaVersion");
        Assert.Contains(errors, e => (e.Path ?? "").Contains("status", StringComparison.Ordinal));
        Assert.True(errors.Count >= 3, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }
}
