using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class ReplacementMissingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO005",
        "A replace directive points at a folder that does not exist",
        "workspace",
        Severity.Error,
        "go.mod (or go.work) replaces a module with a local folder that is not there, so packages of that module cannot load.",
        "A `replace example.com/lib => ../lib-fork` makes go read the module from that folder, relative to the module root, and nowhere else: no proxy, no cache. When the folder is missing (a fork not cloned on this machine, a path from a colleague's layout), every package that imports the module fails with `replacement directory … does not exist`.")
    {
        HelpMarkdown = "Clone or create the folder the replace names, or drop the replace with `go mod edit -dropreplace=MODULE` to use the required version.",
        Tags = ["workspace", "go.mod", "replace", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var e in snapshot.GoOracle.Errors)
        {
            var m = GoErrors.MissingReplacement(e);
            if (!m.Success)
            {
                continue;
            }

            var dir = m.Groups["dir"].Value;
            var mod = snapshot.Workspace.GoMod;
            var replace = mod?.Replaces.FirstOrDefault(r => r.NewPath == dir);
            var oldPath = replace?.OldPath ?? snapshot.GoOracle.GoMod?.Replaces.FirstOrDefault(r => r.NewPath == dir)?.OldPath;
            var location = replace is not null && mod is not null ? new Location(mod.File, replace.Line) : GoErrors.Where(snapshot, e);
            var fixes = new List<Fix>
            {
                Fix.Run($"Clone the fork into {dir} (relative to the module root; put its URL for FORK-URL)",
                    $"git clone FORK-URL {Fix.ShellQuote(Path.GetFullPath(Path.Combine(snapshot.Workspace.Root, dir)))}",
                    "Builds then use that folder's code instead of the required version."),
            };
            if (oldPath is not null)
            {
                fixes.Add(Fix.Run($"Drop the replace and build {oldPath} at its required version", $"go mod edit -dropreplace={oldPath}",
                    "Rewrites go.mod; the fork's changes are no longer built, and the required version must be downloadable."));
            }

            yield return Descriptor.Finding(
                $"{e.Message}: go.mod replaces {oldPath ?? "a module"} with the folder {dir}, which does not exist, so the packages that import it cannot build.",
                $"replace:{oldPath ?? dir}") with
            {
                Location = location,
                Evidence = [.. GoErrors.Outcome(snapshot, e), new Evidence("replacement folder", dir)],
                Fixes = fixes,
            };
        }
    }
}
