using GoBuildRules.Core.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Core.Tests;

/// <summary>The scan's one repository walk, on real trees.</summary>
public sealed class RepositoryWalkerTests
{
    private static readonly RepositoryWalkBudget Generous = new(1_000_000, TimeSpan.FromSeconds(30));

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Counts_vendor_node_modules_and_testdata_and_skips_dot_git(int workers)
    {
        using var repo = new TempFolder("gbr-walk");
        for (var i = 0; i < 5; i++) Directory.CreateDirectory(repo.Combine("vendor", "m" + i, "sub"));
        for (var i = 0; i < 3; i++) Directory.CreateDirectory(repo.Combine("web", "node_modules", "p" + i));
        Directory.CreateDirectory(repo.Combine("pkg", "testdata", "x"));
        for (var i = 0; i < 7; i++) Directory.CreateDirectory(repo.Combine(".git", "objects", "o" + i));
        repo.Write("main.go", "package main\n");
        repo.Write("web/node_modules/p0/index.js", "");
        repo.Write("vendor/m0/sub/a.go", "package sub\n");

        var tree = RepositoryWalker.Walk(repo.Path, Generous, workers, CancellationToken.None);

        // root + vendor(1+5+5) + web(1) + node_modules(1+3) + pkg(1) + testdata(1+1); the root's .git not at all
        Assert.Equal(1 + 11 + 1 + 4 + 3, tree.Directories);
        Assert.Equal(new SubtreeSize("vendor", 11, 1), tree.Vendor);
        Assert.Equal(4, tree.NodeModulesDirectories);
        Assert.Equal(new SubtreeSize("web/node_modules", 4, 1), Assert.Single(tree.NodeModules));
        Assert.Equal(2, tree.TestdataDirectories);
        Assert.Equal(3, tree.Files);
        Assert.Equal(2, tree.FilesByKind[FileKinds.Go]);
        Assert.Equal(new SubtreeSize("vendor", 11, 1), tree.Largest[0]);
        Assert.False(tree.Truncated);
    }

    [Fact]
    public void Symlink_loops_are_never_followed()
    {
        using var repo = new TempFolder("gbr-loop");
        Directory.CreateDirectory(repo.Combine("a", "b"));
        Directory.CreateSymbolicLink(repo.Combine("a", "b", "up"), repo.Path);
        Directory.CreateSymbolicLink(repo.Combine("a", "self"), repo.Combine("a"));

        // TempFolder's cleanup skips links, so the loop is left in place for it.
        var tree = RepositoryWalker.Walk(repo.Path, Generous, CancellationToken.None);

        // root, a, a/b: the links (to the root and to a itself) are neither counted nor entered.
        Assert.Equal(3, tree.Directories);
        Assert.False(tree.Truncated);
    }

    [Fact]
    public void The_entry_budget_cuts_the_walk_short_and_says_so()
    {
        using var repo = new TempFolder("gbr-budget");
        for (var i = 0; i < 3000; i++) Directory.CreateDirectory(repo.Combine("vendor", "m" + (i / 100), "p" + i));

        var tree = RepositoryWalker.Walk(repo.Path, new RepositoryWalkBudget(1024, TimeSpan.FromSeconds(30)), CancellationToken.None);

        Assert.True(tree.Truncated);
        Assert.Contains("entry budget", tree.TruncatedBy);
        Assert.True(tree.Directories < 3000, $"walk counted {tree.Directories} directories past its budget");
    }

    /// <summary>
    /// Which folders count as go's own package walk sees them, checked against the real `go list ./...`:
    /// the packages go lists are exactly the index's folders holding .go files.
    /// </summary>
    [Fact]
    public void The_go_tree_follows_cmd_go_package_walk()
    {
        using var repo = new TempFolder("gbr-gotree");
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        repo.Write("main.go", "package main\n\nimport \"example.com/app/lib\"\n\nfunc main() { lib.F() }\n");
        repo.Write("lib/lib.go", "// Package lib.\npackage lib\n\n/*\n#include <stdio.h>\n*/\nimport (\n\t\"fmt\"\n\t\"C\"\n)\n\nfunc F() { fmt.Println() }\n");
        repo.Write("lib/helper.c", "int x;\n");
        repo.Write("lib/_skip.c", "int y;\n");
        repo.Write("lib/testdata/t.go", "package t\nimport \"C\"\n");
        repo.Write("_hidden/h.go", "package h\nimport \"C\"\n");
        repo.Write(".dot/d.go", "package d\nimport \"C\"\n");
        repo.Write("nested/go.mod", "module example.com/nested\n");
        repo.Write("nested/n.go", "package n\nimport \"C\"\n");
        repo.Write("strings/s.go", "package s\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint(\"C\")\nvar c = `C`\n");
        repo.Write("raw/r.go", "package r\nimport C2 `C`\n");
        Directory.CreateDirectory(repo.Combine("real"));
        repo.Write("real/x.go", "package x\n");
        Directory.CreateSymbolicLink(repo.Combine("linked"), repo.Combine("real"));

        var tree = RepositoryWalker.Walk(repo.Path, Generous, CancellationToken.None);

        Assert.Equal([new CgoFileRef("lib/lib.go", 9), new CgoFileRef("raw/r.go", 2)], tree.Go.CgoFiles);
        Assert.Equal([new NativeFileRef("lib/helper.c", FileKinds.C)], tree.Go.NativeSources);
        Assert.Equal(["nested"], tree.Go.NestedModules);

        using var home = new TempFolder("gbr-gotree-env");
        var env = GoEnvironment.Isolated(home, ["GOWORK", "GO111MODULE"], ("GOFLAGS", "-mod=mod"), ("GOPROXY", "off"), ("GOSUMDB", "off"), ("CGO_ENABLED", "1"));
        var list = GoToolchain.Run(repo.Path, env, TimeSpan.FromMinutes(2), "list", "-e", "-f", "{{.Dir}}", "./...");
        Assert.True(list.ExitCode == 0, list.Output);
        var goDirs = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith(repo.Path, StringComparison.Ordinal))
            .Select(l => l == repo.Path ? "." : Path.GetRelativePath(repo.Path, l).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([".", "lib", "raw", "real", "strings"], goDirs);
        // The index's go tree: the same five folders hold .go files, nothing of testdata, _hidden, .dot, nested or the link.
        Assert.Equal(goDirs.Count, tree.Go.Directories);
    }
}
