using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class ConflictingGoSumLinesRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD007",
        "go.sum has conflicting lines for one module version",
        "go.sum",
        Severity.Error,
        "go.sum lists two different h1: hashes for the same module version (or the same go.mod).",
        "A module version has exactly one content hash. Two different h1: lines for it come from a bad merge or a hand edit. The go command compares the download with the first of them: when the first is the wrong one every build stops with 'verifying MODULE: checksum mismatch … SECURITY ERROR'; when the right one comes first builds work until the lines are reordered (a merge, a sort, another tool rewriting go.sum). The correct line is the one the checksum database (sum.golang.org) or the cached .ziphash agrees with.")
    {
        HelpMarkdown = "`grep 'MODULE VERSION' go.sum` shows both lines; `go mod verify` and `cat \"$(go env GOMODCACHE)/cache/download/MODULE/@v/VERSION.ziphash\"` show which one the cache holds.",
        Tags = ["go.sum", "checksum"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Workspace.GoSum is not { } sum)
        {
            yield break;
        }

        var cached = Facts.Of(snapshot)?.Required ?? [];

        foreach (var g in sum.Entries.Where(e => e.Hash.StartsWith("h1:", StringComparison.Ordinal)).GroupBy(e => (e.Path, e.Version)))
        {
            var distinct = g.DistinctBy(e => e.Hash).ToList();
            if (distinct.Count < 2)
            {
                continue;
            }

            var (path, version) = g.Key;
            var ordered = distinct.OrderBy(e => e.Line).ToList();
            var ziphash = cached.FirstOrDefault(c => c.Module == path && c.Version == version && DamagedCacheEntryRule.IsWellFormed(c.Ziphash))?.Ziphash;
            var right = ziphash is null ? null : ordered.FirstOrDefault(e => e.Hash == ziphash);
            var firstIsWrong = right is not null && right != ordered[0];
            var wrong = right is null ? ordered[1] : firstIsWrong ? ordered[0] : ordered.First(e => e != right);
            var verdict = right is null
                ? "the go command compares the download with the first line only, so builds fail with 'checksum mismatch' if that one is wrong or the lines get reordered"
                : firstIsWrong
                    ? $"the first line (line {ordered[0].Line}) disagrees with the cached download ({ziphash}), so every build stops with 'checksum mismatch'"
                    : $"the first line matches the cached download, so builds work for now; line {wrong.Line} is wrong and breaks builds as soon as the lines are reordered";
            var evidence = ordered.Select(e => new Evidence($"go.sum line {e.Line}", $"{e.Path} {e.Version} {e.Hash}")).ToList();
            if (ziphash is not null) evidence.Add(new Evidence("cached .ziphash", ziphash));
            yield return Descriptor.Finding(
                $"go.sum has {distinct.Count} different hashes for {path} {version} (lines {string.Join(", ", ordered.Select(e => e.Line))}): {verdict}.",
                $"{path} {version}") with
            {
                Severity = right is not null && !firstIsWrong ? Severity.Warning : Severity.Error,
                Location = new Location(sum.File, wrong.Line),
                Evidence = evidence,
                Fixes =
                [
                    Fix.Run("See which hash the module cache holds", "go mod verify", "None; it only reads."),
                    Fix.EditFile(sum.File, right is null
                            ? $"Keep one line for {path} {version}: the one `go mod verify` or the checksum database agrees with; delete the other(s)."
                            : $"Delete line {wrong.Line} ({wrong.Hash}); keep line {right.Line}, which matches the cached download.",
                        "Remove the conflicting line", "Keeping the wrong line makes every build fail with checksum mismatch; check with GOSUMDB before trusting either."),
                    Fix.RunAll("Drop both and record the hash again", EntryFixes.DropSumLinesAndDownload(sum.File, path, version),
                        "Trusts what GOPROXY serves now; with GOSUMDB=off nothing checks it.", Fix.ShellFor(snapshot)),
                ],
            };
        }
    }
}
