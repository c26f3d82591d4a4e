using System.Diagnostics;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packaging.Tests;

/// <summary>
/// quickstart.sh as the README runs it, but with --tool-path so that the test never touches the
/// global tools: installs, scans the sample, and a second run says what it replaces before it does.
/// </summary>
public sealed class QuickstartTests : IDisposable
{
    private readonly TempFolder temp = new("quickstart");

    private (int Code, string Out) Quickstart(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = temp.Path };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root(), "quickstart.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["GOPROXY"] = "off";
        psi.Environment["GOSUMDB"] = "off";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("quickstart.sh timed out");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Installs_into_the_tool_path_scans_and_says_what_it_replaces()
    {
        var tools = temp.Combine("tools");
        var first = Quickstart("--tool-path", tools);
        // The sample's missing C compiler is an error finding: exit 1 is the diagnosis working.
        Assert.True(first.Code == 1, first.Out);
        Assert.Contains($"installed: {tools}/gobuildrules", first.Out);
        Assert.Contains("GoBuildRules.Sdk 1.", first.Out);
        Assert.Contains("GBCGO", first.Out);
        Assert.DoesNotContain("replacing", first.Out);

        temp.Write("mod/go.mod", "module example.com/mod\n\ngo 1.19\n");
        var second = Quickstart("--tool-path", tools, temp.Combine("mod"));
        var replacing = second.Out.IndexOf($"replacing gobuildrules 0.1.0-local.", StringComparison.Ordinal);
        Assert.True(replacing >= 0, second.Out);
        Assert.Contains($" in {tools} with 0.1.0-local.", second.Out);
        Assert.True(replacing < second.Out.IndexOf("installed:", StringComparison.Ordinal), second.Out);
        Assert.Contains("example.com/mod", second.Out);
    }

    [Fact]
    public void An_unknown_option_is_refused()
    {
        var run = Quickstart("--tool-pth", temp.Combine("tools"));
        Assert.Equal(2, run.Code);
        Assert.Contains("unknown option --tool-pth", run.Out);
    }

    public void Dispose() => temp.Dispose();
}
