using System.Diagnostics;
using System.Text.RegularExpressions;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packaging.Tests;

/// <summary>
/// quickstart.sh as the README runs it, but with --tool-path so that the test never touches the
/// global tools, run twice: the first packs the tool (`dotnet pack`), installs it from that folder
/// feed (`dotnet tool install --tool-path --add-source`) and scans the sample; the second says what it
/// replaces before it does, and scans a module of its own. Both runs happen once for every test here:
/// each pack is a Release build of the tool and its bundled packs, the slowest step of the suite.
/// </summary>
public sealed partial class QuickstartFixture : IDisposable
{
    private readonly TempFolder temp = new("quickstart");

    public QuickstartFixture()
    {
        try
        {
            Tools = temp.Combine("tools");
            First = Quickstart(temp.Path, "--tool-path", Tools);
            temp.Write("mod/go.mod", "module example.com/mod\n\ngo 1.19\n");
            Second = Quickstart(temp.Path, "--tool-path", Tools, temp.Combine("mod"));
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw.
            temp.Dispose();
            throw;
        }
    }

    public string Tools { get; }

    public (int Code, string Out) First { get; }

    public (int Code, string Out) Second { get; }

    /// <summary>The package version the second run packed and installed ("packing gobuildrules VERSION from …").</summary>
    public string InstalledVersion => Packing().Match(Second.Out) is { Success: true } m ? m.Groups["v"].Value : throw new InvalidOperationException(Second.Out);

    public TempFolder Temp => temp;

    public static (int Code, string Out) Quickstart(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root(), "quickstart.sh"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["GOPROXY"] = "off";
        psi.Environment["GOSUMDB"] = "off";
        // Generous: a Release pack of the tool and its packs on a loaded machine takes many minutes.
        return Run(psi, TimeSpan.FromMinutes(30));
    }

    public static (int Code, string Out) Run(ProcessStartInfo psi, TimeSpan timeout)
    {
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{psi.FileName} {string.Join(' ', psi.ArgumentList)} timed out");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public void Dispose() => temp.Dispose();

    [GeneratedRegex(@"^packing gobuildrules (?<v>\S+) from ", RegexOptions.Multiline)]
    private static partial Regex Packing();
}

public sealed class QuickstartTests(QuickstartFixture fixture) : IClassFixture<QuickstartFixture>
{
    [Fact]
    public void First_run_installs_into_the_tool_path_and_scans_the_sample()
    {
        var first = fixture.First;
        // The sample's missing C compiler is an error finding: exit 1 is the diagnosis working.
        Assert.True(first.Code == 1, first.Out);
        Assert.Contains($"installed: {fixture.Tools}/gobuildrules", first.Out);
        Assert.Contains("GoBuildRules.Sdk 1.", first.Out);
        Assert.Contains("GBCGO", first.Out);
        Assert.DoesNotContain("replacing", first.Out);
    }

    [Fact]
    public void Second_run_says_what_it_replaces_before_replacing_it()
    {
        var second = fixture.Second;
        var replacing = second.Out.IndexOf("replacing gobuildrules 0.1.0-local.", StringComparison.Ordinal);
        Assert.True(replacing >= 0, second.Out);
        Assert.Contains($" in {fixture.Tools} with 0.1.0-local.", second.Out);
        Assert.True(replacing < second.Out.IndexOf("installed:", StringComparison.Ordinal), second.Out);
        Assert.Contains("example.com/mod", second.Out);
    }

    [Fact]
    public void The_installed_package_runs_from_any_folder_with_its_bundled_packs()
    {
        var version = fixture.InstalledVersion;
        // The tool that runs is the package just packed, not a cached one.
        var store = Path.Combine(fixture.Tools, ".store", "gobuildrules", version);
        Assert.True(Directory.Exists(store), $"the installed package is not the one just packed ({version})");
        // On linux-x64 the precompiled (ReadyToRun) platform package is the one installed.
        if (System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64")
        {
            Assert.True(Directory.Exists(Path.Combine(store, "gobuildrules.linux-x64")), "the linux-x64 package was not chosen");
        }

        fixture.Temp.Write("elsewhere/go.mod", "module example.com/elsewhere\n\ngo 1.19\n");
        var tool = Path.Combine(fixture.Tools, "gobuildrules");
        var list = Tool(tool, fixture.Temp.Combine("elsewhere"), "rules", "list");
        Assert.True(list.Code == 0, list.Out);
        var bundled = Directory.GetDirectories(Path.Combine(RepoPaths.Root(), "plugins"))
            .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0)
            .Select(Path.GetFileName).ToList();
        Assert.All(bundled, id => Assert.Contains(id!, list.Out));

        var scan = Tool(tool, fixture.Temp.Combine("elsewhere"), "scan", "--offline", "--fail-on", "never");
        Assert.True(scan.Code == 0, scan.Out);
        Assert.Contains("example.com/elsewhere", scan.Out);
        Assert.DoesNotContain("not loaded", scan.Out);
    }

    [Fact]
    public void An_unknown_option_is_refused()
    {
        var run = QuickstartFixture.Quickstart(fixture.Temp.Path, "--tool-pth", fixture.Temp.Combine("other-tools"));
        Assert.Equal(2, run.Code);
        Assert.Contains("unknown option --tool-pth", run.Out);
    }

    private static (int Code, string Out) Tool(string tool, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        return QuickstartFixture.Run(psi, TimeSpan.FromMinutes(5));
    }
}
