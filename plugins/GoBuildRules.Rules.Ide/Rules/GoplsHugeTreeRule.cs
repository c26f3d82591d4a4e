using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class GoplsHugeTreeRule : IRule
{
    /// <summary>From here on gopls' initial load and memory grow noticeably with every extra directory it walks.</summary>
    public const int HugeTree = 20_000;

    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE006",
        "gopls walks a huge tree that its directoryFilters do not trim",
        "ide",
        Severity.Warning,
        "The workspace has tens of thousands of directories and gopls' build.directoryFilters leave the largest non-Go subtrees in.",
        "gopls walks every directory of the workspace (and with build.expandWorkspaceToModule, the default, of the whole module) to find packages and to register file watches. On trees with tens of thousands of directories (node_modules, generated code, data, bazel-out) this makes the first load take minutes, memory climb to gigabytes and 'gopls: loading packages…' never end. build.directoryFilters (default [\"-**/node_modules\"]; setting it replaces the default) trims what gopls walks. The directory count comes from the scan's one bounded repository walk.")
    {
        HelpMarkdown = "Check gopls' load time in the Output panel (gopls (server)); count directories with `find . -type d | wc -l` and per top folder with `du --inodes -d1`.",
        Tags = ["ide", "vscode", "gopls", "performance"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        var repo = snapshot.Repository;
        if (f is null || !(repo.Walked || repo.Truncated))
        {
            yield break;
        }

        var directories = repo.Directories;
        var truncated = repo.Truncated;
        if (directories < HugeTree && !truncated)
        {
            yield break;
        }

        var setting = Settings.Find(f, "gopls", "build.directoryFilters");
        IReadOnlyList<string> filters = setting is null ? ["-**/node_modules"] : Settings.Items(f, "gopls", "build.directoryFilters");
        // Top-level folders, and the node_modules below them apart (web/node_modules).
        var largest = repo.Largest.Concat(repo.NodeModules.Where(n => n.Path.Contains('/')))
            .Select(x => (x.Path, Count: x.Directories)).ToList();
        var threshold = Math.Max(2_000, directories / 10);
        bool IsVendor(string path) => path == "vendor" || path.EndsWith("/vendor", StringComparison.Ordinal);
        // Nested subtrees (web/node_modules) are listed apart; a top-level folder counts without them.
        var nested = largest.Where(x => x.Path.Contains('/') && !IsVendor(x.Path) && x.Count >= threshold && !Excluded(filters, x.Path)).ToList();
        var top = largest.Where(x => !x.Path.Contains('/') && !IsVendor(x.Path) && !Excluded(filters, x.Path))
            .Select(x => (x.Path, Count: x.Count - largest.Where(o => o.Path.StartsWith(x.Path + "/", StringComparison.Ordinal)).Sum(o => o.Count)))
            .Where(x => x.Count >= threshold);
        var uncovered = nested.Concat(top).ToList();
        if (uncovered.Count == 0)
        {
            yield break;
        }

        var expand = Settings.Find(f, "gopls", "build.expandWorkspaceToModule");
        var file = setting?.File.File ?? f.VsCode.FirstOrDefault(v => v.Kind == "settings")?.File ?? ".vscode/settings.json";
        var newFilters = filters.Concat(uncovered.Select(u => "-" + u.Path)).Distinct().Select(x => "\"" + x + "\"");
        var evidence = new List<Evidence>
        {
            new("directories", directories.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + (truncated ? " (lower bound: the walk was cut short)" : "")),
            new("build.directoryFilters", setting is null ? "(unset: -**/node_modules)" : string.Join(", ", filters)),
            new("build.expandWorkspaceToModule", expand?.Value.Text ?? "(unset: true)"),
        };
        evidence.AddRange(uncovered.Select(u => new Evidence($"walked: {u.Path}/", u.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " directories")));

        yield return Descriptor.Finding(
            $"gopls walks {directories:N0}{(truncated ? "+" : "")} directories here, {string.Join(", ", uncovered.Select(u => $"{u.Path}/ ({u.Count:N0})"))} included: expect slow loads and high memory until build.directoryFilters exclude them.",
            "gopls:directoryFilters") with
        {
            Location = setting is { } s ? new Location(s.File.File, s.Value.Line) : expand is { } e ? new Location(e.File.File, e.Value.Line) : Support.Module(snapshot),
            Evidence = evidence,
            Fixes =
            [
                Fix.EditFile(file, $"\"gopls\": {{ \"build.directoryFilters\": [{string.Join(", ", newFilters)}] }}", "Keep gopls out of the large non-Go subtrees",
                    "Go packages inside excluded directories are not analysed: no completion or diagnostics there."),
                Fix.EditFile(file, "\"gopls\": { \"build.expandWorkspaceToModule\": false }", "Or open a sub-folder and let gopls load only it",
                    "References from outside the opened folder are not found; rename and find-references see only part of the module."),
            ],
        };
    }

    /// <summary>Whether a directoryFilters list (last match wins, "-" excludes, "+" includes, **/ matches any depth) excludes a path.</summary>
    private static bool Excluded(IReadOnlyList<string> filters, string path)
    {
        var excluded = false;
        foreach (var filter in filters)
        {
            if (filter.Length < 2 || filter[0] is not ('-' or '+')) continue;
            var pattern = filter[1..].TrimStart('/').TrimEnd('/');
            var matches = pattern.StartsWith("**/", StringComparison.Ordinal)
                ? path == pattern[3..] || path.EndsWith("/" + pattern[3..], StringComparison.Ordinal) || path.Contains("/" + pattern[3..] + "/", StringComparison.Ordinal)
                : path == pattern || path.StartsWith(pattern + "/", StringComparison.Ordinal);
            if (matches) excluded = filter[0] == '-';
        }

        return excluded;
    }
}
