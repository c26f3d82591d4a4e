using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Rules.Cgo.Facts;

namespace GoBuildRules.Rules.Cgo.Tests;

public sealed class BuildConstraintsTests
{
    private static readonly BuildContext LinuxAmd64 = new("linux", "amd64", CgoEnabled: true, GoMinor: 19);

    [Theory]
    [InlineData("a.go", true)]
    [InlineData("a_linux.go", true)]
    [InlineData("a_windows.go", false)]
    [InlineData("a_linux_arm64.go", false)]
    [InlineData("a_linux_amd64_test.go", true)]
    [InlineData("a_amd64.go", true)]
    [InlineData("a_unix.go", true)]
    [InlineData("linux.go", true)]
    public void File_name_suffixes(string name, bool matches) => Assert.Equal(matches, BuildConstraints.MatchFileName(name, LinuxAmd64));

    [Theory]
    [InlineData("linux && cgo", true)]
    [InlineData("!cgo", false)]
    [InlineData("(darwin || windows) && amd64", false)]
    [InlineData("unix && !android", true)]
    [InlineData("go1.18 && !go1.20", true)]
    [InlineData("customtag", false)]
    [InlineData("linux &&", null)]
    public void Go_build_expressions(string expression, bool? value) => Assert.Equal(value, BuildConstraints.TryEvaluate(expression, LinuxAmd64));

    [Theory]
    [InlineData("linux,amd64", true)]
    [InlineData("darwin linux", true)]
    [InlineData("!windows", true)]
    [InlineData("windows,amd64", false)]
    [InlineData("darwin && arm64", false)]
    public void Cgo_line_conditions(string condition, bool matches) => Assert.Equal(matches, BuildConstraints.MatchCondition(condition, LinuxAmd64));

    [Fact]
    public void Plus_build_lines_are_anded_and_skipped_when_go_build_is_present()
    {
        var both = new CgoGoFile("a.go", 3) { PlusBuild = ["linux darwin", "arm64"] };
        Assert.False(BuildConstraints.MatchFile(both, LinuxAmd64));
        Assert.True(BuildConstraints.MatchFile(both with { GoBuild = "linux" }, LinuxAmd64));
    }

    [Fact]
    public void Android_counts_as_linux_and_ios_as_darwin()
    {
        Assert.True(BuildConstraints.MatchTag("linux", new BuildContext("android", "arm64", true, 21)));
        Assert.True(BuildConstraints.MatchTag("darwin", new BuildContext("ios", "arm64", true, 21)));
    }

    [Theory]
    [InlineData("x86_64-linux-gnu", "linux", "amd64", true)]
    [InlineData("x86_64-pc-linux-gnu", "linux", "arm64", false)]
    [InlineData("aarch64-linux-gnu", "linux", "arm64", true)]
    [InlineData("arm-linux-gnueabihf", "linux", "arm", true)]
    [InlineData("aarch64-linux-android", "linux", "arm64", false)]
    [InlineData("x86_64-w64-mingw32", "windows", "amd64", true)]
    [InlineData("x86_64-linux-gnu", "windows", "amd64", false)]
    [InlineData("arm64-apple-darwin23.1.0", "darwin", "arm64", true)]
    public void Triples_against_targets(string triple, string goos, string goarch, bool matches) =>
        Assert.Equal(matches, Triples.Matches(triple, goos, goarch));

    [Fact]
    public void Unknown_targets_cannot_be_judged() => Assert.Null(Triples.Matches("x86_64-linux-gnu", "plan9", "amd64"));
}
