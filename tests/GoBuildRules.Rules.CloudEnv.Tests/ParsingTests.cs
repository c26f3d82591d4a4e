using GoBuildRules.Sdk;
using GoBuildRules.Rules.CloudEnv.Collection;

namespace GoBuildRules.Rules.CloudEnv.Tests;

public sealed class WorkflowReaderTests
{
    private const string GitHubWorkflow = """
        name: build   # a comment
        on: [push]
        env:
          GOFLAGS: -mod=readonly
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - name: Set up Go
                uses: actions/setup-go@v5
                with:
                  go-version: '1.22'
                  cache: false   # we cache ourselves… or not
              - uses: actions/cache@v4
                with:
                  path: |
                    ~/.cache/go-build
                    ~/go/pkg/mod
                  key: ${{ runner.os }}-go-${{ hashFiles('**/go.sum') }}
              - run: go test ./...
        """;

    [Fact]
    public void GitHub_steps_inputs_and_lines_are_read()
    {
        var wf = WorkflowReader.Parse(".github/workflows/build.yml", WorkflowKind.GitHubActions, GitHubWorkflow);

        Assert.Equal(["actions/checkout", "actions/setup-go", "actions/cache"], wf.Steps.Select(s => s.Action));
        var setupGo = wf.Steps[1];
        Assert.Equal(("v5", 11), (setupGo.Ref, setupGo.Line));
        Assert.Equal(("false", 14), (setupGo.Input("cache")!.Value, setupGo.Input("cache")!.Line));
        Assert.Equal("1.22", setupGo.Input("go-version")!.Value);
        var cache = wf.Steps[2];
        Assert.Equal("~/.cache/go-build\n~/go/pkg/mod", cache.Input("path")!.Value);
        Assert.Contains("go.sum", cache.Input("key")!.Value);
        Assert.Empty(wf.Steps[0].Inputs);
        Assert.Equal([21], wf.GoCommandLines);
        Assert.Equal(new WorkflowVariable("GOFLAGS", "-mod=readonly", 4), Assert.Single(wf.Variables));
    }

    [Fact]
    public void Secrets_in_ci_files_are_redacted_but_cache_keys_kept()
    {
        const string text = """
            env:
              HTTPS_PROXY: http://alice:s3cret@proxy.corp:3128
            jobs:
              t:
                steps:
                  - uses: some/action@v1
                    with:
                      token: ghp_0123456789abcdefghijklmnopqrstuvwxyz
                      key: go-${{ hashFiles('go.sum') }}
            """;
        var wf = WorkflowReader.Parse(".github/workflows/x.yml", WorkflowKind.GitHubActions, text);
        var all = string.Join("\n", wf.Variables.Select(v => v.Value).Concat(wf.Steps.SelectMany(s => s.Inputs).Select(i => i.Value)));
        Assert.DoesNotContain("s3cret", all);
        Assert.DoesNotContain("ghp_", all);
        Assert.Equal("go-${{ hashFiles('go.sum') }}", wf.Steps[0].Input("key")!.Value);
        Assert.Equal("http://REDACTED@proxy.corp:3128", wf.Variables[0].Value);
    }

    [Fact]
    public void GitLab_cache_paths_key_and_variables_are_read()
    {
        const string text = """
            variables:
              GOPATH: $CI_PROJECT_DIR/.go
              GIT_DEPTH: "10"
            test:
              image: golang:1.22
              cache:
                key:
                  files:
                    - go.sum
                paths:
                  - .go/pkg/mod/
                  - .go-build/
              script:
                - go test ./...
            lint:
              cache:
                paths: [.lint-cache]
              script: [golangci-lint run]
            """;
        var wf = WorkflowReader.Parse(".gitlab-ci.yml", WorkflowKind.GitLabCi, text);

        Assert.Equal(2, wf.GitLabCaches.Count);
        var first = wf.GitLabCaches[0];
        Assert.Equal(6, first.Line);
        Assert.Equal("files: go.sum", first.Key);
        Assert.Equal([(".go/pkg/mod/", 11), (".go-build/", 12)], first.Paths.Select(p => (p.Value, p.Line)));
        Assert.Equal([(".lint-cache", 17)], wf.GitLabCaches[1].Paths.Select(p => (p.Value, p.Line)));
        Assert.Equal([14], wf.GoCommandLines);
        Assert.Equal([("GOPATH", "$CI_PROJECT_DIR/.go", 2), ("GIT_DEPTH", "10", 3)], wf.Variables.Select(v => (v.Name, v.Value, v.Line)));
    }
}

public sealed class MatchingTests
{
    // NO_PROXY and module-pattern matching are the SDK's (GoSettings), tested with Go's cases in GoBuildRules.Core.Tests.
    [Theory]
    [InlineData("-mod=mod -p=4", 4)]
    // cmd/go takes "8" for a second word that is not a flag and fails: there is no -p there.
    [InlineData("-p 8 -trimpath", null)]
    [InlineData("-p=8 -p=3", 3)]
    [InlineData("--p=2", 2)]
    [InlineData("-pgo=auto -mod=mod", null)]
    [InlineData("", null)]
    public void Parallelism_is_read_from_goflags(string goflags, int? expected) =>
        Assert.Equal(expected, Parallelism.FromGoFlags(new GoFlagList(goflags)));
}

public sealed class DefenderParsingTests
{
    [Fact]
    public void Administrator_view_lists_exclusions()
    {
        var facts = CloudEnvCollector.ParseDefender("""{"DisableRealtimeMonitoring":false,"ExclusionPath":["C:\\go","D:\\cache"],"ExclusionProcess":null}""");
        Assert.True(facts.RealTimeMonitoringEnabled);
        Assert.True(facts.ExclusionsVisible);
        Assert.Equal(["C:\\go", "D:\\cache"], facts.ExclusionPaths);
    }

    [Fact]
    public void Non_administrator_view_hides_exclusions()
    {
        var facts = CloudEnvCollector.ParseDefender("""{"DisableRealtimeMonitoring":true,"ExclusionPath":"N/A: Must be an administrator to view exclusions","ExclusionProcess":"N/A: Must be an administrator to view exclusions"}""");
        Assert.False(facts.RealTimeMonitoringEnabled);
        Assert.False(facts.ExclusionsVisible);
        Assert.Empty(facts.ExclusionPaths);
    }

    [Fact]
    public void Garbage_is_an_error_not_a_throw() =>
        Assert.NotNull(CloudEnvCollector.ParseDefender("Get-MpPreference : not recognized").Error);
}

public sealed class AffinityTests
{
    [Theory]
    [InlineData("Name:\tgo\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\n", 2)]
    [InlineData("Cpus_allowed_list:\t0,2-5,7\n", 6)]
    [InlineData("Cpus_allowed_list:\t3\n", 1)]
    [InlineData("Cpus_allowed_list:\t5-2\n", null)]
    [InlineData("Cpus_allowed_list:\tx\n", null)]
    [InlineData("Name:\tgo\n", null)]
    [InlineData(null, null)]
    public void The_affinity_list_counts_the_cpus_go_may_use(string? status, int? cpus) =>
        Assert.Equal(cpus, CloudEnvCollector.AffinityCpus(status));
}
