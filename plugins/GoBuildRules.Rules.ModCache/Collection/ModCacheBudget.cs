namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>
/// Bounds of the collector. A module cache can hold millions of files; the walk stops at whichever
/// budget runs out first and says so in its facts.
/// </summary>
/// <param name="EntryBudget">Files and folders the download-metadata walk may visit.</param>
/// <param name="WalkTime">Wall time the walk may take.</param>
/// <param name="MaxLeftovers">Leftovers kept in the facts; more are only counted.</param>
/// <param name="MaxRequired">Required module versions whose cache entries are inspected.</param>
/// <param name="ProbeTime">Wall time one folder's probe (stat, access, statfs) may take before its mount is called hung.</param>
public sealed record ModCacheBudget(int EntryBudget, TimeSpan WalkTime, int MaxLeftovers, int MaxRequired, TimeSpan ProbeTime)
{
    public static ModCacheBudget Default { get; } = new(1_000_000, TimeSpan.FromSeconds(2), 200, 5_000, TimeSpan.FromSeconds(1));
}
