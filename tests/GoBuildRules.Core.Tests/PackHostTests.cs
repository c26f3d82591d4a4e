using GoBuildRules.Core.Engine;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Core.Tests;

public sealed class PackHostTests : IDisposable
{
    private readonly TempFolder temp = new("packs");
    private readonly PackHost host = new();

    private PackSet Load(params string[] names)
    {
        TestPacks.Stage(temp.Path, names);
        return host.Load(names.Select(n => new PackSource(Path.Combine(temp.Path, n), Bundled: false)));
    }

    [Fact]
    public async Task Two_packs_on_two_versions_of_one_library_both_load_and_run()
    {
        using var set = Load(TestPacks.JsonOld, TestPacks.JsonNew);

        Assert.Empty(set.Errors);
        var evaluation = await new RuleEvaluator().EvaluateAsync(new Snapshot(), set.Packs, TimeSpan.FromSeconds(5), CancellationToken.None);
        var versions = evaluation.Findings.ToDictionary(f => f.RuleId, f => f.Evidence.Single(e => e.Name == "newtonsoft").Value);
        Assert.Equal("12.0.0.0", versions["GBTJO001"]);
        Assert.Equal("13.0.0.0", versions["GBTJN001"]);
    }

    [Fact]
    public void A_packs_IRule_is_the_hosts_IRule()
    {
        using var set = Load(TestPacks.JsonOld);

        var rule = Assert.Single(set.Rules);
        Assert.IsAssignableFrom<IRule>(rule);
        Assert.Same(typeof(IRule).Assembly, rule.GetType().GetInterfaces().Single(i => i.Name == nameof(IRule)).Assembly);
        // The SDK comes from the host; the pack and its private dependency live in the pack's own context.
        var packContext = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(rule.GetType().Assembly);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, packContext);
        Assert.Same(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(typeof(IRule).Assembly));
        rule.Evaluate(new Snapshot(), CancellationToken.None).ToList();
        Assert.Contains(packContext!.Assemblies, a => a.GetName().Name == "Newtonsoft.Json" && a.GetName().Version!.Major == 12);
        Assert.DoesNotContain(packContext.Assemblies, a => a.GetName().Name == "GoBuildRules.Sdk");
    }

    [Fact]
    public void A_pack_built_for_another_sdk_major_is_refused_by_name_and_the_others_load()
    {
        using var set = Load(TestPacks.FutureSdk, TestPacks.JsonNew);

        var error = Assert.Single(set.Errors);
        Assert.Equal(TestPacks.FutureSdk, error.Pack);
        Assert.Contains("GoBuildRules.Sdk 2.x", error.Message);
        Assert.Equal(TestPacks.JsonNew, Assert.Single(set.Packs).Info.Id);
    }

    [Fact]
    public void An_assembly_without_IRulePack_is_refused()
    {
        using var set = Load(TestPacks.NoPack, TestPacks.JsonNew);

        Assert.Contains("no public IRulePack", Assert.Single(set.Errors).Message);
        Assert.Single(set.Packs);
    }

    [Fact]
    public void Two_packs_claiming_one_rule_id_a_clear_error_naming_both()
    {
        using var set = Load(TestPacks.Clash, TestPacks.JsonOld);

        var error = Assert.Single(set.Errors);
        Assert.Contains("GBTJO001", error.Message);
        Assert.Contains(set.Packs.Single().Info.Id, error.Message);
        Assert.NotEqual(error.Pack, set.Packs.Single().Info.Id);
    }

    [Fact]
    public void A_second_collector_with_a_used_key_is_refused_with_an_error_naming_both()
    {
        using var set = Load(TestPacks.Clash, TestPacks.Faulty);

        var error = Assert.Single(set.Errors);
        Assert.Equal("GoBuildRules.TestPacks.Faulty", error.Pack);
        Assert.Contains("faulty-throwing", error.Message);
        Assert.Contains("GoBuildRules.TestPacks.Clash", error.Message);
        Assert.Equal("GoBuildRules.TestPacks.Clash", set.Packs.Single().Info.Id);
    }

    [Fact]
    public void A_pack_whose_assembly_is_broken_or_missing_fails_alone()
    {
        var broken = Path.Combine(temp.Path, "Broken.Pack", "lib", "net10.0");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "Broken.Pack.dll"), "this is not a PE file");
        var empty = Path.Combine(temp.Path, "Empty.Pack", "lib", "net10.0");
        Directory.CreateDirectory(empty);
        TestPacks.Stage(temp.Path, TestPacks.JsonNew);

        using var set = host.Load([
            new PackSource(Path.Combine(temp.Path, "Broken.Pack"), false),
            new PackSource(Path.Combine(temp.Path, "Empty.Pack"), false),
            new PackSource(Path.Combine(temp.Path, TestPacks.JsonNew), false),
        ]);

        Assert.Equal(["Broken.Pack", "Empty.Pack"], set.Errors.Select(e => e.Pack));
        Assert.All(set.Errors, e => Assert.DoesNotContain("\n", e.Message));
        Assert.Contains("no Empty.Pack.dll", set.Errors[1].Message);
        Assert.Single(set.Packs);
    }

    [Fact]
    public async Task Rules_that_throw_or_overrun_become_notifications_and_the_others_report()
    {
        using var set = Load(TestPacks.Faulty);

        var evaluation = await new RuleEvaluator().EvaluateAsync(new Snapshot(), set.Packs, TimeSpan.FromMilliseconds(500), CancellationToken.None);

        Assert.Equal("GBTF003", Assert.Single(evaluation.Findings).RuleId);
        Assert.Contains(evaluation.Notifications, n => n.RuleId == "GBTF001" && n.Message.Contains("boom from GBTF001"));
        Assert.Contains(evaluation.Notifications, n => n.RuleId == "GBTF002" && n.Message.Contains("did not finish"));
    }

    [Fact]
    public async Task Collectors_that_hang_or_throw_leave_issues_and_the_deadline_holds()
    {
        using var set = Load(TestPacks.Faulty);
        using var module = new TempFolder("mod");
        module.Write("go.mod", "module example.com/m\n\ngo 1.19\n");
        var collection = new SnapshotCollection(new Collection.CoreCollector(new Collection.ProcessRunner()), new Collection.ProcessRunner());
        var started = DateTime.UtcNow;

        var snapshot = await collection.CollectAsync(
            new Collection.CollectOptions(module.Path, TimeSpan.FromSeconds(2), Offline: true, "test"),
            Collection.CoreCollector.CurrentEnvironment(),
            set.Packs,
            CancellationToken.None);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(6));
        Assert.Contains(snapshot.CollectionIssues, i => i.Source.EndsWith("faulty-never") && i.TimedOut);
        Assert.Contains(snapshot.CollectionIssues, i => i.Source.EndsWith("faulty-throwing") && i.Message.Contains("collector exploded"));
        Assert.Equal("example.com/m", snapshot.Workspace.GoMod?.Module);
    }

    public void Dispose() => temp.Dispose();
}
