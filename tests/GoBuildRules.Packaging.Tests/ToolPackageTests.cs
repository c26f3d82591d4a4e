using System.Diagnostics;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packaging.Tests;

/// <summary>
/// The tool as a user gets it: `dotnet pack`, `dotnet tool install --tool-path` from that folder
/// feed, then `gobuildrules` run from an unrelated folder with the first-party packs inside it.
/// </summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly TempFolder temp = new("toolpkg");

    private static (int Code, string Out) Run(string file, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} timed out");
        }

        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Packed_tool_installs_and_scans_from_any_folder_with_its_bundled_packs()
    {
        var feed = temp.Combine("feed");
        // A package version of its own: NuGet caches packages by id and version, and would install an older
        // build. PackageVersion, not Version: the pack rebuilds the tool and the SDK in place, and the other
        // test projects run that build (the SDK must keep its own version).
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
        var pack = Run("dotnet", RepoPaths.Root(), "pack", "src/GoBuildRules.Cli", "-c", Cli.Configuration, "-o", feed, "--nologo", $"-p:PackageVersion={version}");
        Assert.True(pack.Code == 0, pack.Out);

        var install = Run("dotnet", temp.Path, "tool", "install", "gobuildrules", "--version", version, "--tool-path", temp.Combine("tools"), "--add-source", feed);
        Assert.True(install.Code == 0, install.Out);

        temp.Write("elsewhere/go.mod", "module example.com/elsewhere\n\ngo 1.19\n");
        var tool = temp.Combine("tools", "gobuildrules");
        var list = Run(tool, temp.Combine("elsewhere"), "rules", "list");
        Assert.True(list.Code == 0, list.Out);
        // The tool that runs is the package just packed, not a cached one.
        Assert.True(Directory.Exists(temp.Combine("tools", ".store", "gobuildrules", version)), "the installed package is not the one just packed");
        // On linux-x64 the precompiled (ReadyToRun) platform package is the one installed.
        if (System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64")
        {
            Assert.True(Directory.Exists(temp.Combine("tools", ".store", "gobuildrules", version, "gobuildrules.linux-x64")), "the linux-x64 package was not chosen");
        }
        var bundled = Directory.GetDirectories(Path.Combine(RepoPaths.Root(), "plugins"))
            .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0)
            .Select(Path.GetFileName).ToList();
        Assert.All(bundled, id => Assert.Contains(id!, list.Out));

        var scan = Run(tool, temp.Combine("elsewhere"), "scan", "--offline", "--fail-on", "never");
        Assert.True(scan.Code == 0, scan.Out);
        Assert.Contains("example.com/elsewhere", scan.Out);
        Assert.DoesNotContain("not loaded", scan.Out);
    }

    public void Dispose() => temp.Dispose();
}
