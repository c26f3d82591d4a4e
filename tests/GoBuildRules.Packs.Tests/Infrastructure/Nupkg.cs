using System.IO.Compression;
using System.Text;

namespace GoBuildRules.Packs.Tests.Infrastructure;

/// <summary>Hand-made packages: the hostile ones no `dotnet pack` would produce.</summary>
public static class Nupkg
{
    public static string Nuspec(string id, string version, string packageType = "GoBuildRulesPack") => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
          <metadata>
            <id>{id}</id>
            <version>{version}</version>
            <authors>tests</authors>
            <description>hand-made test package</description>
            <packageTypes><packageType name="{packageType}" /></packageTypes>
          </metadata>
        </package>
        """;

    /// <summary>Writes {folder}/{id}.{version}.nupkg with a nuspec, a dummy pack assembly and <paramref name="extra"/> entries.</summary>
    /// <param name="extra">Entry name, content, and Unix mode bits (0 for none; 0xA1FF for a symbolic link).</param>
    public static string Write(string folder, string id, string version, IEnumerable<(string Name, string Content, int UnixMode)> extra)
    {
        var file = Path.Combine(folder, $"{id}.{version}.nupkg");
        using var zip = ZipFile.Open(file, ZipArchiveMode.Create);
        Add(zip, $"{id}.nuspec", Nuspec(id, version), 0);
        Add(zip, $"lib/net10.0/{id}.dll", "not really an assembly", 0);
        foreach (var (name, content, mode) in extra)
        {
            Add(zip, name, content, mode);
        }

        return file;
    }

    /// <summary>Copies a package and adds one harmless entry: same id and version, other bytes.</summary>
    public static void Tamper(string source, string destination)
    {
        File.Copy(source, destination, overwrite: true);
        using var zip = ZipFile.Open(destination, ZipArchiveMode.Update);
        Add(zip, "tampered.txt", "changed after the lock was written", 0);
    }

    private static void Add(ZipArchive zip, string name, string content, int unixMode)
    {
        var entry = zip.CreateEntry(name);
        if (unixMode != 0)
        {
            entry.ExternalAttributes = unixMode << 16;
        }

        using var stream = entry.Open();
        stream.Write(Encoding.UTF8.GetBytes(content));
    }
}
