using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>Chooses the environment variables that steer Go builds and redacts them on the way in.</summary>
public static class EnvironmentFilter
{
    private static readonly string[] Prefixes =
    [
        "GO", "CGO_", "GIT_", "SSH_", "HTTP_", "HTTPS_", "http_", "https_", "XDG_", "CC_FOR_", "CXX_FOR_", "PKG_CONFIG",
        // CI, cloud and container markers: which provider a snapshot comes from.
        "GITHUB_", "RUNNER_", "GITLAB_", "CI_", "JENKINS_", "BUILD_", "SYSTEM_", "AGENT_", "TF_BUILD", "CIRCLE", "BUILDKITE",
        "CODEBUILD_", "BITBUCKET_", "DRONE", "WOODPECKER", "TEKTON", "KUBERNETES_", "WSL_", "TERM_PROGRAM", "VSCODE_", "IDEA_",
        "AWS_", "AZURE_", "GOOGLE_", "GCP_", "CLOUDSDK_",
    ];

    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "CC", "CXX", "AR", "FC", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy", "HOME", "USER", "LOGNAME", "PATH", "SHELL",
        "TMPDIR", "TMP", "TEMP", "CI", "container", "NO_COLOR", "USERPROFILE", "LOCALAPPDATA", "APPDATA", "SDKROOT", "DEVELOPER_DIR",
        // Google Cloud Build's marker in a step's environment, as ci-info detects it (BUILD_ID is a substitution, not a variable).
        "BUILDER_OUTPUT",
    };

    public static bool IsRelevant(string name) =>
        Names.Contains(name) || Prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)) || Secrets.IsSecretName(name);

    public static IReadOnlyDictionary<string, string> Select(IEnumerable<KeyValuePair<string, string>> environment) =>
        new SortedDictionary<string, string>(
            environment.Where(kv => IsRelevant(kv.Key)).ToDictionary(kv => kv.Key, kv => Secrets.RedactVariable(kv.Key, kv.Value)),
            StringComparer.Ordinal);
}
