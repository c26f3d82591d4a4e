using System.Text.Json.Nodes;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// The HTML report opened in real headless Chromium, driven over the DevTools protocol: the page
/// requests nothing but its own file, its script runs under its own Content Security Policy with
/// no violation, it shows as many findings as the model holds, its filters work, and a screenshot
/// is kept in TestResults/reports/ for a person to look at.
/// </summary>
public sealed class HtmlInChromiumTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private const string State =
        "JSON.stringify({ articles: document.querySelectorAll('article.finding').length," +
        " visible: Array.prototype.filter.call(document.querySelectorAll('article.finding'), function (a) { return a.offsetParent !== null; }).length," +
        " shown: document.getElementById('shown').getAttribute('data-shown')," +
        " script: document.documentElement.getAttribute('data-script')," +
        " scripts: document.querySelectorAll('script').length," +
        " copyButtons: document.querySelectorAll('.cmd button').length })";

    [Fact]
    public async Task The_page_shows_every_finding_runs_its_script_and_requests_nothing()
    {
        var report = SampleReports.Rich(SampleReports.Payload);
        using var temp = new TempFolder("gbr-html");
        var page = temp.Write("report.html", ReportRenderer.Render(report, "html", new RenderOptions()));
        var url = new Uri(page).AbsoluteUri;

        using var proxy = new StatusServer(502);
        await using var browser = await DevTools.StartAsync(proxy, Deadline);
        await browser.NavigateAsync(url, Deadline);

        var state = JsonNode.Parse((string)(await browser.EvaluateAsync(State, Deadline))!)!;
        Assert.Equal("ran", (string?)state["script"]);
        Assert.Equal(report.Findings.Count, (int)state["articles"]!);
        Assert.Equal(report.Findings.Count, (int)state["visible"]!);
        Assert.Equal(report.Findings.Count.ToString(), (string?)state["shown"]);
        // The planted <script> is text, not an element: the page's own script is the only one.
        Assert.Equal(1, (int)state["scripts"]!);
        Assert.Equal(report.Findings.Sum(f => f.Fixes.Count(x => x.Command is not null) + f.Fixes.Count(x => x.File is not null)), (int)state["copyButtons"]!);

        // The severity filter hides the errors, and the counter follows.
        var filtered = JsonNode.Parse((string)(await browser.EvaluateAsync(
            "document.querySelector('input[name=severity][value=error]').click(); " + State, Deadline))!)!;
        var withoutErrors = report.Findings.Count - report.Summary.Errors;
        Assert.Equal(withoutErrors, (int)filtered["visible"]!);
        Assert.Equal(withoutErrors.ToString(), (string?)filtered["shown"]);
        await browser.EvaluateAsync("document.querySelector('input[name=severity][value=error]').click(); true", Deadline);

        var shots = Path.Combine(RepoPaths.Root(), "TestResults", "reports");
        Directory.CreateDirectory(shots);
        var png = Path.Combine(shots, "report.png");
        await browser.ScreenshotAsync(png, Deadline);
        Assert.True(new FileInfo(png).Length > 10_000, "the screenshot is missing or empty");
        File.Copy(page, Path.Combine(shots, "report.html"), overwrite: true);

        // Print: filters and copy buttons go, every finding and its evidence is there.
        await browser.EmulatePrintAsync(Deadline);
        var print = JsonNode.Parse((string)(await browser.EvaluateAsync(
            "window.dispatchEvent(new Event('beforeprint')); JSON.stringify({ filters: getComputedStyle(document.getElementById('filters')).display," +
            " copy: getComputedStyle(document.querySelector('.cmd button')).display," +
            " closed: document.querySelectorAll('details:not([open])').length })", Deadline))!)!;
        Assert.Equal("none", (string?)print["filters"]);
        Assert.Equal("none", (string?)print["copy"]);
        Assert.Equal(0, (int)print["closed"]!);
        Assert.True((await browser.PrintToPdfAsync(Deadline)).Length > 10_000, "printing to PDF gave no document");

        Assert.Equal([url], browser.Requests);
        Assert.DoesNotContain(browser.Messages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || m.StartsWith("exception", StringComparison.Ordinal));
    }

    /// <summary>The control: the same set-up does record a page that loads an image, and a CSP violation.</summary>
    [Fact]
    public async Task The_request_check_sees_a_page_that_loads_something()
    {
        using var temp = new TempFolder("gbr-html");
        var page = temp.Write("leaky.html",
            "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"></head>" +
            "<body><img src=\"http://gbr-control.invalid/pixel.png\"><script>document.title = 'x';</script></body></html>");
        var open = temp.Write("open.html", "<!DOCTYPE html><html><body><img src=\"http://gbr-control.invalid/open.png\"></body></html>");

        using var proxy = new StatusServer(502);
        await using var browser = await DevTools.StartAsync(proxy, Deadline);
        await browser.NavigateAsync(new Uri(open).AbsoluteUri, Deadline);
        Assert.Contains("http://gbr-control.invalid/open.png", browser.Requests);

        await using var second = await DevTools.StartAsync(proxy, Deadline);
        await second.NavigateAsync(new Uri(page).AbsoluteUri, Deadline);
        Assert.Contains(second.Messages, m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
    }
}
