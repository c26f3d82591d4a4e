using GoBuildRules.Sdk;

namespace GoBuildRules.Testing;

/// <summary>
/// One owner per cause: replays snapshots through the rules of every pack at once and reports where
/// two different rules speak about one subject (the cause a finding is about), which means two packs
/// report the same thing.
/// </summary>
public static class AllPacksReplay
{
    /// <summary>Every fixture under tests/*/fixtures/{RULEID}/ of the repository.</summary>
    public static IReadOnlyList<string> AllFixtures() =>
        Directory.GetDirectories(Path.Combine(RepoPaths.Root(), "tests"))
            .Select(t => Path.Combine(t, "fixtures"))
            .Where(Directory.Exists)
            .SelectMany(f => Directory.GetFiles(f, "*.json", SearchOption.AllDirectories))
            .Where(PackFixtures.IsFixture)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Descriptions of the subjects on which two or more rules fired for this snapshot; empty when every cause has one owner.</summary>
    public static IReadOnlyList<string> SharedCauses(IEnumerable<IRulePack> packs, string fixtureFile)
    {
        var snapshot = Snapshot.FromJson(File.ReadAllText(fixtureFile));
        var findings = packs.SelectMany(RuleReplay.RulesOf).SelectMany(rule => RuleReplay.Run(rule, snapshot)).ToList();
        return findings
            .GroupBy(f => f.Subject, StringComparer.Ordinal)
            .Where(g => g.Select(f => f.RuleId).Distinct().Count() > 1)
            .Select(g => $"{Path.GetRelativePath(RepoPaths.Root(), fixtureFile)}: {string.Join(" and ", g.Select(f => f.RuleId).Distinct())} both report subject '{g.Key}'")
            .ToList();
    }
}
