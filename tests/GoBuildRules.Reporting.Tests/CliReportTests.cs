using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Reporting.Tests;

/// <summary>The report options of the real tool: several formats in one run, convert, custom templates.</summary>
public sealed class CliReportTests
{
    private static readonly string Replay = Fixtures.File("replay-snapshot.json");

    [Fact]
    public void One_scan_writes_several_formats_and_convert_renders_them_again()
    {
        using var temp = new TempFolder("gbr-cli");
        string F(string name) => temp.Combine(name);
        var scan = Cli.Run(["scan", "--from", Replay, "--format", $"sarif={F("out.sarif")}", "--format", $"json={F("out.json")}", "--format", $"html={F("out.html")}", "--format", "md"]);
        Assert.True(scan.ExitCode == 1, scan.ToString());
        Assert.StartsWith("## gobuildrules", scan.Stdout);
        using (var doc = JsonDocument.Parse(File.ReadAllText(F("out.sarif"))))
        {
            var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray();
            Assert.Equal(3, results.Count(r => r.GetProperty("ruleId").GetString()!.StartsWith("GBGO", StringComparison.Ordinal)));
        }

        var convert = Cli.Run(["convert", "--from", F("out.json"), "--format", $"html={F("again.html")}", "--format", $"sarif={F("again.sarif")}", "--format", "md"]);
        Assert.True(convert.ExitCode == 0, convert.ToString());
        Assert.Equal(File.ReadAllText(F("out.html")), File.ReadAllText(F("again.html")));
        Assert.Equal(File.ReadAllText(F("out.sarif")), File.ReadAllText(F("again.sarif")));
        Assert.Equal(scan.Stdout, convert.Stdout);
    }

    [Fact]
    public void A_custom_template_renders_a_format_of_its_own()
    {
        using var temp = new TempFolder("gbr-cli");
        var template = temp.Write("ids.scriban", "{{ for f in findings }}{{ if f.pack_id == 'GoBuildRules.Rules.Toolchain' }}{{ f.rule_id }} {{ f.anchor.file }}:{{ f.anchor.line }}\n{{ end }}{{ end }}");
        var run = Cli.Run(["scan", "--from", Replay, "--format", "ids", "--template", $"ids={template}", "--fail-on", "never"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("GBGO001 go.mod:1\nGBGO003 go.mod:7\nGBGO003 go.sum:2\n", run.Stdout);
    }

    [Theory]
    [InlineData("{{ include '/etc/passwd' }}", "broken.scriban(1,")]
    [InlineData("ok\n{{ if }}", "broken.scriban(2,")]
    public void A_broken_template_is_one_line_on_stderr_and_exit_2_and_writes_nothing(string text, string expected)
    {
        using var temp = new TempFolder("gbr-cli");
        var template = temp.Write("broken.scriban", text);
        var run = Cli.Run(["scan", "--from", Replay, "--format", $"md={temp.Combine("ok.md")}", "--format", "text", "--template", $"text={template}"]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("gobuildrules: error: " + expected, run.Stderr);
        Assert.Single(run.Stderr.TrimEnd().Split('\n'));
        Assert.False(File.Exists(temp.Combine("ok.md")), "no report is written when one of them fails");
        // Nothing else either: no half-written or temporary file is left beside the template.
        Assert.Equal(["broken.scriban"], Directory.GetFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData(new[] { "--format", "pdf" }, "--format pdf is not one of")]
    [InlineData(new[] { "--format", "md", "--format", "html" }, "only one --format can go to standard output")]
    [InlineData(new[] { "--format", "md", "--template", "/nonexistent/t.scriban" }, "template /nonexistent/t.scriban does not exist")]
    public void Bad_report_options_exit_2(string[] options, string expected)
    {
        var run = Cli.Run(["scan", "--from", Replay, .. options]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(expected, run.Stderr);
    }

    [Fact]
    public void Convert_refuses_a_file_that_is_not_a_report()
    {
        var run = Cli.Run(["convert", "--from", Replay, "--format", "md"]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("not a valid gobuildrules JSON report", run.Stderr);
    }
}
