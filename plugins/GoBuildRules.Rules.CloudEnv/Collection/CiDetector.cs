namespace GoBuildRules.Rules.CloudEnv.Collection;

/// <summary>
/// Names the CI provider from the markers each one documents. Pure, so that rules can apply it to a
/// replayed snapshot's environment as well.
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
    public static CiFacts? Detect(IReadOnlyDictionary<string, string> environment, IReadOnlySet<string>? existingPaths = null)
    {
        existingPaths ??= new HashSet<string>();
        foreach (var marker in Markers)
        {
            var found = marker.Match(environment, existingPaths);
            if (found.Count > 0)
            {
                return new CiFacts(marker.Provider, marker.Name, found);
            }
        }

        return environment.TryGetValue("CI", out var ci) && ci.Length > 0 && !ci.Equals("false", StringComparison.OrdinalIgnoreCase)
            ? new CiFacts("unknown", "an unidentified CI (CI is set)", ["CI"])
            : null;
    }

    /// <summary>Marker files the collector checks, relative to the filesystem root.</summary>
    public static IReadOnlyList<string> MarkerPaths { get; } = ["/tekton"];

    private static IReadOnlyList<string> Equals(IReadOnlyDictionary<string, string> e, string name, string value) =>
        e.TryGetValue(name, out var v) && v.Trim().Equals(value, StringComparison.OrdinalIgnoreCase) ? [$"{name}={v.Trim()}"] : [];

    private static IReadOnlyList<string> Present(IReadOnlyDictionary<string, string> e, string name) =>
        e.TryGetValue(name, out var v) && v.Length > 0 ? [name] : [];
}
