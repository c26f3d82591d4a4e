using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Core.Tests;

public sealed class CiDetectorTests
{
    [Theory]
    [InlineData("github-actions", "GITHUB_ACTIONS=true", "RUNNER_OS=Linux")]
    [InlineData("gitlab-ci", "GITLAB_CI=true", "CI=true")]
    [InlineData("jenkins", "JENKINS_URL=https://ci.example.com/", "BUILD_ID=12")]
    [InlineData("azure-pipelines", "TF_BUILD=True", "AGENT_OS=Linux")]
    [InlineData("circleci", "CIRCLECI=true", "CI=true")]
    [InlineData("buildkite", "BUILDKITE=true", "CI=true")]
    [InlineData("aws-codebuild", "CODEBUILD_BUILD_ARN=arn:aws:codebuild:eu-west-1:1:build/x", "CODEBUILD_BUILD_ID=x")]
    [InlineData("google-cloud-build", "BUILDER_OUTPUT=/builder/outputs", "PROJECT_ID=p")]
    [InlineData("bitbucket-pipelines", "BITBUCKET_BUILD_NUMBER=7", "CI=true")]
    [InlineData("drone", "DRONE=true", "CI=drone")]
    [InlineData("woodpecker", "CI=woodpecker", "CI_PIPELINE_NUMBER=3")]
    [InlineData("tekton", "TEKTON_RESULTS=/tekton/results", "HOME=/tekton/home")]
    [InlineData("unknown", "CI=true", "HOME=/root")]
    public void Provider_is_named_from_its_markers(string provider, string a, string b)
    {
        var env = new[] { a, b }.Select(x => x.Split('=', 2)).ToDictionary(x => x[0], x => x[1]);
        Assert.Equal(provider, CiDetector.Detect(env)?.Id);
    }

    [Fact]
    public void Tekton_is_seen_from_its_folder_and_nothing_is_seen_on_a_desktop()
    {
        Assert.Equal("tekton", CiDetector.Detect(new Dictionary<string, string>(), new HashSet<string> { "/tekton" })?.Id);
        Assert.Null(CiDetector.Detect(new Dictionary<string, string> { ["HOME"] = "/home/me", ["CI"] = "false" }));
    }
}

public sealed class CiDiscoveryTests
{
    [Fact]
    public void Ci_files_are_found_at_the_module_root_or_else_at_the_repository_top()
    {
        using var repo = new TempFolder("gbr-ci");
        Directory.CreateDirectory(repo.Combine(".git"));
        repo.Write(".github/workflows/ci.yml", "on: push\n");
        repo.Write(".github/workflows/release.yaml", "on: push\n");
        repo.Write(".github/workflows/README.md", "not a workflow\n");
        repo.Write(".gitlab-ci.yml", "test:\n  script: go test ./...\n");
        repo.Write("svc/go.mod", "module example.com/svc\n");
        repo.Write("other/go.mod", "module example.com/other\n");
        repo.Write("other/Jenkinsfile", "pipeline {}\n");

        // The one lookup of the checkout: the folder holding .git above the module.
        var top = WorkspaceReader.Read(repo.Combine("svc"), null).GitTopLevel;
        Assert.Equal(Path.GetFullPath(repo.Path), top);
        var svc = CiDiscovery.Read(new Dictionary<string, string> { ["GITHUB_ACTIONS"] = "true" }, repo.Combine("svc"), top);
        Assert.Equal("github-actions", svc.Provider?.Id);
        Assert.Equal("..", svc.ConfigFolder);
        Assert.Equal(
            [("../.github/workflows/ci.yml", "github-actions"), ("../.github/workflows/release.yaml", "github-actions"), ("../.gitlab-ci.yml", "gitlab-ci")],
            svc.ConfigFiles.Select(f => (f.Path, f.Provider)));

        // The module's own CI file wins over the repository's.
        var other = CiDiscovery.Read(new Dictionary<string, string>(), repo.Combine("other"), top);
        Assert.Null(other.Provider);
        Assert.Equal(".", other.ConfigFolder);
        Assert.Equal([("Jenkinsfile", "jenkins")], other.ConfigFiles.Select(f => (f.Path, f.Provider)));
    }

    [Fact]
    public void Files_of_the_checkout_are_named_relative_to_the_module_and_others_absolutely()
    {
        using var repo = new TempFolder("gbr-loc");
        Directory.CreateDirectory(repo.Combine(".git"));
        repo.Write("go.work", "go 1.19\n\nuse ./svc\n");
        repo.Write("svc/go.mod", "module example.com/svc\n");
        var svc = repo.Combine("svc");
        var top = Path.GetFullPath(repo.Path);

        Assert.Equal("../go.work", WorkspaceReader.Read(svc, repo.Combine("go.work")).GoWork?.File);
        Assert.Equal("go.mod", WorkspaceReader.Relative(svc, "go.mod", top));
        Assert.Equal("/etc/hosts", WorkspaceReader.Relative(svc, "/etc/hosts", top));
        // Without a checkout the module root is the repository: a file above it is outside, so absolute.
        Assert.Equal(Path.Combine(top, "go.work"), WorkspaceReader.Relative(svc, repo.Combine("go.work"), null));
    }
}
