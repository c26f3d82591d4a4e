using System.IO.Compression;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// Real pack packages made in a test without `dotnet pack`: a first-party pack's published
/// assembly under a nuspec of package type GoBuildRulesPack, at a version of the test's choice.
/// </summary>
public static class Packages
{
    public static readonly string[] Bundled = ["GoBuildRules.Rules.Toolchain", "GoBuildRules.Rules.Vendor", "GoBuildRules.Rules.Ide"];

    public static string Make(string feed, string id, string version)
    {
        Directory.CreateDirectory(feed);
        var file = Path.Combine(feed, $"{id}.{version}.nupkg");
        using var zip = ZipFile.Open(file, ZipArchiveMode.Create);
        var nuspec = zip.CreateEntry($"{id}.nuspec");
        using (var writer = new StreamWriter(nuspec.Open()))
        {
            writer.Write($"""
                <?xml version="1.0" encoding="utf-8"?>
                <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
                  <metadata>
                    <id>{id}</id>
                    <version>{version}</version>
                    <authors>hardening tests</authors>
                    <description>A pack for the hardening tests.</description>
                    <packageTypes><packageType name="GoBuildRulesPack" /></packageTypes>
                  </metadata>
                </package>
                """);
        }

        var dll = Path.Combine(Cli.ToolDirectory, "packs", id, "lib", "net10.0", id + ".dll");
        zip.CreateEntryFromFile(dll, $"lib/net10.0/{id}.dll");
        return file;
    }
}
