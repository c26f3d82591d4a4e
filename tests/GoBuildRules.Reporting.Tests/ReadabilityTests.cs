using System.Text.Json;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting.Tests;

/// <summary>What makes a report read well: code in messages, short long values, readable times, one entry per cause, rule pages in a terminal.</summary>
public sealed class ReadabilityTests
{
    [Fact]
    public void Backticked_parts_become_code_and_the_rest_stays_escaped()
    {
        Assert.Equal("Run <code>go env -w GOPROXY=a|b</code> &lt;now&gt;", TemplateFunctions.HtmlInline("Run `go env -w GOPROXY=a|b` <now>"));
        Assert.Equal("Run `go env -u X*` now\\*", TemplateFunctions.MarkdownInline("Run `go env -u X*` now*"));
        Assert.Equal("a \\` b", TemplateFunctions.MarkdownInline("a ` b"));
    }

    [Fact]
    public void A_long_path_list_keeps_its_first_entries_and_says_how_many_follow()
    {
        var entries = Enumerable.Range(0, 20).Select(i => $"/opt/tool{i}/bin").ToList();
        var path = string.Join(':', entries);
        var shown = TemplateFunctions.Shorten(path);
        Assert.True(shown.Length < 120, shown);
        Assert.StartsWith("/opt/tool0/bin:/opt/tool1/bin:", shown);
        var kept = shown.Split(':').Count(e => e.StartsWith("/opt/", StringComparison.Ordinal));
        Assert.EndsWith($"… (+{20 - kept} more entries)", shown);
        Assert.Equal("/usr/bin:/bin", TemplateFunctions.Shorten("/usr/bin:/bin"));
        Assert.EndsWith("… (300 characters)", TemplateFunctions.Shorten(new string('x', 300)));
    }

    [Fact]
    public void Long_values_are_short_in_console_md_and_html_and_whole_in_json_and_sarif()
    {
        var path = string.Join(':', Enumerable.Range(0, 30).Select(i => $"/home/dev/.local/share/tool{i}/bin"));
        var report = SampleReports.Rich();
        report = report with { Findings = [report.Findings[0] with { Evidence = [new Evidence("PATH", path)] }, .. report.Findings.Skip(1)] };
        foreach (var format in new[] { "console", "md", "html" })
        {
            var text = ReportRenderer.Render(report, format, new RenderOptions());
            Assert.DoesNotContain(path, text);
            Assert.Contains("more entries)", text);
        }

        foreach (var format in new[] { "json", "sarif" })
        {
            Assert.Contains(path, ReportRenderer.Render(report, format, new RenderOptions()));
        }
    }

    [Fact]
    public void Timestamps_read_as_utc_to_the_second()
    {
        Assert.Equal("2026-12-01 13:36:31 UTC", TemplateFunctions.ReadableTime("2026-12-01T14:36:31.2987421+01:00"));
        Assert.Equal("not a time", TemplateFunctions.ReadableTime("not a time"));
    }

    [Fact]
    public void Findings_of_one_rule_and_cause_are_one_console_entry_and_stay_separate_in_sarif()
    {
        var rule = new RuleDescriptor("GBMOD004", "A download was interrupted", "modcache", Severity.Note, "Leftovers.", "Leftovers of an interrupted download.");
        var modules = new[] { "golang.org/x/sys@v0.1.0", "golang.org/x/net@v0.2.0", "github.com/prometheus/common@v0.3.0" };
        var findings = modules.Select((m, i) => rule.Finding($"{m}: a .lock file without a .zip is a zip download that never finished.", m) with
        {
            Location = new Location("go.mod", 5 + i),
            Fixes = [Fix.Run($"Let go repair {m} now", $"go mod download {m}", "One download.")],
        }).ToList();
        findings.Add(rule.Finding("golang.org/x/text@v0.4.0: the .mod file is empty.", "golang.org/x/text@v0.4.0") with
        {
            Fixes = [Fix.Run("Let go repair golang.org/x/text@v0.4.0 now", "go mod download golang.org/x/text@v0.4.0", "One download.")],
        });
        var snapshot = SampleReports.SnapshotFacts();
        var report = ReportBuilder.Build("0.0.0-test", snapshot, replay: true,
            [new PackSummary("GoBuildRules.Rules.ModCache", "Module cache", "1.0.0", true, 1, "")],
            [new Core.Engine.EvaluatedRule("GoBuildRules.Rules.ModCache", rule)],
            findings, [], [], new Timings(), Core.Engine.FailOn.Error, 0);

        var console = ReportRenderer.Render(report, "console", new RenderOptions());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(console, "GBMOD004 A download was interrupted \\(3 findings, one cause\\)"));
        Assert.Contains("the same for 2 more: golang.org/x/net@v0.2.0, github.com/prometheus/common@v0.3.0", console);
        Assert.Contains("at go.mod:5, go.mod:6, go.mod:7", console);
        // Another cause of the same rule is an entry of its own.
        Assert.Contains("golang.org/x/text@v0.4.0: the .mod file is empty.", console);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(console, "GBMOD004 A download").Count);

        using var sarif = JsonDocument.Parse(ReportRenderer.Render(report, "sarif", new RenderOptions()));
        Assert.Equal(4, sarif.RootElement.GetProperty("runs")[0].GetProperty("results").GetArrayLength());
    }

    private const string Page = """
        **Pack:** Example · **Default severity:** error

        ## What it means
        The proxy **hangs** and *nothing* says so; see [the docs](https://example.com/x).

        ```shell
        go env -w GOPROXY=direct
        ```

        - first `go mod download`
        - second

        | setting | value |
        |---|---|
        | GOPROXY | off |
        """;

    [Fact]
    public void A_rule_page_in_a_plain_terminal_has_no_markup_left()
    {
        var text = TerminalMarkdown.Render(Page, color: false);
        Assert.DoesNotContain("**", text);
        Assert.DoesNotContain("##", text);
        Assert.DoesNotContain("```", text);
        Assert.False(text.Contains('\u001b'), "no escape sequence without colour");
        Assert.Contains("What it means\n", text);
        Assert.Contains("The proxy hangs and nothing says so; see the docs (https://example.com/x).", text);
        Assert.Contains("\n    go env -w GOPROXY=direct\n", text);
        Assert.Contains("- first `go mod download`\n- second\n", text);
        Assert.Contains("GOPROXY  off", text);
    }

    [Fact]
    public void A_rule_page_in_a_colour_terminal_is_styled()
    {
        var text = TerminalMarkdown.Render(Page, color: true);
        Assert.Contains("\u001b[1;4mWhat it means\u001b[0m", text);
        Assert.Contains("\u001b[1mhangs\u001b[0m", text);
        Assert.Contains("\u001b[36mgo mod download\u001b[0m", text);
        Assert.DoesNotContain("**", text);
    }
}
