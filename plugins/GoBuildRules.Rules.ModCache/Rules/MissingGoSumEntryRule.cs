using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class MissingGoSumEntryRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD006",
        "go.sum lacks entries for required modules",
        "go.sum",
        Severity.Error,
        "A module required in go.mod has no go.sum line for its go.mod hash, or (for a direct requirement) for its zip hash.",
        "Since Go 1.16 builds do not add go.sum lines by themselves: a module version whose hash is not in go.sum stops the build with 'missing go.sum entry for module providing package …' or 'missing go.sum entry for go.mod file'. It happens after editing go.mod by hand, after a merge that took go.mod from one side and go.sum from the other, or when go.sum is not committed. Every module in go.mod needs its VERSION/go.mod line (the module graph is built from them); the modules whose packages are built also need the zip line. Replacements by a local folder need none.")
    {
        HelpMarkdown = "`go mod verify` and `go build ./...` name the missing entry; `git diff go.mod go.sum` shows whether they were changed apart.",
        Tags = ["go.sum", "checksum"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var mod = snapshot.Workspace.GoMod;
        // Vendor mode builds from vendor/ and never reads go.sum; -mod=mod lets the build add the
        // missing lines itself (after checking them against the checksum database), so nothing stops.
        if (mod is null || mod.Requires.Count == 0 || BuildMode.Vendor(snapshot) || Facts.ModFlag(snapshot) == "mod")
        {
            yield break;
        }

        var sum = snapshot.Workspace.GoSum;
        var have = (sum?.Entries ?? []).Select(e => (e.Path, e.Version)).ToHashSet();
        foreach (var r in mod.Requires)
        {
            var replacement = mod.Replaces.FirstOrDefault(x => x.OldPath == r.Path && (x.OldVersion is null || x.OldVersion == r.Version));
            if (replacement is not null && replacement.NewVersion is null)
            {
                continue;
            }

            var (path, version) = replacement is null ? (r.Path, r.Version) : (replacement.NewPath, replacement.NewVersion!);
            var missing = new List<string>();
            if (!have.Contains((path, version + "/go.mod")))
            {
                missing.Add($"{path} {version}/go.mod");
            }

            if (!r.Indirect && !have.Contains((path, version)))
            {
                missing.Add($"{path} {version}");
            }

            if (missing.Count == 0)
            {
                continue;
            }

            var error = missing[0].EndsWith("/go.mod", StringComparison.Ordinal)
                ? $"missing go.sum entry for go.mod file"
                : $"missing go.sum entry for module providing package";
            yield return Descriptor.Finding(
                $"go.sum has no {string.Join(" and no ", missing.Select(m => $"'{m}' line"))}: builds stop with '{error}' for {path}.",
                $"{path}@{version}") with
            {
                Location = new Location(mod.File, r.Line),
                Evidence =
                [
                    new Evidence("required", $"{r.Path} {r.Version}{(r.Indirect ? " // indirect" : "")} (go.mod line {r.Line})"),
                    .. replacement is null ? Array.Empty<Evidence>() : [new Evidence("replaced by", $"{path} {version}")],
                    new Evidence("go.sum", sum is null ? "missing" : $"{sum.Entries.Count} lines, none for {path} {version}"),
                    new Evidence("missing lines", string.Join(", ", missing)),
                ],
                Fixes =
                [
                    Fix.Run($"Record the hashes of {path}@{version} in go.sum", ["go", "mod", "download", $"{path}@{version}"],
                        "Downloads the module if needed and trusts GOPROXY/GOSUMDB for the hash (with GOSUMDB=off nothing checks it).", Fix.ShellFor(snapshot))
                        .Automatic(SumFile(snapshot)),
                    Fix.Run("Let go bring go.mod and go.sum in line", ["go", "mod", "tidy"],
                        "Also adds and removes requirements and may raise versions in go.mod; review the diff before committing.")
                        .Automatic(mod.File, SumFile(snapshot)),
                ],
            };
        }
    }

    private static string SumFile(Snapshot snapshot) => snapshot.Workspace.GoSum?.File ?? "go.sum";
}
