using System.Reflection;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;

namespace GoBuildRules.AllPacks.Tests;

/// <summary>Every fixture of every pack, replayed through all first-party packs: no cause is reported by two rules.</summary>
public sealed class OneOwnerPerCauseTests
{
    // Every pack this project references (its csproj lists each plugins/ project).
    private static readonly IRulePack[] Packs = Directory.GetFiles(AppContext.BaseDirectory, "GoBuildRules.Rules.*.dll")
        .Select(f => Assembly.Load(AssemblyName.GetAssemblyName(f)))
        .SelectMany(a => a.GetExportedTypes())
        .Where(t => typeof(IRulePack).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (IRulePack)Activator.CreateInstance(t)!)
        .ToArray();

    [Fact]
    public void Every_first_party_pack_takes_part()
    {
        var plugins = Directory.GetDirectories(Path.Combine(RepoPaths.Root(), "plugins"))
            .Where(d => File.Exists(Path.Combine(d, Path.GetFileName(d) + ".csproj")))
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal);
        Assert.Equal(plugins, Packs.Select(p => p.Info.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_replay_holds_the_fixtures_of_every_rule()
    {
        var folders = AllPacksReplay.AllFixtures().Select(f => Path.GetFileName(Path.GetDirectoryName(f))).ToHashSet(StringComparer.Ordinal);
        var missing = Packs.SelectMany(RuleReplay.RulesOf).Select(r => r.Descriptor.Id).Where(id => !folders.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "rules whose fixtures the all-packs replay does not see: " + string.Join(", ", missing));
    }

    [Fact]
    public void No_two_rules_report_one_subject_on_any_fixture()
    {
        var fixtures = AllPacksReplay.AllFixtures();
        Assert.True(fixtures.Count > 100, $"the replay found only {fixtures.Count} fixtures: too few to mean anything");
        var shared = fixtures.SelectMany(f => AllPacksReplay.SharedCauses(Packs, f)).ToList();
        Assert.True(shared.Count == 0, string.Join("\n", shared));
    }
}
