using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packs.Tests;

public sealed class PackStoreTests
{
    private static StoredPack Pack(string version) => new("Contoso.GoPolicy", version, "c2hh", "feed", "1.0.0.0", [], DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_folder_without_the_marker_is_not_installed()
    {
        using var temp = new TempFolder();
        var store = new PackStore(temp.Path);
        // What an install killed after extraction but before commit would leave behind, if it had used the final folder.
        Directory.CreateDirectory(Path.Combine(store.FolderOf("Contoso.GoPolicy", "1.0.0"), "lib", "net10.0"));

        Assert.Null(store.Get("Contoso.GoPolicy", "1.0.0"));
        Assert.Empty(store.List());
    }

    [Fact]
    public void Commit_moves_a_verified_folder_into_place_and_replaces_an_older_copy()
    {
        using var temp = new TempFolder();
        var store = new PackStore(temp.Path);
        foreach (var content in new[] { "first", "second" })
        {
            var extracted = store.NewTempFolder();
            Directory.CreateDirectory(Path.Combine(extracted, "lib", "net10.0"));
            File.WriteAllText(Path.Combine(extracted, "lib", "net10.0", "Contoso.GoPolicy.dll"), content);
            var committed = store.Commit(extracted, Pack("1.0.0"));
            Assert.Equal(store.FolderOf("Contoso.GoPolicy", "1.0.0"), committed.Folder);
            Assert.False(Directory.Exists(extracted));
        }

        Assert.Equal("second", File.ReadAllText(Path.Combine(store.FolderOf("Contoso.GoPolicy", "1.0.0"), "lib", "net10.0", "Contoso.GoPolicy.dll")));
        Assert.Equal("c2hh", store.Get("contoso.gopolicy", "1.0.0")!.Sha512);
        Assert.Equal(store.PacksRoot, Path.GetDirectoryName(Path.GetDirectoryName(Assert.Single(store.List()).Folder)));
        Assert.True(store.Remove("Contoso.GoPolicy", "1.0.0"));
        Assert.Empty(store.List());
        Assert.False(Directory.Exists(Path.Combine(store.PacksRoot, "contoso.gopolicy")));
    }
}
