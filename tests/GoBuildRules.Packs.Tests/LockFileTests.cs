using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packs.Tests;

public sealed class LockFileTests
{
    [Fact]
    public void Round_trips_and_keeps_packs_sorted_by_id()
    {
        using var temp = new TempFolder();
        var lockFile = new LockFile()
            .With(new LockedPack("Zeta.Pack", "1.0.0", "aGFzaDE=", null, []))
            .With(new LockedPack("Alpha.Pack", "2.0.0", "aGFzaDI+", "https://feed.example/v3/index.json", [new LockedPackage("Alpha.Dep", "1.0.0", "ZGVw")]))
            .With(new LockedPack("zeta.pack", "1.1.0", "aGFzaDM=", null, []));
        lockFile.Save(temp.Path);

        var text = File.ReadAllText(LockFile.PathIn(temp.Path));
        Assert.Contains("\"sha512\": \"aGFzaDI+\"", text);
        var read = LockFile.Load(temp.Path);
        Assert.Equal(["Alpha.Pack", "zeta.pack"], read.Packs.Select(p => p.Id));
        Assert.Equal("1.1.0", read.Find("ZETA.PACK")!.Version);
        Assert.Equal("Alpha.Dep", Assert.Single(read.Find("Alpha.Pack")!.Dependencies).Id);
        Assert.Empty(read.Without("Alpha.Pack").Without("Zeta.Pack").Packs);
    }

    [Fact]
    public void A_future_lock_format_is_refused()
    {
        using var temp = new TempFolder();
        temp.Write(LockFile.FileName, """{ "version": 9, "packs": [] }""");
        var e = Assert.Throws<PackException>(() => LockFile.Load(temp.Path));
        Assert.Contains("version 9", e.Message);
    }

    [Fact]
    public void No_file_is_an_empty_lock() => Assert.Empty(LockFile.Load(Path.GetTempPath() + Guid.NewGuid()).Packs);
}
