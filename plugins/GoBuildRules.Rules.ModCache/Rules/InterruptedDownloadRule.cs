using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class InterruptedDownloadRule : IRule
{
    /// <summary>Beyond this many damaged module versions the cache as a whole is suspect: one summary finding.</summary>
    public const int PerVersionLimit = 25;

    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD004",
        "Leftovers of interrupted downloads in the module cache",
        "cache",
        Severity.Note,
        "GOMODCACHE/cache/download holds .partial, .tmp files, zips without their .ziphash, or empty .info/.mod files.",
        "These are what a killed, crashed or out-of-space `go mod download` or `go build` leaves behind: a .partial marks a zip whose extraction was interrupted, a .tmp a download or cache write that never got renamed into place, a zip without a .ziphash a download whose hash was never recorded. The go command repairs most of them itself the next time it needs the module (it re-extracts, re-downloads or rehashes), which costs time and needs the network; an empty .mod file instead makes go.sum verification fail. Many of them at once point to a cache damaged by a full disk or by builds killed in CI. A lone VER.lock is not one of them: go creates it before every zip download and never deletes it.")
    {
        HelpMarkdown = "List them: `find \"$(go env GOMODCACHE)/cache/download\" \\( -name '*.partial' -o -name '*.tmp' -o -empty \\) -print`.",
        Tags = ["cache", "download"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (Facts.Of(snapshot) is not { Download: { } download } facts)
        {
            yield break;
        }

        var modCache = Collection.ModCacheCollector.ModCacheFolder(snapshot) ?? Path.GetDirectoryName(Path.GetDirectoryName(download.Root))!;
        // Damaged .info/.mod of required modules are GBMOD005's; do not report them twice.
        var inspected = facts.Required.Select(r => (r.Module, r.Version)).ToHashSet();
        // A lone VER.lock is no leftover: cmd/go (lockedfile.MutexAt) creates it before every zip download
        // and never deletes it, so every failed lookup (a 404, GOPROXY=off, the scan's own offline go list)
        // leaves one; go 1.19 was seen to. A held one is GBMOD016's.
        var leftovers = download.Leftovers
            .Where(l => l.Kind != LeftoverKind.OrphanedLock)
            .Where(l => !(l.Kind is LeftoverKind.EmptyInfo or LeftoverKind.EmptyMod && inspected.Contains((l.Module, l.Version))))
            .ToList();
        var groups = leftovers.GroupBy(l => (l.Module, l.Version)).ToList();
        if (groups.Count == 0)
        {
            yield break;
        }

        if (groups.Count > PerVersionLimit)
        {
            var total = leftovers.Count + download.LeftoversOmitted;
            yield return Descriptor.Finding(
                $"The module cache holds {total} leftovers of interrupted downloads across {groups.Count}{(download.LeftoversOmitted > 0 ? "+" : "")} module versions: the cache was damaged wholesale (a full disk, killed CI builds).",
                "module cache") with
            {
                Severity = Severity.Warning,
                Location = Facts.ModuleLine(snapshot),
                Evidence =
                [
                    new Evidence("GOMODCACHE", modCache),
                    .. leftovers.GroupBy(l => l.Kind).Select(g => new Evidence(g.Key.ToString(), g.Count().ToString(System.Globalization.CultureInfo.InvariantCulture))),
                    new Evidence("examples", string.Join(", ", leftovers.Take(5).Select(l => l.File))),
                ],
                Fixes =
                [
                    Fix.Run("Make sure no go command is running, then check every cached module against go.sum", "go mod verify",
                        "None; it only reads (and reports the damaged modules of this project)."),
                    EntryFixes.CleanModCache(modCache),
                ],
            };
            yield break;
        }

        foreach (var g in groups)
        {
            var (module, version) = g.Key;
            var kinds = g.Select(l => l.Kind).Distinct().ToList();
            var emptyMod = kinds.Contains(LeftoverKind.EmptyMod);
            var what = string.Join("; ", kinds.Select(k => Describe(k)));
            var fixes = new List<Fix>
            {
                Fix.Run($"Let go repair {module}@{version} now", ["go", "mod", "download", $"{module}@{version}"],
                    "None beyond one download or extraction; needs the proxy to be reachable for re-downloads.", Fix.ShellFor(snapshot)),
                EntryFixes.RemoveOne(modCache, module, version),
            };
            yield return Descriptor.Finding(
                $"{module}@{version}: {what}.",
                $"{module}@{version}") with
            {
                Severity = emptyMod ? Severity.Warning : Severity.Note,
                Location = Facts.Requirement(snapshot, module, version),
                Evidence =
                [
                    new Evidence("module", $"{module}@{version}"),
                    .. g.Select(l => new Evidence(l.Kind.ToString(), Path.Combine(modCache, l.File))),
                ],
                Fixes = fixes,
            };
        }
    }

    private static string Describe(LeftoverKind kind) => kind switch
    {
        LeftoverKind.Partial => "a .partial marker says extracting its zip was interrupted; go deletes and re-extracts the tree the next time it needs it",
        LeftoverKind.TempFile => "a .tmp file is a download or cache write that never finished; go removes it on the next download of this version",
        LeftoverKind.ZipWithoutHash => "the .zip has no .ziphash, so go cannot trust it and downloads it again when needed",
        LeftoverKind.EmptyInfo => "the .info file is empty; go fetches it again from the proxy (fails offline)",
        LeftoverKind.EmptyMod => "the .mod file is empty; go treats it as this version's go.mod and fails verifying it against go.sum",
        _ => kind.ToString(),
    };
}
