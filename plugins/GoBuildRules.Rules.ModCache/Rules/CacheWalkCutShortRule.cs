using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class CacheWalkCutShortRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD014",
        "The module-cache scan is incomplete",
        "collection",
        Severity.Note,
        "The walk of GOMODCACHE/cache/download stopped at its time or entry budget, or part of the cache facts could not be collected, so GBMOD004 may not list every leftover.",
        "The scan reads only the module cache's download metadata (never the extracted module trees) and stops when its time or entry budget runs out, so that a cache of millions of files cannot make the scan itself hang. When it stops early, the leftovers it reports are the ones found so far; the others are unknown, not absent.")
    {
        HelpMarkdown = "Search the whole cache yourself: `find \"$(go env GOMODCACHE)/cache/download\" \\( -name '*.partial' -o -name '*.tmp' \\) -print`.",
        Tags = ["collection"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (Facts.Of(snapshot) is not { } facts)
        {
            yield break;
        }

        if (facts.Download is { Truncated: true } d)
        {
            yield return Descriptor.Finding(
                $"The walk of {d.Root} stopped after {d.FilesSeen.ToString("N0", CultureInfo.InvariantCulture)} files and {d.DirectoriesSeen.ToString("N0", CultureInfo.InvariantCulture)} folders in {d.ElapsedMilliseconds} ms{Busy(d)} because {d.TruncatedReason}: leftovers beyond that point are not reported.",
                "cache/download walk") with
            {
                Location = Facts.ModuleLine(snapshot),
                Evidence =
                [
                    new Evidence("walked", d.Root),
                    new Evidence("files seen", d.FilesSeen.ToString(CultureInfo.InvariantCulture)),
                    new Evidence("folders seen", d.DirectoriesSeen.ToString(CultureInfo.InvariantCulture)),
                    new Evidence("elapsed", $"{d.ElapsedMilliseconds} ms"),
                    .. d.CpuMilliseconds is { } cpu ? [new Evidence("on CPU", $"{cpu} ms")] : Array.Empty<Evidence>(),
                    .. d.RunQueueMilliseconds is { } wait ? [new Evidence("waiting for a CPU", $"{wait} ms")] : Array.Empty<Evidence>(),
                    new Evidence("budget", $"{d.EntryBudget.ToString(CultureInfo.InvariantCulture)} entries, {d.TimeBudgetMilliseconds} ms"),
                    new Evidence("stopped because", d.TruncatedReason ?? ""),
                ],
                Fixes =
                [
                    Fix.Run("Search the whole download cache for leftovers", $"find {Fix.ShellQuote(d.Root)} \\( -name '*.partial' -o -name '*.tmp' \\) -print",
                        "None; reads only, but may take minutes on a cache this large."),
                    Fix.Run("Check this project's modules against go.sum", "go mod verify", "None; reads only."),
                ],
            };
        }

        foreach (var problem in facts.Problems)
        {
            // The subject names what is missing, not the sentence: that carries paths and times that differ per run.
            yield return Descriptor.Finding($"Part of the cache facts is missing: {problem.Message}.", $"cache facts:{problem.About}") with
            {
                Location = Facts.ModuleLine(snapshot),
                Evidence = [new Evidence("problem", problem.Message)],
                Fixes = [Fix.Run("Collect again with more time", "gobuildrules scan --timeout 30", "None; the scan only takes longer.")],
            };
        }
    }

    // A walk that spent most of its time queued for a CPU was cut short by a busy machine, not by the cache's size.
    private static string Busy(DownloadCacheScan d) =>
        d.RunQueueMilliseconds is { } wait && d.CpuMilliseconds is { } cpu && wait > cpu
            ? $" ({cpu} ms of it on a CPU, {wait} ms waiting for one: the machine was busy)"
            : "";
}
