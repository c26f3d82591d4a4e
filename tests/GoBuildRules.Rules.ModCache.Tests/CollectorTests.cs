using GoBuildRules.Rules.ModCache.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.ModCache.Tests;

public sealed class CollectorTests
{
    private static void Touch(TempFolder t, string relative, string content = "x") => t.Write(relative, content);

    [Fact]
    public void Walk_finds_each_kind_of_leftover_and_never_enters_extracted_trees()
    {
        using var t = new TempFolder();
        const string v = "cache/download/github.com/!burnt!sushi/toml/@v/";
        Touch(t, v + "v1.0.0.info", "{\"Version\":\"v1.0.0\"}");
        Touch(t, v + "v1.0.0.mod", "module github.com/BurntSushi/toml\n");
        Touch(t, v + "v1.0.0.zip");
        Touch(t, v + "v1.0.0.ziphash");
        Touch(t, v + "v1.0.0.lock", "");
        Touch(t, v + "v1.1.0.lock", "");                  // orphaned: no zip
        Touch(t, v + "v1.2.0.zip");                       // no ziphash
        Touch(t, v + "v1.3.0.partial", "");
        Touch(t, v + "v1.4.0.zip123456.tmp");
        Touch(t, v + "v1.5.0.mod", "");
        Touch(t, v + "v1.6.0.info", "");
        Touch(t, v + "list", "v1.0.0\n");
        Touch(t, "cache/download/sumdb/sum.golang.org/lookup/x.partial", "");
        // An extracted tree with a file that would look like a leftover if it were walked.
        Touch(t, "github.com/!burnt!sushi/toml@v1.0.0/testdata/v9.9.9.partial", "");

        var scan = DownloadCacheWalker.Walk(t.Path, ModCacheBudget.Default, CancellationToken.None);

        Assert.False(scan.Truncated);
        var kinds = scan.Leftovers.ToDictionary(l => l.Version, l => l.Kind);
        Assert.Equal(LeftoverKind.OrphanedLock, kinds["v1.1.0"]);
        Assert.Equal(LeftoverKind.ZipWithoutHash, kinds["v1.2.0"]);
        Assert.Equal(LeftoverKind.Partial, kinds["v1.3.0"]);
        Assert.Equal(LeftoverKind.TempFile, kinds["v1.4.0"]);
        Assert.Equal(LeftoverKind.EmptyMod, kinds["v1.5.0"]);
        Assert.Equal(LeftoverKind.EmptyInfo, kinds["v1.6.0"]);
        Assert.Equal(6, scan.Leftovers.Count);
        Assert.All(scan.Leftovers, l => Assert.Equal("github.com/BurntSushi/toml", l.Module));
        Assert.Contains(scan.Leftovers, l => l.File == v + "v1.3.0.partial");
    }

    [Fact]
    public void Walk_stops_at_its_entry_budget_and_says_so()
    {
        using var t = new TempFolder();
        for (var i = 0; i < 300; i++)
        {
            Touch(t, $"cache/download/example.com/m{i}/@v/v1.0.0.info", "{}");
        }

        var scan = DownloadCacheWalker.Walk(t.Path, ModCacheBudget.Default with { EntryBudget = 100 }, CancellationToken.None);

        Assert.True(scan.Truncated);
        Assert.Contains("100 entries", scan.TruncatedReason);
        Assert.True(scan.FilesSeen + scan.DirectoriesSeen <= 101);

        var facts = new ModCacheFacts { Download = scan };
        var snapshot = new Snapshot().WithExtension(ModCacheFacts.Key, facts);
        var rule = RuleReplay.RulesOf(new ModCachePack()).Single(r => r.Descriptor.Id == "GBMOD014");
        var finding = Assert.Single(RuleReplay.Run(rule, snapshot));
        Assert.Equal(Severity.Note, finding.Severity);
        Assert.Contains("ran out", finding.Message);
    }

    [Fact]
    public void Walk_stops_when_cancelled()
    {
        using var t = new TempFolder();
        for (var i = 0; i < 3000; i++)
        {
            Touch(t, $"cache/download/example.com/m{i % 50}/@v/v1.{i}.0.info", "{}");
        }

        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var scan = DownloadCacheWalker.Walk(t.Path, ModCacheBudget.Default, cts.Token);
        Assert.True(scan.Truncated);
        Assert.Contains("deadline", scan.TruncatedReason);
    }

    [Fact]
    public void Missing_download_folder_is_not_an_error()
    {
        using var t = new TempFolder();
        var scan = DownloadCacheWalker.Walk(t.Path, ModCacheBudget.Default, CancellationToken.None);
        Assert.False(scan.Exists);
        Assert.False(scan.Truncated);
    }

