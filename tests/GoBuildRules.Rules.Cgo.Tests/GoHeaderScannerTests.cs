using GoBuildRules.Rules.Cgo.Collection;

namespace GoBuildRules.Rules.Cgo.Tests;

public sealed class GoHeaderScannerTests
{
    [Fact]
    public void Line_comment_preamble_gives_directives_with_their_lines()
    {
        var h = GoHeaderScanner.Scan("""
            //go:build linux && cgo

            // Package sqlite wraps libsqlite3.
            package sqlite

            import "fmt"

            // #cgo CFLAGS: -DSQLITE_THREADSAFE=1 -I${SRCDIR}/include
            // #cgo linux,amd64 LDFLAGS: -lsqlite3 "-L/opt/my lib"
            // #include <sqlite3.h>
            import "C"

            func Open() {}
            """);
        Assert.Equal("sqlite", h.Package);
        Assert.Equal("linux && cgo", h.GoBuild);
        Assert.Equal(11, h.ImportCLine);
        Assert.Equal(2, h.Directives.Count);
        var cflags = h.Directives[0];
        Assert.Equal((8, "CFLAGS"), (cflags.Line, cflags.Verb));
        Assert.Equal(["-DSQLITE_THREADSAFE=1", "-I${SRCDIR}/include"], cflags.Arguments);
        var ldflags = h.Directives[1];
        Assert.Equal(9, ldflags.Line);
        Assert.Equal(["linux,amd64"], ldflags.Conditions);
        Assert.Equal(["-lsqlite3", "-L/opt/my lib"], ldflags.Arguments);
    }

    [Fact]
    public void Block_comment_preamble_keeps_source_line_numbers()
    {
        var h = GoHeaderScanner.Scan("package p\n\n/*\n#include <stdio.h>\n#cgo LDFLAGS: -lm\n*/\nimport \"C\"\n");
        Assert.Equal(7, h.ImportCLine);
        var d = Assert.Single(h.Directives);
        Assert.Equal((5, "LDFLAGS"), (d.Line, d.Verb));
    }

    [Fact]
    public void A_blank_line_detaches_the_comment_so_there_is_no_preamble()
    {
        var h = GoHeaderScanner.Scan("package p\n\n// #cgo LDFLAGS: -lm\n\nimport \"C\"\n");
        Assert.Equal(5, h.ImportCLine);
        Assert.Empty(h.Directives);
    }

    [Fact]
    public void Grouped_import_of_C_is_found_with_its_own_doc_comment()
    {
        var h = GoHeaderScanner.Scan("package p\n\nimport (\n\t\"os\"\n\t// #cgo CFLAGS: -O2\n\t\"C\"\n)\n");
        Assert.Equal(6, h.ImportCLine);
        Assert.Equal(5, Assert.Single(h.Directives).Line);
    }

    [Fact]
    public void Files_without_import_C_or_with_C_only_in_code_are_not_cgo()
    {
        Assert.Null(GoHeaderScanner.Scan("package p\n\nimport \"fmt\"\n\nfunc f() { fmt.Println(\"C\") }\n").ImportCLine);
        Assert.Null(GoHeaderScanner.Scan("package p\n\n// import \"C\"\nimport \"fmt\"\n").ImportCLine);
        Assert.Null(GoHeaderScanner.Scan("package p\n\nvar s = `\nimport \"C\"\n`\n").ImportCLine);
    }

    [Fact]
    public void Legacy_plus_build_lines_are_kept()
    {
        var h = GoHeaderScanner.Scan("// +build linux darwin\n// +build cgo\n\npackage p\n\nimport \"C\"\n");
        Assert.Null(h.GoBuild);
        Assert.Equal(["linux darwin", "cgo"], h.PlusBuild);
    }

    [Theory]
    [InlineData("#cgo CFLAGS -O2", "invalid #cgo line: no ':' after the verb")]
    [InlineData("#cgo CFLAGS: \"-O2", "invalid #cgo line: unclosed quote")]
    public void Broken_directives_carry_go_builds_complaint(string line, string error) =>
        Assert.Equal(error, GoHeaderScanner.ParseDirective(line, 1)?.Error);

    [Theory]
    [InlineData("#include <stdio.h>")]
    [InlineData("#cgoCFLAGS: -O2")]
    [InlineData("#cgo noescape myfunc")]
    public void Other_preamble_lines_are_not_directives(string line) => Assert.Null(GoHeaderScanner.ParseDirective(line, 1));

    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("'a b' \"c d\"", new[] { "a b", "c d" })]
    [InlineData("a\\ b", new[] { "a b" })]
    [InlineData("''", new[] { "" })]
    public void SplitQuoted_splits_like_go_build(string input, string[] expected) =>
        Assert.Equal(expected, GoHeaderScanner.SplitQuoted(input).Args);
}
