using System.Globalization;
using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed partial class CiCacheRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBENV004",
        "The CI does not keep the Go module and build caches between runs",
        "ci",
        Severity.Warning,
        "A CI workflow builds Go without caching GOMODCACHE / GOCACHE, so every run downloads all modules and compiles from scratch.",
        "Hosted CI runners start empty. Unless the workflow restores the module cache and the build cache, every job downloads every module through GOPROXY (minutes, and a failure whenever the proxy stalls) and recompiles every package. actions/setup-go caches both, keyed on go.sum, since v4 unless `cache: false` is given (v3 and older only with `cache: true`); actions/cache does it when its key hashes go.sum. GitLab CI caches only paths inside the project, so GOPATH / GOMODCACHE and GOCACHE must be pointed there and listed under `cache: paths:`.")
    {
        HelpMarkdown = "Look at the job log: a 'Cache restored' / 'Restoring cache' line, or `go: downloading` lines on every run.",
        Tags = ["ci", "cache", "github-actions", "gitlab-ci"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = CloudEnvPack.Facts(snapshot);
        foreach (var wf in facts?.Workflows ?? [])
        {
            var finding = wf.Kind == WorkflowKind.GitHubActions ? GitHub(wf, GoSumFromRepositoryRoot(snapshot)) : GitLab(wf);
            if (finding is not null)
            {
                yield return finding;
            }
        }
    }

    /// <summary>The module's go.sum as a path from the repository root, for setup-go's cache-dependency-path.</summary>
    private static string GoSumFromRepositoryRoot(Snapshot snapshot)
    {
        var top = snapshot.Workspace.GitTopLevel;
        var root = snapshot.Workspace.Root;
        if (top is null || root.Length == 0)
        {
            return "go.sum";
        }

        var relative = Path.GetRelativePath(top, root).Replace('\\', '/');
        return relative is "." || relative.StartsWith("..", StringComparison.Ordinal) ? "go.sum" : relative + "/go.sum";
    }

    private Finding? GitHub(WorkflowFile wf, string goSumPath)
    {
        var setupGo = wf.Steps.Where(s => s.Action == "actions/setup-go").ToList();
        if (setupGo.Count == 0 && wf.GoCommandLines.Count == 0)
        {
            return null;
        }

        // setup-go looks for go.sum at the repository root unless cache-dependency-path says otherwise;
        // without one it warns 'Dependencies file is not found' and caches nothing.
        var noDependencyFile = wf.RepositoryRootHasGoSum == false;
        var cachedBySetupGo = setupGo.Any(s => SetupGoCaches(s) != false && (!noDependencyFile || s.Input("cache-dependency-path") is not null));
        var cacheStep = wf.Steps.FirstOrDefault(s => s.Action is "actions/cache" or "actions/cache/restore" && CachesGo(s));
        if (cachedBySetupGo || cacheStep is not null)
        {
            return null;
        }

        var off = setupGo.FirstOrDefault(s => s.Input("cache") is { } c && IsFalse(c.Value));
        var missingGoSum = off is null && noDependencyFile ? setupGo.FirstOrDefault(s => SetupGoCaches(s) != false) : null;
        var anchor = off?.Input("cache")?.Line ?? missingGoSum?.Line ?? setupGo.FirstOrDefault()?.Line ?? wf.GoCommandLines.FirstOrDefault();
        var evidence = new List<Evidence> { new("workflow", wf.File) };
        foreach (var s in setupGo)
        {
            evidence.Add(new Evidence($"actions/setup-go@{s.Ref} (line {s.Line})", s.Input("cache") is { } c ? $"cache: {c.Value}" : "no cache input"));
        }

        evidence.Add(new Evidence("actions/cache keyed on go.sum", "none"));
        var why = off is not null
            ? $"actions/setup-go@{off.Ref} is told `cache: false`"
            : missingGoSum is not null
                ? $"actions/setup-go@{missingGoSum.Ref} keys its cache on go.sum at the repository root, where there is none, and no cache-dependency-path names the module's go.sum ('Dependencies file is not found')"
            : setupGo.Count > 0
                ? $"actions/setup-go@{setupGo[0].Ref} predates v4 and caches only with `cache: true`"
                : "Go is installed without actions/setup-go";
        return Descriptor.Finding(
            $"{wf.File} runs Go but keeps no module or build cache between runs: {why}, and no actions/cache step is keyed on go.sum. Every run downloads all modules and recompiles everything.",
            wf.File) with
        {
            Location = new Location(wf.File, anchor > 0 ? anchor : null),
            Evidence = evidence,
            Fixes =
            [
                Fix.EditFile(wf.File,
                    $"- uses: actions/setup-go@v5\n  with:\n    go-version-file: {goSumPath[..^"go.sum".Length]}go.mod\n    cache: true\n    cache-dependency-path: {goSumPath}",
                    "Let actions/setup-go restore and save GOMODCACHE and GOCACHE, keyed on go.sum",
                    "The cache counts against the repository's 10 GB Actions cache quota; a stale build cache is harmless (Go checks every entry)."),
                Fix.EditFile(wf.File,
                    "- uses: actions/cache@v4\n  with:\n    path: |\n      ~/.cache/go-build\n      ~/go/pkg/mod\n    key: ${{ runner.os }}-go-${{ hashFiles('**/go.sum') }}\n    restore-keys: ${{ runner.os }}-go-",
                    "Or cache the two folders yourself with actions/cache",
                    "Paths must match `go env GOCACHE GOMODCACHE` on the runner (they differ on Windows and macOS runners); same quota as above."),
            ],
        };
    }

    /// <summary>Whether a setup-go step caches: null when it cannot be told (a pinned sha, an expression).</summary>
    internal static bool? SetupGoCaches(ActionStep step)
    {
        if (step.Input("cache") is { } c)
        {
            return IsFalse(c.Value) ? false : c.Value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase) ? true : null;
        }

        var m = MajorVersion().Match(step.Ref);
        return m.Success ? int.Parse(m.Groups["major"].Value, CultureInfo.InvariantCulture) >= 4 : null;
    }

    private static bool IsFalse(string value) => value.Trim().Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool CachesGo(ActionStep step)
    {
        var key = step.Input("key")?.Value ?? "";
        var path = step.Input("path")?.Value ?? "";
        return key.Contains("go.sum", StringComparison.Ordinal) || GoCachePath().IsMatch(path);
    }

    private Finding? GitLab(WorkflowFile wf)
    {
        if (wf.GoCommandLines.Count == 0)
        {
            return null;
        }

        var paths = wf.GitLabCaches.SelectMany(c => c.Paths).ToList();
        var modValues = wf.Variables.Where(v => v.Name is "GOMODCACHE" or "GOPATH").Select(v => v.Value).ToList();
        var buildValues = wf.Variables.Where(v => v.Name == "GOCACHE").Select(v => v.Value).ToList();
        var modCached = paths.Any(p => p.Value.Contains("pkg/mod", StringComparison.Ordinal) || p.Value.Contains("GOMODCACHE", StringComparison.Ordinal)
                                       || p.Value.Contains("GOPATH", StringComparison.Ordinal) || modValues.Any(v => Covers(p.Value, v)));
        var buildCached = paths.Any(p => p.Value.Contains("go-build", StringComparison.Ordinal) || p.Value.Contains("GOCACHE", StringComparison.Ordinal)
                                         || buildValues.Any(v => Covers(p.Value, v)));
        if (modCached && buildCached)
        {
            return null;
        }

        var missing = new List<string>();
        if (!modCached) missing.Add("the module cache (GOMODCACHE)");
        if (!buildCached) missing.Add("the build cache (GOCACHE)");
        var anchor = paths.FirstOrDefault()?.Line ?? wf.GitLabCaches.FirstOrDefault()?.Line ?? wf.GoCommandLines[0];
        var evidence = new List<Evidence> { new("file", wf.File), new("cache paths", paths.Count == 0 ? "none" : string.Join(", ", paths.Select(p => p.Value))) };
        evidence.AddRange(wf.Variables.Where(v => v.Name is "GOPATH" or "GOMODCACHE" or "GOCACHE").Select(v => new Evidence($"{v.Name} (line {v.Line})", v.Value)));
        return Descriptor.Finding(
            $"{wf.File} runs Go but does not cache {string.Join(" or ", missing)}: each job {(modCached ? "recompiles every package" : "downloads every module again")}.",
            wf.File) with
        {
            Severity = modCached ? Severity.Note : Descriptor.DefaultSeverity,
            Location = new Location(wf.File, anchor),
            Evidence = evidence,
            Fixes =
            [
                Fix.EditFile(wf.File,
                    "variables:\n  GOPATH: $CI_PROJECT_DIR/.go\n  GOCACHE: $CI_PROJECT_DIR/.go-build\ncache:\n  key:\n    files: [go.sum]\n  paths:\n    - .go/pkg/mod/\n    - .go-build/",
                    "Keep both caches inside the project and cache them, keyed on go.sum",
                    "Cache upload and download take time on every job; large build caches may be slower to transfer than to rebuild on fast runners. Add .go/ and .go-build/ to .gitignore."),
            ],
        };
    }

    // A cache path covers a variable's folder when the folder, relative to the project, is at or below it.
    private static bool Covers(string cachePath, string variableValue)
    {
        static string Norm(string p) => p.Replace("${CI_PROJECT_DIR}", "", StringComparison.Ordinal).Replace("$CI_PROJECT_DIR", "", StringComparison.Ordinal)
            .Trim().TrimStart('.', '/').TrimEnd('/');
        var c = Norm(cachePath);
        var v = Norm(variableValue);
        return c.Length > 0 && (v == c || v.StartsWith(c + "/", StringComparison.Ordinal) || c.StartsWith(v + "/", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^v(?<major>\d+)")]
    private static partial Regex MajorVersion();

    [GeneratedRegex(@"go-build|pkg/mod|GOCACHE|GOMODCACHE|\.cache/go")]
    private static partial Regex GoCachePath();
}