    [Fact]
    public void Required_entries_follow_replacements_and_go_sum()
    {
        var ws = new WorkspaceFacts
        {
            GoMod = new GoModFile("go.mod")
            {
                Requires = [new ModuleRequirement("a.example/x", "v1.0.0", 5), new ModuleRequirement("a.example/local", "v0.1.0", 6), new ModuleRequirement("a.example/old", "v1.0.0", 7)],
                Replaces = [new ModuleReplacement("a.example/local", null, "../local", null, 9), new ModuleReplacement("a.example/old", null, "a.example/new", "v2.0.0", 10)],
            },
            GoSum = new GoSumFile("go.sum")
            {
                Entries = [new GoSumEntry("a.example/x", "v1.0.0", "h1:x", 1), new GoSumEntry("a.example/y", "v0.2.0/go.mod", "h1:y", 2), new GoSumEntry("a.example/z", "v0.3.0", "h1:z", 3)],
            },
        };

        var wanted = RequiredEntries.Wanted(ws, 100);
        Assert.Equal([("a.example/x", "v1.0.0"), ("a.example/new", "v2.0.0"), ("a.example/z", "v0.3.0")], wanted);
        Assert.Single(RequiredEntries.Wanted(ws, 1));
    }

    [Fact]
    public void Required_entry_inspection_sees_truncated_zips_and_bad_metadata()
    {
        using var t = new TempFolder();
        var prefix = ModulePaths.DownloadPrefix(t.Path, "example.com/Big", "v1.0.0");
        Directory.CreateDirectory(Path.GetDirectoryName(prefix)!);
        using (var zip = System.IO.Compression.ZipFile.Open(prefix + ".zip", System.IO.Compression.ZipArchiveMode.Create))
        {
            using var s = zip.CreateEntry("example.com/!big@v1.0.0/a.go").Open();
            s.Write(new byte[5000]);
        }

        File.WriteAllText(prefix + ".info", "not json");
        File.WriteAllText(prefix + ".mod", "");
        var whole = RequiredEntries.Inspect(t.Path, "example.com/Big", "v1.0.0");
        Assert.True(whole.ZipComplete);
        Assert.Equal(MetadataState.Unparsable, whole.Info);
        Assert.Equal(MetadataState.Empty, whole.Mod);
        Assert.Contains("!big", whole.FilePrefix);

        using (var s = new FileStream(prefix + ".zip", FileMode.Open)) s.SetLength(s.Length - 10);
        Assert.False(RequiredEntries.Inspect(t.Path, "example.com/Big", "v1.0.0").ZipComplete);
    }

    [Theory]
    [InlineData("github.com/BurntSushi/toml", "github.com/!burnt!sushi/toml")]
    [InlineData("v1.0.0-RC1", "v1.0.0-!r!c1")]
    [InlineData("golang.org/x/mod", "golang.org/x/mod")]
    public void Module_paths_escape_as_the_cache_stores_them(string plain, string escaped)
    {
        Assert.Equal(escaped, ModulePaths.Escape(plain));
        Assert.Equal(plain, ModulePaths.Unescape(escaped));
    }

    [Fact]
    public void Probe_reports_a_missing_folder_by_its_nearest_existing_parent()
    {
        using var t = new TempFolder();
        var location = LocationProbe.Probe("GOCACHE", t.Combine("not", "yet"), GoBuildRules.Sdk.MountTable.ParseMountInfo(File.ReadAllText("/proc/self/mountinfo")));
        Assert.False(location.Exists);
        Assert.True(location.Writable);
        Assert.Equal(t.Path, location.NearestExisting);
        Assert.NotNull(location.FreeBytes);
        Assert.NotNull(location.FileSystemType);
    }

    [Fact]
    public void Collected_facts_round_trip_through_the_snapshot()
    {
        using var w = new TempFolder();
        w.Write("gopath/pkg/mod/cache/download/example.com/a/@v/v1.0.0.partial", "");
        var core = new Snapshot
        {
            Go = new GoFacts { Status = ToolStatus.Found, Env = new Dictionary<string, string> { ["GOMODCACHE"] = w.Combine("gopath", "pkg", "mod"), ["GOCACHE"] = w.Combine("gocache") } },
            Environment = new Dictionary<string, string> { ["HOME"] = w.Path, ["TMPDIR"] = w.Path },
            Workspace = new WorkspaceFacts { Root = w.Path },
        };

        var facts = new ModCacheCollector().Collect(core, CancellationToken.None);
        var back = Snapshot.FromJson(core.WithExtension(ModCacheFacts.Key, facts).ToJson()).GetExtension<ModCacheFacts>(ModCacheFacts.Key)!;

        Assert.Equal(["GOMODCACHE", "GOCACHE", "TMPDIR", "HOME"], back.Locations.Select(l => l.Role));
        Assert.Equal(LeftoverKind.Partial, Assert.Single(back.Download!.Leftovers).Kind);
        Assert.Equal(facts.Locations, back.Locations);
    }
}
