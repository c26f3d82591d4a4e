using GoBuildRules.Core.Workspace;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>
/// The one discovery of the CI provider and the repository's CI files (<see cref="CiSystem"/>). The
/// provider comes from the markers each one documents; the files from the places each provider reads
/// them, at the module root or else at the repository's top.
/// </summary>
public static class CiDiscovery
{
    /// <summary>Bounds the workflow folder listing: a repository with more is unusual and the rest is skipped.</summary>
    private const int MaxWorkflowFiles = 64;

    /// <summary>Single CI files by provider, where each provider documents them.</summary>
    private static readonly (string Path, string Provider)[] SingleFiles =
    [
        (".gitlab-ci.yml", "gitlab-ci"),
        ("azure-pipelines.yml", "azure-pipelines"),
        (".circleci/config.yml", "circleci"),
        ("bitbucket-pipelines.yml", "bitbucket-pipelines"),
        ("Jenkinsfile", "jenkins"),
        (".drone.yml", "drone"),
        (".woodpecker.yml", "woodpecker"),
        ("cloudbuild.yaml", "google-cloud-build"),
        ("buildspec.yml", "aws-codebuild"),
        (".buildkite/pipeline.yml", "buildkite"),
        (".travis.yml", "travis-ci"),
    ];

    /// <param name="environment">The scanned process's variables as the snapshot holds them (filtered, redacted).</param>
    /// <param name="workspaceRoot">The module root.</param>
    /// <param name="gitTopLevel">The checkout's top (<see cref="WorkspaceFacts.GitTopLevel"/>), or null.</param>
    public static CiSystem Read(IReadOnlyDictionary<string, string> environment, string workspaceRoot, string? gitTopLevel)
    {
        var markers = CiDetector.MarkerPaths.Where(Directory.Exists).ToHashSet(StringComparer.Ordinal);
        var provider = CiDetector.Detect(environment, markers);
        foreach (var baseDir in new[] { workspaceRoot, gitTopLevel }.OfType<string>().Distinct())
        {
            var files = FilesIn(baseDir).Select(f => new CiConfigFile(WorkspaceReader.Relative(workspaceRoot, Path.Combine(baseDir, f.Path), gitTopLevel), f.Provider)).ToList();
            if (files.Count > 0)
            {
                return new CiSystem { Provider = provider, ConfigFiles = files, ConfigFolder = WorkspaceReader.Relative(workspaceRoot, baseDir, gitTopLevel) };
            }
        }

        return new CiSystem { Provider = provider };
    }

    private static IEnumerable<(string Path, string Provider)> FilesIn(string dir)
    {
        var found = new List<(string, string)>();
        try
        {
            var workflows = Path.Combine(dir, ".github", "workflows");
            if (Directory.Exists(workflows))
            {
                found.AddRange(Directory.EnumerateFiles(workflows)
                    .Select(Path.GetFileName)
                    .OfType<string>()
                    .Where(n => n.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || n.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .Take(MaxWorkflowFiles)
                    .Select(n => (".github/workflows/" + n, "github-actions")));
            }

            found.AddRange(SingleFiles.Where(f => File.Exists(Path.Combine(dir, f.Path))));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder leaves CI files unknown, not wrong.
        }

        return found;
    }

}

/// <summary>
/// Names the CI provider from the markers each one documents. Pure, so that it applies to a replayed
/// snapshot's environment as well.
/// </summary>
public static class CiDetector
{
    private sealed record Marker(string Provider, string Name, Func<IReadOnlyDictionary<string, string>, IReadOnlySet<string>, IReadOnlyList<string>> Match);

    // Order matters: Woodpecker also sets CI_* variables that look like GitLab's, and some providers
    // export compatibility variables of others, so the most specific markers come first.
    private static readonly Marker[] Markers =
    [
        new("github-actions", "GitHub Actions", (e, _) => Equals(e, "GITHUB_ACTIONS", "true")),
        new("woodpecker", "Woodpecker CI", (e, _) => Equals(e, "CI", "woodpecker").Concat(Equals(e, "CI_SYSTEM_NAME", "woodpecker")).ToList()),
        new("gitlab-ci", "GitLab CI", (e, _) => Equals(e, "GITLAB_CI", "true")),
        new("azure-pipelines", "Azure Pipelines", (e, _) => Equals(e, "TF_BUILD", "true").Concat(Present(e, "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI")).ToList()),
        new("circleci", "CircleCI", (e, _) => Equals(e, "CIRCLECI", "true")),
        new("buildkite", "Buildkite", (e, _) => Equals(e, "BUILDKITE", "true")),
        new("aws-codebuild", "AWS CodeBuild", (e, _) => Present(e, "CODEBUILD_BUILD_ARN").Concat(Present(e, "CODEBUILD_BUILD_ID")).ToList()),
        new("google-cloud-build", "Google Cloud Build", (e, _) => Present(e, "BUILDER_OUTPUT")),
        new("bitbucket-pipelines", "Bitbucket Pipelines", (e, _) => Present(e, "BITBUCKET_BUILD_NUMBER").Concat(Present(e, "BITBUCKET_COMMIT")).ToList()),
        new("drone", "Drone", (e, _) => Equals(e, "DRONE", "true")),
        new("jenkins", "Jenkins", (e, _) => Present(e, "JENKINS_URL").Concat(Present(e, "JENKINS_HOME")).ToList()),
        new("tekton", "Tekton Pipelines", (e, files) =>
            files.Contains("/tekton") ? ["/tekton"] : e.Keys.Where(k => k.StartsWith("TEKTON_", StringComparison.Ordinal)).Take(3).ToList()),
    ];

    /// <param name="environment">Variables as the snapshot holds them (already filtered and redacted).</param>
    /// <param name="existingPaths">Marker paths that exist on the machine (only /tekton is asked for).</param>
    public static CiProvider? Detect(IReadOnlyDictionary<string, string> environment, IReadOnlySet<string>? existingPaths = null)
    {
        existingPaths ??= new HashSet<string>();
        foreach (var marker in Markers)
        {
            var found = marker.Match(environment, existingPaths);
            if (found.Count > 0)
            {
                return new CiProvider(marker.Provider, marker.Name, found);
            }
        }

        return environment.TryGetValue("CI", out var ci) && ci.Length > 0 && !ci.Equals("false", StringComparison.OrdinalIgnoreCase)
            ? new CiProvider("unknown", "an unidentified CI (CI is set)", ["CI"])
            : null;
    }

    /// <summary>Marker files checked on the machine.</summary>
    public static IReadOnlyList<string> MarkerPaths { get; } = ["/tekton"];

    private static IReadOnlyList<string> Equals(IReadOnlyDictionary<string, string> e, string name, string value) =>
        e.TryGetValue(name, out var v) && v.Trim().Equals(value, StringComparison.OrdinalIgnoreCase) ? [$"{name}={v.Trim()}"] : [];

    private static IReadOnlyList<string> Present(IReadOnlyDictionary<string, string> e, string name) =>
        e.TryGetValue(name, out var v) && v.Length > 0 ? [name] : [];
}
