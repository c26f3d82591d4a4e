using GoBuildRules.Rules.Vendor.Collection;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Vendor.Tests;

public sealed class TreeWalkerTests
{
    private static readonly TreeWalker.Budget Generous = new(1_000_000, TimeSpan.FromSeconds(30));

    [Fact]
    public void Counts_vendor_node_modules_and_testdata_and_skips_dot_git()
    {
        using var repo = new TempFolder("gbvnd-walk");
        for (var i = 0; i < 5; i++) Directory.CreateDirectory(repo.Combine("vendor", "m" + i, "sub"));
        for (var i = 0; i < 3; i++) Directory.CreateDirectory(repo.Combine("web", "node_modules", "p" + i));
        Directory.CreateDirectory(repo.Combine("pkg", "testdata", "x"));
        for (var i = 0; i < 7; i++) Directory.CreateDirectory(repo.Combine(".git", "objects", "o" + i));
        repo.Write("main.go", "package main\n");

        var tree = TreeWalker.Walk(repo.Path, Generous, CancellationToken.None);

        // root + vendor(1+5+5) + web(1) + node_modules(1+3) + pkg(1) + testdata(1+1); the root's .git not at all
        Assert.Equal(1 + 11 + 1 + 4 + 3, tree.Directories);
        Assert.Equal(11, tree.VendorDirectories);
        Assert.Equal(4, tree.NodeModulesDirectories);
        Assert.Equal(2, tree.TestdataDirectories);
        Assert.Contains(tree.Largest, l => l.Path == "web/node_modules" && l.Directories == 4);
        Assert.False(tree.Truncated);
    }

    [Fact]
    public void Symlink_loops_are_never_followed()
    {
        using var repo = new TempFolder("gbvnd-loop");
        Directory.CreateDirectory(repo.Combine("a", "b"));
        Directory.CreateSymbolicLink(repo.Combine("a", "b", "up"), repo.Path);
        Directory.CreateSymbolicLink(repo.Combine("a", "self"), repo.Combine("a"));

        // TempFolder's cleanup skips links, so the loop is left in place for it.
        var tree = TreeWalker.Walk(repo.Path, Generous, CancellationToken.None);

        // root, a, a/b: the links (to the root and to a itself) are neither counted nor entered.
        Assert.Equal(3, tree.Directories);
        Assert.False(tree.Truncated);
    }

    [Fact]
    public void The_entry_budget_cuts_the_walk_short_and_says_so()
    {
        using var repo = new TempFolder("gbvnd-budget");
        for (var i = 0; i < 3000; i++) Directory.CreateDirectory(repo.Combine("vendor", "m" + (i / 100), "p" + i));

        var tree = TreeWalker.Walk(repo.Path, new TreeWalker.Budget(1024, TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.True(tree.Truncated);
        Assert.Contains("entry budget", tree.TruncatedBy);
        Assert.True(tree.Directories < 3000, $"walk counted {tree.Directories} directories past its budget");
    }
}
