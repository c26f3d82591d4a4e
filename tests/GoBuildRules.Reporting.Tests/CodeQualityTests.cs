using System.Text.Json;
using GoBuildRules.Tests.Shared;
using NJsonSchema;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// `--format codequality=FILE`: GitLab's Code Quality report (artifacts:reports:codequality), checked
/// against the schema written from GitLab's own documentation (fixtures/gitlab-codequality.schema.json).
/// </summary>
public sealed class CodeQualityTests
{
    private static JsonSchema GitLabSchema() =>
        JsonSchema.FromFileAsync(Fixtures.File("gitlab-codequality.schema.json")).GetAwaiter().GetResult();

    [Fact]
    public void Every_finding_of_a_rich_report_is_a_valid_gitlab_issue()
    {
        var report = SampleReports.Rich(SampleReports.Payload);
        var text = ReportRenderer.Render(report, "codequality", new RenderOptions());
        var errors = GitLabSchema().Validate(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")) + "\n" + text);

        using var doc = JsonDocument.Parse(text);
        var issues = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(report.Findings.Count, issues.Count);
        for (var i = 0; i < issues.Count; i++)
        {
            var f = report.Findings[i];
            Assert.Equal(f.RuleId, issues[i].GetProperty("check_name").GetString());
            Assert.Equal(f.Fingerprint, issues[i].GetProperty("fingerprint").GetString());
            Assert.Equal(f.Anchor.File, issues[i].GetProperty("location").GetProperty("path").GetString());
            var expected = f.Severity switch
            {
                GoBuildRules.Sdk.Severity.Error => "critical",
                GoBuildRules.Sdk.Severity.Warning => "major",
                _ => "info",
            };
            Assert.Equal(expected, issues[i].GetProperty("severity").GetString());
            Assert.Contains(f.Message, issues[i].GetProperty("description").GetString());
        }
    }

    [Fact]
    public void The_schema_rejects_what_gitlab_cannot_read()
    {
        var errors = GitLabSchema().Validate("""[{"description": "x", "check_name": "A", "fingerprint": "f", "severity": "error", "location": {"path": "/abs/go.mod"}}]""");
        // Item errors nest under the array's; their text names each failing property.
        var text = string.Join("\n", errors.Select(e => e.ToString()));
        Assert.Contains("severity", text);
        Assert.Contains("location", text);
    }

    /// <summary>The real tool, in a CI-like run that writes only files: no byte order mark, and stderr says what was written.</summary>
    [Fact]
    public void A_scan_that_writes_only_files_says_where_they_went()
    {
        using var temp = new TempFolder("gbr-cq");
        var cq = temp.Combine("gl-code-quality-report.json");
        var sarif = temp.Combine("out.sarif");
        var run = Cli.Run(["scan", "--from", Fixtures.File("replay-snapshot.json"), "--format", $"codequality={cq}", "--format", $"sarif={sarif}"]);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Equal("", run.Stdout);
        var lines = run.Stderr.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^gobuildrules: \d+ errors?, \d+ warnings?, \d+ notes? .*· exit 1 \(fail-on error\)$", lines[0]);
        Assert.Contains($"  codequality: {cq}", lines);
        Assert.Contains($"  sarif: {sarif}", lines);

        var bytes = File.ReadAllBytes(cq);
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "GitLab's parser refuses a byte order mark");
        var errors = GitLabSchema().Validate(File.ReadAllText(cq));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        using var doc = JsonDocument.Parse(bytes);
        Assert.Contains(doc.RootElement.EnumerateArray(), i => i.GetProperty("check_name").GetString() == "GBGO001" && i.GetProperty("location").GetProperty("path").GetString() == "go.mod");
    }
}
