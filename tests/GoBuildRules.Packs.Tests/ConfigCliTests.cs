using GoBuildRules.Reporting;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packs.Tests;

/// <summary>gobuildrules.json through the real CLI: policy in scans, `rules explain`.</summary>
public sealed class ConfigCliTests
{
    /// <summary>A replayed snapshot where go is missing (GBGO001 fires) and go.mod is malformed (GBGO003 fires).</summary>
    private const string Snapshot = """
        {
          "schemaVersion": 1,
          "go": { "status": "notFound", "error": "no go command on PATH" },
          "environment": { "PATH": "/usr/bin" },
          "workspace": {
            "root": "/src/app",
            "goMod": { "file": "go.mod", "module": "example.com/app", "moduleLine": 1 },
            "parseProblems": [ { "file": "go.mod", "line": 4, "message": "unknown directive: bogus" } ]
          }
        }
        """;

    private static (CliResult Result, Report? Report) Scan(TempFolder repo, params string[] extra)
    {
        var snapshot = repo.Write("snapshot.json", Snapshot);
        var result = Cli.Run(["scan", "--path", repo.Path, "--from", snapshot, "--format", "json", .. extra], repo.Path,
            new Dictionary<string, string?> { ["GOBUILDRULES_HOME"] = repo.Combine("home") });
        return (result, result.Stdout.TrimStart().StartsWith('{') ? ReportJson.Deserialize(result.Stdout) : null);
    }

    [Fact]
    public void Suppressions_with_justification_and_stale_ones_reach_the_report()
    {
        using var repo = new TempFolder();
        repo.Write("gobuildrules.json", """
            {
              "suppressions": [
                { "rule": "GBGO003", "subject": "go.mod:*", "justification": "generated go.mod, fixed upstream (ISSUE-7)" },
                { "rule": "GBGO001", "justification": "build container has go elsewhere", "expires": "2020-01-01" }
              ]
            }
            """);
        var (result, report) = Scan(repo);
        Assert.True(report is not null, result.ToString());
        var suppressed = Assert.Single(report.Suppressed);
        Assert.Equal("GBGO003", suppressed.RuleId);
        Assert.Equal("generated go.mod, fixed upstream (ISSUE-7)", suppressed.Justification);
        Assert.Equal("GBGO001", Assert.Single(report.Findings).RuleId);
        Assert.Contains(report.Notifications, n => n.Message.Contains("stale suppression of GBGO001") && n.Message.Contains("2020-01-01"));
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Severity_overrides_and_fail_on_come_from_the_config_unless_the_command_line_says_otherwise()
    {
        using var repo = new TempFolder();
        repo.Write("gobuildrules.json", """
            { "severity": { "categories": { "toolchain": "note" }, "rules": { "GBGO003": "warning" } }, "failOn": "warning" }
            """);
        var (result, report) = Scan(repo);
        Assert.True(report is not null, result.ToString());
        Assert.Equal(Sdk.Severity.Note, Assert.Single(report.Findings, f => f.RuleId == "GBGO001").Severity);
        Assert.Equal(Sdk.Severity.Warning, Assert.Single(report.Findings, f => f.RuleId == "GBGO003").Severity);
        Assert.Equal("warning", report.FailOn);
        Assert.Equal(1, result.ExitCode);

        Assert.Equal(0, Scan(repo, "--fail-on", "error").Result.ExitCode);
    }

    [Fact]
    public void A_broken_config_is_a_usage_error()
    {
        using var repo = new TempFolder();
        repo.Write("gobuildrules.json", """{ "suppressions": [ { "rule": "GBGO001" } ] }""");
        var (result, report) = Scan(repo);
        Assert.Equal(2, result.ExitCode);
        Assert.Null(report);
        Assert.Contains("justification", result.Stderr);
    }

    [Fact]
    public void Rules_explain_prints_the_documentation_and_where_the_effective_severity_comes_from()
    {
        using var repo = new TempFolder();
        var config = repo.Write("gobuildrules.json", """
            {
              "severity": { "categories": { "toolchain": "note" }, "rules": { "GBGO002": "warning" } },
              "suppressions": [ { "rule": "GBGO001", "subject": "go", "justification": "CI image provides go", "expires": "2099-12-31" } ]
            }
            """);
        var env = new Dictionary<string, string?> { ["GOBUILDRULES_HOME"] = repo.Combine("home") };

        var byRule = Cli.Run(["rules", "explain", "GBGO002", "--path", repo.Path], repo.Path, env);
        Assert.True(byRule.ExitCode == 0, byRule.ToString());
        Assert.Contains("GBGO002: `go env` hangs or fails", byRule.Stdout);
        Assert.Contains("default severity:   error", byRule.Stdout);
        Assert.Contains($"effective severity: warning (from gobuildrules.json: severity.rules.GBGO002, {config})", byRule.Stdout);
        Assert.Contains("GOTOOLCHAIN=local go env", byRule.Stdout);

        var byCategory = Cli.Run(["rules", "explain", "gbgo001", "--path", repo.Path], repo.Path, env);
        Assert.Contains("effective severity: note (from gobuildrules.json: severity.categories.toolchain", byCategory.Stdout);
        Assert.Contains("suppressed:         subject go (until 2099-12-31): CI image provides go", byCategory.Stdout);

        using var bare = new TempFolder();
        var byDefault = Cli.Run(["rules", "explain", "GBGO003", "--path", bare.Path], bare.Path, env);
        Assert.Contains("effective severity: error (from the rule's default)", byDefault.Stdout);

        var unknown = Cli.Run(["rules", "explain", "GBNOPE1", "--path", bare.Path], bare.Path, env);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no loaded pack has a rule GBNOPE1", unknown.Stderr);
    }
}
