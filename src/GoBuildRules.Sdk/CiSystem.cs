namespace GoBuildRules.Sdk;

/// <summary>
/// The CI the scan runs in and the CI configuration files of the repository (<see cref="Snapshot.Ci"/>),
/// found once by the host; packs read their files from this list instead of looking for them.
/// </summary>
public sealed record CiSystem
{
    /// <summary>The provider named by its documented markers; null when the scan does not run in CI.</summary>
    public CiProvider? Provider { get; init; }

    /// <summary>
    /// The CI configuration files, from the module root or else the repository's top (the folder
    /// holding .git, where CI files live when the module is in a subfolder). Paths are relative to the
    /// workspace root, with '/' (`../.github/workflows/ci.yml` for a module in a subfolder).
    /// </summary>
    public IReadOnlyList<CiConfigFile> ConfigFiles { get; init; } = [];

    /// <summary>The folder the CI files were found in, relative to the workspace root: "." or, above the module, "..", "../..".</summary>
    public string ConfigFolder { get; init; } = ".";
}

/// <param name="Id">Stable id: github-actions, gitlab-ci, jenkins, azure-pipelines, circleci, buildkite, aws-codebuild, google-cloud-build, bitbucket-pipelines, drone, woodpecker, tekton, travis-ci, or unknown.</param>
/// <param name="Markers">The variables or files that identified it (names, or name=value for the non-secret flags).</param>
public sealed record CiProvider(string Id, string Name, IReadOnlyList<string> Markers);

/// <param name="Provider">The provider id (<see cref="CiProvider.Id"/>) that reads this file.</param>
public sealed record CiConfigFile(string Path, string Provider);
