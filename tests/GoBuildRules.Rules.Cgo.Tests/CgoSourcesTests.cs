using GoBuildRules.Core.Collection;
using GoBuildRules.Rules.Cgo.Collection;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Cgo.Tests;

/// <summary>The pack's cgo facts from the scan's repository index (the real walk), not a walk of its own.</summary>
public sealed class CgoSourcesTests
{
    private const string CgoFile = "package p\n\n// #cgo LDFLAGS: -lm\nimport \"C\"\n";
    private const string PlainFile = "package p\n\nimport \"fmt\"\n\nvar _ = fmt.Sprint\n";

    private static readonly RepositoryWalkBudget Roomy = new(10_000, TimeSpan.FromSeconds(30));

    private static (RepositoryIndex Index, CgoSourceFacts Sources) Sources(string root, RepositoryWalkBudget budget, CancellationToken ct = default)
    {
        var index = RepositoryWalker.Walk(root, budget, ct);
        return (index, CgoSources.From(index, root, ct));
    }

    [Fact]
    public void Finds_cgo_files_and_native_sources_and_skips_what_go_skips()
    {
        using var tmp = new TempFolder("cgo-walk");
        tmp.Write("go.mod", "module example.com/m\n\ngo 1.19\n");
        tmp.Write("main.go", PlainFile);
        tmp.Write("db/db.go", CgoFile);
        tmp.Write("db/shim.c", "int x;\n");
        tmp.Write("db/shim.cc", "int y;\n");
        tmp.Write("db/shim.h", "int x;\n");
        tmp.Write("db/asm_amd64.s", "// Go assembly, not C\n");
        tmp.Write("testdata/t.go", CgoFile);
        tmp.Write(".git/hooks/h.go", CgoFile);
        tmp.Write("_attic/old.go", CgoFile);
        tmp.Write("db/_skip.go", CgoFile);
        tmp.Write("vendor/example.org/dep/dep.go", CgoFile);
        tmp.Write("vendor/example.org/dep/dep.c", "int z;\n");
        tmp.Write("tools/go.mod", "module example.com/tools\n");
        tmp.Write("tools/t.go", CgoFile);
        tmp.Write("empty.go", "");

        var (index, walk) = Sources(tmp.Path, Roomy);

        Assert.False(index.Truncated);
        Assert.Null(walk.CutShort);
        Assert.Equal(["db/db.go", "vendor/example.org/dep/dep.go"], walk.CgoFiles.Select(f => f.Path));
        var own = walk.CgoFiles[0];
        Assert.False(own.Vendor);
        Assert.Equal(4, own.ImportLine);
        Assert.Equal(3, Assert.Single(own.Directives).Line);
        Assert.True(walk.CgoFiles[1].Vendor);
        // The native sources and nested modules the Cgo rules read are the index's own.
        Assert.Equal(
            [("db/shim.c", FileKinds.C, false), ("db/shim.cc", FileKinds.Cxx, false), ("db/shim.h", FileKinds.Header, false), ("vendor/example.org/dep/dep.c", FileKinds.C, true)],
            index.Go.NativeSources.OrderBy(s => s.Path, StringComparer.Ordinal).Select(s => (s.Path, s.Kind, s.Vendor)));
        Assert.Equal(["tools"], index.Go.NestedModules);
    }

    [Fact]
    public void Symlinked_folders_are_not_followed_so_a_loop_cannot_trap_the_walk()
    {
        using var tmp = new TempFolder("cgo-walk");
        tmp.Write("a/a.go", CgoFile);
        var loop = Directory.CreateSymbolicLink(tmp.Combine("a", "loop"), tmp.Path);
        var alias = Directory.CreateSymbolicLink(tmp.Combine("b"), tmp.Combine("a"));
        RepositoryIndex index;
        CgoSourceFacts walk;
        try
        {
            (index, walk) = Sources(tmp.Path, Roomy);
        }
        finally
        {
            // TempFolder's clean-up follows links; remove them first so the loop cannot trap it.
            loop.Delete();
            alias.Delete();
        }

        Assert.Equal(["a/a.go"], walk.CgoFiles.Select(f => f.Path));
        Assert.False(index.Truncated);
    }

    [Fact]
    public void The_entry_cap_cuts_the_walk_and_says_so()
    {
        using var tmp = new TempFolder("cgo-walk");
        for (var i = 0; i < 30; i++) tmp.Write($"p{i:00}/f.go", CgoFile);

        var (index, walk) = Sources(tmp.Path, new RepositoryWalkBudget(10, TimeSpan.FromSeconds(30)));

        Assert.True(index.Truncated);
        Assert.Equal("entry budget of 10 entries", index.TruncatedBy);
        Assert.InRange(walk.CgoFiles.Count, 0, 29);
    }

    [Fact]
    public void A_cancelled_walk_stops_and_says_why()
    {
        using var tmp = new TempFolder("cgo-walk");
        tmp.Write("a.go", CgoFile);

        var (index, walk) = Sources(tmp.Path, Roomy, new CancellationToken(canceled: true));

        Assert.True(index.Truncated);
        Assert.Equal("scan's deadline", index.TruncatedBy);
        Assert.Empty(walk.CgoFiles);
    }

    [Fact]
    public void Native_sources_under_the_cap_are_all_listed_and_none_counted_as_left_over()
    {
        using var tmp = new TempFolder("cgo-walk");
        for (var i = 0; i < 7; i++) tmp.Write($"c{i}.c", "int x;\n");

        var (index, _) = Sources(tmp.Path, Roomy);

        Assert.Equal(7, index.Go.NativeSources.Count);
        Assert.Equal(0, index.Go.NativeSourcesNotListed);
    }
}
