using GoBuildRules.Core.Workspace;

namespace GoBuildRules.Core.Tests;

public sealed class GoModParserTests
{
    private const string GoMod = """
        // A comment before the module line.
        module "example.com/app" // trailing comment

        go 1.21.5

        toolchain go1.22.3

        require (
            github.com/pkg/errors v0.9.1
            golang.org/x/sys v0.15.0 // indirect
        )

        require gitlab.corp.example/team/lib v1.2.3

        replace gitlab.corp.example/team/lib v1.2.3 => ../lib
        replace (
            golang.org/x/net => golang.org/x/net v0.19.0
        )
        exclude github.com/bad/mod v1.0.0
        """;

    [Fact]
    public void Reads_directives_with_their_lines()
    {
        var (file, problems) = GoModParser.Parse("go.mod", GoMod);

        Assert.Empty(problems);
        Assert.Equal("example.com/app", file.Module);
        Assert.Equal(2, file.ModuleLine);
        Assert.Equal(("1.21.5", 4), (file.Go, file.GoLine));
        Assert.Equal(("go1.22.3", 6), (file.Toolchain, file.ToolchainLine));
        Assert.Collection(file.Requires,
            r => Assert.Equal(("github.com/pkg/errors", "v0.9.1", 9, false), (r.Path, r.Version, r.Line, r.Indirect)),
            r => Assert.Equal(("golang.org/x/sys", "v0.15.0", 10, true), (r.Path, r.Version, r.Line, r.Indirect)),
            r => Assert.Equal(("gitlab.corp.example/team/lib", 13), (r.Path, r.Line)));
        Assert.Collection(file.Replaces,
            r => Assert.Equal(("gitlab.corp.example/team/lib", "v1.2.3", "../lib", (string?)null), (r.OldPath, r.OldVersion, r.NewPath, r.NewVersion)),
            r => Assert.Equal(("golang.org/x/net", (string?)null, "golang.org/x/net", "v0.19.0"), (r.OldPath, r.OldVersion, r.NewPath, r.NewVersion)));
        Assert.Equal("github.com/bad/mod", Assert.Single(file.Excludes).Path);
    }

    [Fact]
    public void Reports_malformed_directives_with_their_line()
    {
        var (_, problems) = GoModParser.Parse("go.mod", "module m\n\nrequire github.com/x\nreplace a =>\nrequire (\n");

        Assert.Contains(problems, p => p.Line == 3 && p.Message.Contains("require"));
        Assert.Contains(problems, p => p.Line == 4 && p.Message.Contains("replace"));
        Assert.Contains(problems, p => p.Message.Contains("unterminated"));
    }

    [Fact]
    public void Go_work_uses_and_go_sum_entries_are_read()
    {
        var (work, workProblems) = GoWorkParser.Parse("../go.work", "go 1.22\n\nuse (\n\t./app\n\t../lib\n)\n");
        Assert.Empty(workProblems);
        Assert.Equal(["./app", "../lib"], work.Uses.Select(u => u.Path));
        Assert.Equal(4, work.Uses[0].Line);

        var (sum, sumProblems) = GoSumParser.Parse("go.sum", "github.com/pkg/errors v0.9.1 h1:FEBLx1zS214owpjy7qsBeixbURkuhQAwrK5UwLGTwt4=\ngithub.com/pkg/errors v0.9.1/go.mod h1:bwawxfHBFNV+L2hUp1rHADufV3IMtnDRdf1r5NINEl0=\nbroken line\n");
        Assert.Equal(2, sum.Entries.Count);
        Assert.Equal("v0.9.1/go.mod", sum.Entries[1].Version);
        Assert.Equal(3, Assert.Single(sumProblems).Line);
    }

    [Fact]
    public void Vendor_modules_txt_is_read_with_markers_and_replacements()
    {
        var vendor = VendorModulesParser.Parse("vendor/modules.txt", """
            # github.com/pkg/errors v0.9.1
            ## explicit
            github.com/pkg/errors
            # golang.org/x/sys v0.15.0 => ../sys
            ## explicit; go 1.18
            golang.org/x/sys/unix
            golang.org/x/sys/cpu
            """);

        Assert.Collection(vendor.Modules,
            m => Assert.Equal(("github.com/pkg/errors", "v0.9.1", true, 1), (m.Path, m.Version, m.Explicit, m.Line)),
            m =>
            {
                Assert.Equal(("golang.org/x/sys", "1.18", "../sys"), (m.Path, m.GoVersion, m.Replacement));
                Assert.Equal(["golang.org/x/sys/unix", "golang.org/x/sys/cpu"], m.Packages);
            });
    }
}
