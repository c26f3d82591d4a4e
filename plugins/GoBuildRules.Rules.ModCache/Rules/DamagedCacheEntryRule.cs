using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class DamagedCacheEntryRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD005",
        "A required module's cache entry is damaged",
        "cache",
        Severity.Error,
        "For a module this workspace requires, the cached .ziphash disagrees with go.sum, the zip is truncated, or .info / .mod are empty or unparsable.",
        "Every time it loads a module from the cache the go command compares the recorded .ziphash with go.sum's h1: line and stops with 'verifying MODULE: checksum mismatch … SECURITY ERROR' when they differ. A zip cut short (a disk that filled up, a copy of a cache interrupted) is only noticed when the tree has to be extracted again: 'zip: not a valid zip file'. An empty or junk .mod file fails go.sum's /go.mod check; an unparsable .info is fetched again, which fails offline. Either the cache entry is damaged, and deleting that one entry repairs it, or go.sum is wrong (hand-edited, bad merge), and the fresh download will disagree again.")
    {
        HelpMarkdown = "`go mod verify` checks every cached module of this project against go.sum; `cat \"$(go env GOMODCACHE)/cache/download/MODULE/@v/VERSION.ziphash\"` shows the recorded hash.",
        Tags = ["cache", "checksum"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (Facts.Of(snapshot) is not { } facts || Collection.ModCacheCollector.ModCacheFolder(snapshot) is not { } modCache)
        {
            yield break;
        }

        var sums = snapshot.Workspace.GoSum?.Entries ?? [];
        foreach (var e in facts.Required)
        {
            var problems = new List<(Severity Severity, string Text)>();
            var evidence = new List<Evidence> { new("module", $"{e.Module}@{e.Version}"), new("cache entry", e.FilePrefix + ".*") };
            var zipSum = sums.FirstOrDefault(s => s.Path == e.Module && s.Version == e.Version && s.Hash.StartsWith("h1:", StringComparison.Ordinal));
            var modSum = sums.FirstOrDefault(s => s.Path == e.Module && s.Version == e.Version + "/go.mod");
            GoSumEntry? blamed = null;

            // Two go.sum lines for one version, one of them matching, is GBMOD007's conflict, not cache damage.
            var goSumAgrees = sums.Any(s => s.Path == e.Module && s.Version == e.Version && s.Hash == e.Ziphash);
            if (e.ZiphashExists && IsWellFormed(e.Ziphash) && zipSum is not null && !goSumAgrees)
            {
                problems.Add((Severity.Error, $"the cached .ziphash {e.Ziphash} disagrees with go.sum's {zipSum.Hash}: go build stops with 'verifying {e.Module}@{e.Version}: checksum mismatch'"));
                evidence.Add(new Evidence("ziphash", e.Ziphash!));
                evidence.Add(new Evidence("go.sum", $"{zipSum.Hash} (line {zipSum.Line})"));
                blamed = zipSum;
            }
            else if (e.ZiphashExists && !IsWellFormed(e.Ziphash))
            {
                problems.Add((Severity.Note, "the .ziphash is not an h1: hash; go recomputes it from the zip"));
                evidence.Add(new Evidence("ziphash", e.Ziphash ?? ""));
            }

            if (e.ZipExists && e.ZipComplete == false)
            {
                problems.Add(e.ExtractedExists
                    ? (Severity.Warning, $"the zip ({e.ZipBytes} bytes) is truncated: builds work from the extracted tree now, but re-extracting it (after a cleanup, on `go mod verify`) fails with 'zip: not a valid zip file'")
                    : (Severity.Error, $"the zip ({e.ZipBytes} bytes) is truncated and the tree is not extracted: the next build fails with 'unzip …: zip: not a valid zip file'"));
                evidence.Add(new Evidence("zip", $"{e.FilePrefix}.zip ({e.ZipBytes} bytes, no end-of-central-directory record)"));
                evidence.Add(new Evidence("extracted tree", e.ExtractedExists ? e.ExtractedDirectory : "missing"));
            }

            if (e.Mod is MetadataState.Empty or MetadataState.Unparsable)
            {
                problems.Add(modSum is not null
                    ? (Severity.Error, $"the cached .mod is {Word(e.Mod)}: go checks it against go.sum line {modSum.Line} and stops with 'verifying {e.Module}@{e.Version}/go.mod: checksum mismatch'")
                    : (Severity.Warning, $"the cached .mod is {Word(e.Mod)}: go reads it as this version's go.mod and fails to load the module graph"));
                evidence.Add(new Evidence(".mod", $"{e.FilePrefix}.mod ({Word(e.Mod)})"));
            }

            if (e.Info is MetadataState.Empty or MetadataState.Unparsable)
            {
                problems.Add((Severity.Warning, $"the cached .info is {Word(e.Info)}: go fetches it again from GOPROXY, which fails offline or with GOPROXY=off"));
                evidence.Add(new Evidence(".info", $"{e.FilePrefix}.info ({Word(e.Info)})"));
            }

            if (problems.Count == 0)
            {
                continue;
            }

            var fixes = new List<Fix> { EntryFixes.RemoveOne(modCache, e.Module, e.Version) };
            if (blamed is not null)
            {
                fixes.Add(Fix.RunAll("If the fresh download still disagrees, go.sum is what is wrong: drop its lines for this module and record them again",
                    EntryFixes.DropSumLinesAndDownload("go.sum", e.Module, e.Version),
                    "Trusts whatever GOPROXY serves now: with GOSUMDB off nothing checks it, so do this only after finding out why go.sum changed (git log -p go.sum).", Fix.ShellFor(snapshot)));
            }

            fixes.Add(EntryFixes.CleanModCache(modCache));
            yield return Descriptor.Finding($"{e.Module}@{e.Version} in the module cache: {string.Join("; ", problems.Select(p => p.Text))}.", $"{e.Module}@{e.Version}") with
            {
                Severity = problems.Max(p => p.Severity),
                Location = blamed is not null && snapshot.Workspace.GoSum is { } sum ? new Location(sum.File, blamed.Line) : Facts.Requirement(snapshot, e.Module, e.Version),
                Evidence = evidence,
                Fixes = fixes,
            };
        }
    }

    /// <summary>cmd/go's isValidSum: "h1:" and 44 base64 characters; anything else is rehashed, not compared.</summary>
    public static bool IsWellFormed(string? hash) => hash is { Length: 47 } && hash.StartsWith("h1:", StringComparison.Ordinal);

    private static string Word(MetadataState state) => state == MetadataState.Empty ? "empty" : "unparsable";
}
