using System.IO.Compression;
using GoBuildRules.Packs.Tests.Infrastructure;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packs.Tests;

public sealed class SafeArchiveTests
{
    [Theory]
    [InlineData("../evil.txt", 0, "path traversal")]
    [InlineData("lib/net10.0/..%2F..%2F..%2Fevil.txt", 0, "path traversal")]
    [InlineData("/etc/evil.txt", 0, "absolute path")]
    [InlineData("C:/evil.txt", 0, "absolute path")]
    [InlineData("lib/net10.0/link", 0xA1FF, "symbolic link")]
    [InlineData("lib/net10.0/fifo", 0x11B6, "not a regular file")]
    public void Unsafe_entries_refuse_the_whole_package(string entry, int mode, string why)
    {
        using var temp = new TempFolder();
        var file = Nupkg.Write(temp.Path, "Evil.Pack", "1.0.0", [(entry, "x", mode)]);
        using var zip = ZipFile.OpenRead(file);
        var e = Assert.Throws<PackRefusedException>(() => SafeArchive.Validate(zip, "Evil.Pack 1.0.0"));
        Assert.Contains(why, e.Message);
        Assert.Contains(entry, e.Message);
    }

    [Fact]
    public void A_clean_package_extracts_without_packaging_metadata()
    {
        using var temp = new TempFolder();
        var file = Nupkg.Write(temp.Path, "Good.Pack", "1.0.0", [("[Content_Types].xml", "<Types/>", 0), ("_rels/.rels", "<r/>", 0), ("lib/net10.0/de/Good.Pack.resources.dll", "x", 0x81A4)]);
        using var zip = ZipFile.OpenRead(file);
        var entries = SafeArchive.Validate(zip, "Good.Pack 1.0.0");
        SafeArchive.Extract(entries, temp.Combine("out"), "Good.Pack 1.0.0");

        Assert.True(File.Exists(temp.Combine("out", "Good.Pack.nuspec")));
        Assert.True(File.Exists(temp.Combine("out", "lib", "net10.0", "de", "Good.Pack.resources.dll")));
        Assert.False(File.Exists(temp.Combine("out", "[Content_Types].xml")));
        Assert.False(Directory.Exists(temp.Combine("out", "_rels")));
    }
}
