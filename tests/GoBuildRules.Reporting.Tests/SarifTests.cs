using System.Diagnostics;
using System.Text.Json.Nodes;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;
using NJsonSchema;

namespace GoBuildRules.Reporting.Tests;

public sealed class SarifTests
{
    private static JsonObject Sarif(Report report) =>
        (JsonObject)JsonNode.Parse(ReportRenderer.Render(report, "sarif", new RenderOptions()))!;

    [Fact]
    public async Task Sample_report_is_valid_against_the_OASIS_schema()
    {
        var schema = await JsonSchema.FromFileAsync(Fixtures.SarifSchema());
        var text = ReportRenderer.Render(SampleReports.Rich(SampleReports.Payload), "sarif", new RenderOptions());
        var errors = schema.Validate(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public async Task Replayed_scan_is_valid_against_the_OASIS_schema()
    {
        var schema = await JsonSchema.FromFileAsync(Fixtures.SarifSchema());
        var errors = schema.Validate(ReportRenderer.Render(FormatSnapshotTests.ReplayedReport(), "sarif", new RenderOptions()));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public async Task The_OASIS_schema_check_rejects_a_broken_log()
    {
        var schema = await JsonSchema.FromFileAsync(Fixtures.SarifSchema());
        Assert.NotEmpty(schema.Validate("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {}}]}"));
        Assert.NotEmpty(schema.Validate("{\"version\": \"2.0.0\", \"runs\": []}"));
    }

    /// <summary>
    /// Microsoft's SARIF Multitool, rules "Sarif;Ghas" (GitHub's ingestion rules), through
    /// tests/sarif/validate.sh: zero errors for a scan with several findings of the real tool and
    /// for the sample report (two packs, suppressions, notifications, planted special characters).
    /// </summary>
    [Fact]
    public void Multitool_reports_zero_errors()
    {
        using var temp = new TempFolder("gbr-sarif");
        var scan = temp.Combine("scan.sarif");
        var run = Cli.Run(["scan", "--from", Fixtures.File("replay-snapshot.json"), "--format", $"sarif={scan}", "--fail-on", "never"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var sample = temp.Write("sample.sarif", ReportRenderer.Render(SampleReports.Rich(SampleReports.Payload), "sarif", new RenderOptions()));

        var result = Validate(scan, sample);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"{scan}: 0 errors", result.Output);
        Assert.Contains($"{sample}: 0 errors", result.Output);
    }

    [Fact]
    public void Multitool_check_fails_on_a_broken_file()
    {
        using var temp = new TempFolder("gbr-sarif");
        var broken = temp.Write("broken.sarif", "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{}}}]}");
        var result = Validate(broken);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("1 error(s)", result.Output);
    }

    private static (int ExitCode, string Output) Validate(params string[] files)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root(), "tests", "sarif", "validate.sh"));
        foreach (var f in files) psi.ArgumentList.Add(f);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("validate.sh did not finish within 4 minutes");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Each_pack_is_an_extension_and_results_point_at_their_rule()
    {
        var report = SampleReports.Rich();
        var run = Sarif(report)["runs"]![0]!;
        var extensions = run["tool"]!["extensions"]!.AsArray();
        Assert.Equal(report.Packs.Select(p => p.Id), extensions.Select(e => (string)e!["name"]!));
        Assert.Empty(run["tool"]!["driver"]!["rules"]!.AsArray());

        var results = run["results"]!.AsArray();
        Assert.Equal(report.Findings.Count + report.Suppressed.Count, results.Count);
        foreach (var r in results)
        {
            var component = extensions[(int)r!["rule"]!["toolComponent"]!["index"]!]!;
            var rule = component["rules"]![(int)r["rule"]!["index"]!]!;
            Assert.Equal((string)r["ruleId"]!, (string)rule["id"]!);
            Assert.Equal(RuleDescriptor.FirstPartyHelpBase + (string)r["ruleId"]! + ".md", (string)rule["helpUri"]!);
            Assert.Equal("%SRCROOT%", (string)r["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uriBaseId"]!);
        }

        Assert.Equal("file:///src/app/", (string)run["originalUriBaseIds"]!["%SRCROOT%"]!["uri"]!);
        Assert.Equal("gobuildrules/", (string)run["automationDetails"]!["id"]!);
        var invocation = run["invocations"]![0]!;
        Assert.False((bool)invocation["executionSuccessful"]!);
        Assert.Equal(report.Notifications.Count + report.Snapshot.CollectionIssues.Count, invocation["toolExecutionNotifications"]!.AsArray().Count);
    }

    [Fact]
    public void Suppressed_findings_carry_a_suppression_with_the_justification()
    {
        var results = Sarif(SampleReports.Rich())["runs"]![0]!["results"]!.AsArray();
        var suppressed = results.Where(r => r!["suppressions"] is not null).ToList();
        var only = Assert.Single(suppressed);
        Assert.Equal("GBCGO002", (string)only!["ruleId"]!);
        Assert.Equal("Known slow on CI runners; tracked in #42.", (string)only["suppressions"]![0]!["justification"]!);
        Assert.Equal("accepted", (string)only["suppressions"]![0]!["status"]!);
    }

    [Fact]
    public void Locations_are_repository_relative_and_environment_findings_use_the_module_line()
    {
        var results = Sarif(SampleReports.Rich())["runs"]![0]!["results"]!.AsArray();
        string Where(string ruleId)
        {
            var loc = results.First(r => (string)r!["ruleId"]! == ruleId)!["locations"]![0]!["physicalLocation"]!;
            return $"{(string)loc["artifactLocation"]!["uri"]!}:{(int)loc["region"]!["startLine"]!}";
        }

        Assert.Equal(".github/workflows/ci.yml:12", Where("GBNET001"));
        // No location: the module line of go.mod (line 3 in the sample).
        Assert.Equal("go.mod:3", Where("GBNET002"));
        // Outside the repository (/etc/profile.d): anchored to go.mod as well, the file kept as a property.
        Assert.Equal("go.mod:3", Where("GBCGO001"));
        Assert.Equal("/etc/profile.d/cc.sh:2", (string)results.First(r => (string)r!["ruleId"]! == "GBCGO001")!["properties"]!["location"]!);
    }

    [Fact]
    public void Fingerprints_depend_on_rule_and_subject_not_on_lines()
    {
        var before = SampleReports.Rich();
        var moved = before with
        {
            Findings = before.Findings.Select(f => f with { Anchor = f.Anchor with { Line = f.Anchor.Line + 10 }, Message = f.Message + " (again)" }).ToList(),
        };
        static IEnumerable<string> Prints(JsonObject sarif) =>
            sarif["runs"]![0]!["results"]!.AsArray().Select(r => (string)r!["partialFingerprints"]!["primaryLocationLineHash"]!);

        Assert.Equal(Prints(Sarif(before)), Prints(Sarif(moved)));
        Assert.Equal(ReportBuilder.Fingerprint("GBNET001", "GOPROXY=http://127.0.0.1:9"), before.Findings[0].Fingerprint);
        Assert.NotEqual(ReportBuilder.Fingerprint("GBNET001", "a"), ReportBuilder.Fingerprint("GBNET001", "b"));
        Assert.Equal(Prints(Sarif(before)).Count(), Prints(Sarif(before)).Distinct().Count());
    }

    [Fact]
    public void Repository_without_go_mod_anchors_to_go_work_or_go_mod_line_1()
    {
        Assert.Equal(new Location("go.work", 2), ReportBuilder.DefaultAnchor(new WorkspaceFacts { GoWork = new GoWorkFile("go.work") { GoLine = 2 } }));
        Assert.Equal(new Location("go.mod", 1), ReportBuilder.DefaultAnchor(new WorkspaceFacts()));
        Assert.Equal(new Location("sub/go.mod", 1), ReportBuilder.Anchor(new Location("/src/app/sub/go.mod"), "/src/app"));
        Assert.Null(ReportBuilder.Anchor(new Location("/src/other/go.mod", 4), "/src/app"));
        Assert.Null(ReportBuilder.Anchor(new Location("../x/go.mod", 4), "/src/app"));
        Assert.Equal(new Location("a/b.yml", 7), ReportBuilder.Anchor(new Location(".\\a\\b.yml", 7), "/src/app"));
    }

    [Theory]
    [InlineData("{\"version\": \"2.1.0\", \"runs\": [", "not valid JSON")]
    [InlineData("{\"version\": \"2.1.0\", \"runs\": []}", "runs must hold at least one run")]
    [InlineData("{\"version\": \"2.1.0\", \"runs\": [{\"tool\": {\"driver\": {\"name\": \"x\", \"semanticVersion\": \"1.0.0\", \"informationUri\": \"https://x\", \"rules\": []}}, \"results\": [{\"ruleId\": \"X1\", \"level\": \"error\", \"message\": {\"text\": \"m\"}}], \"invocations\": [{\"executionSuccessful\": true}], \"automationDetails\": {\"id\": \"x/\"}}]}", "rule.index is missing")]
    public void A_template_that_writes_bad_SARIF_is_refused(string output, string expected)
    {
        var template = "{{ '" + output.Replace("'", "\\'") + "' }}";
        var e = Assert.Throws<TemplateException>(() => ReportRenderer.Render(SampleReports.Rich(), "sarif", new RenderOptions(), template, "mine.scriban"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("mine.scriban", e.Message);
    }
}
