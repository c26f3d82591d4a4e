using System.Text.RegularExpressions;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// The HTML report opened in real headless Chromium: its script runs under its own Content
/// Security Policy, it shows as many findings as the model holds, it makes no request at all, and
/// a screenshot is kept in TestResults/reports/ for a person to look at.
/// </summary>
public sealed class HtmlInChromiumTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public void The_page_shows_every_finding_runs_its_script_and_loads_nothing()
    {
        var report = SampleReports.Rich(SampleReports.Payload);
        using var temp = new TempFolder("gbr-html");
        var page = temp.Write("report.html", ReportRenderer.Render(report, "html", new RenderOptions()));
        var url = new Uri(page).AbsoluteUri;

        using var recorder = new RequestRecorder();
        var dom = Chromium.Headless(recorder, url, Deadline, "--dump-dom");
        Assert.True(dom.ExitCode == 0, dom.Stderr);

        // The inline script ran: only the script sets data-script, so the CSP hashes are right.
        Assert.Contains("data-script=\"ran\"", dom.Stdout);
        var articles = Regex.Matches(dom.Stdout, "<article class=\"finding ").Count;
        Assert.Equal(report.Findings.Count, articles);
        var shown = Regex.Match(dom.Stdout, "id=\"shown\" data-shown=\"(\\d+)\"");
        Assert.True(shown.Success, "the page has no findings counter");
        Assert.Equal(report.Findings.Count, int.Parse(shown.Groups[1].Value));
        Assert.Contains($"Showing {report.Findings.Count} of {report.Findings.Count} findings", dom.Stdout);
        // The planted payload is shown as text, never as an element.
        Assert.DoesNotContain("<script>alert(1)", dom.Stdout);

        var shots = Path.Combine(RepoPaths.Root(), "TestResults", "reports");
        Directory.CreateDirectory(shots);
        var png = Path.Combine(shots, "report.png");
        File.Delete(png);
        var shot = Chromium.Headless(recorder, url, Deadline, "--window-size=1280,2200", "--hide-scrollbars", $"--screenshot={png}");
        Assert.True(shot.ExitCode == 0, shot.Stderr);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is missing or empty");
        File.Copy(page, Path.Combine(shots, "report.html"), overwrite: true);

        Assert.Empty(recorder.Requests);
    }

    /// <summary>The control: the same browser set-up does see a page that loads something.</summary>
    [Fact]
    public void The_request_check_sees_a_page_that_loads_an_image()
    {
        using var temp = new TempFolder("gbr-html");
        var page = temp.Write("leaky.html", "<!DOCTYPE html><html><body><img src=\"http://gbr-control.invalid/pixel.png\"></body></html>");
        using var recorder = new RequestRecorder();
        var run = Chromium.Headless(recorder, new Uri(page).AbsoluteUri, Deadline, "--dump-dom");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains(recorder.Requests, r => r.Contains("gbr-control.invalid", StringComparison.Ordinal));
    }
}
