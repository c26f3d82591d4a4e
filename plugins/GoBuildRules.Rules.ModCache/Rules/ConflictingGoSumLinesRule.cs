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
        "A module version has exactly one content hash. Two different h1: lines for it come from a bad merge or a hand edit; whichever one the download disagrees with makes the go command stop with 'verifying MODULE: checksum mismatch … SECURITY ERROR'. The correct line is the one the checksum database (sum.golang.org) or the cached .ziphash agrees with.")
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

        foreach (var g in sum.Entries.Where(e => e.Hash.StartsWith("h1:", StringComparison.Ordinal)).GroupBy(e => (e.Path, e.Version)))
        {
            var distinct = g.DistinctBy(e => e.Hash).ToList();
            if (distinct.Count < 2)
            {
                continue;
            }

            var (path, version) = g.Key;
            yield return Descriptor.Finding(
                $"go.sum has {distinct.Count} different hashes for {path} {version} (lines {string.Join(", ", distinct.Select(e => e.Line))}): the go command stops with 'checksum mismatch' whichever one the download matches.",
                $"{path} {version}") with
            {
                Location = new Location(sum.File, distinct[1].Line),
                Evidence = distinct.Select(e => new Evidence($"go.sum line {e.Line}", $"{e.Path} {e.Version} {e.Hash}")).ToList(),
                Fixes =
                [
                    Fix.Run("See which hash the module cache holds", "go mod verify", "None; it only reads."),
                    Fix.EditFile(sum.File, $"Keep one line for {path} {version}: the one `go mod verify` or the checksum database agrees with; delete the other(s).",
                        "Remove the conflicting line", "Keeping the wrong line makes every build fail with checksum mismatch; check with GOSUMDB before trusting either."),
                    Fix.Run("Drop both and record the hash again", $"sed -i '\\#^{path} {version}[ /]#d' {sum.File} && go mod download {path}@{version}",
                        "Trusts what GOPROXY serves now; with GOSUMDB=off nothing checks it."),
                ],
            };
        }
    }
}
