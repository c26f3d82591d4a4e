using GoBuildRules.Tests.Shared;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.Cgo.Tests;

public sealed class CgoFixtureTests : PackFixtureTests<CgoPack>
{
    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_finding_has_evidence_a_location_and_fixes(string name)
    {
        var @case = PackFixtures.CasesFor(Pack, Fixtures).Single(c => c.ToString() == name);
        foreach (var finding in Replay(@case.RuleId, @case.File))
        {
            Assert.NotEmpty(finding.Evidence);
            Assert.NotNull(finding.Location);
            Assert.NotEmpty(finding.Fixes);
            Assert.All(finding.Fixes, f => Assert.False(string.IsNullOrWhiteSpace(f.Command ?? f.Edit), $"{f.Title} has nothing to run or edit"));
        }
    }

    [Fact]
    public void Missing_cc_is_an_error_at_the_import_line_when_the_module_uses_cgo()
    {
        var finding = Assert.Single(Replay("GBCGO001", "positive-cc-not-found.json"));
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(new Location("main.go", 5), finding.Location);
        Assert.Contains("main.go:5", finding.Message);
        Assert.Contains("/nonexistent/gcc", finding.Message);
        // gcc is installed: pointing CC at it comes before anything riskier.
        Assert.Equal("export CC=/usr/bin/gcc", finding.Fixes[0].Command);
        Assert.Contains(finding.Fixes, f => f.Command == "CGO_ENABLED=0 go build -o /dev/null ./...");
    }

    [Fact]
    public void Missing_cc_without_cgo_files_is_a_warning_at_go_mod_that_explains_net_and_os_user()
    {
        var finding = Assert.Single(Replay("GBCGO001", "positive-no-cgo-files-warning.json"));
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(new Location("go.mod", 3), finding.Location);
        Assert.Contains("net and os/user", finding.Message);
        var off = Assert.Single(finding.Fixes, f => f.Command == "go env -w CGO_ENABLED=0");
        Assert.Contains("DNS resolver", off.Risk);
        Assert.Contains(finding.Fixes, f => f.Command == "sudo apt-get install -y gcc");
    }

    [Fact]
    public void Silently_disabled_cgo_names_the_build_constraints_symptom()
    {
        var finding = Assert.Single(Replay("GBCGO002", "positive-go121-no-compiler.json"));
        Assert.Contains("build constraints exclude all Go files", finding.Message);
        Assert.Contains("\"gcc\" is not on PATH", finding.Message);
        // The install removes the cause; the one-off build that only confirms it comes last.
        Assert.Equal("sudo apt-get install -y gcc", finding.Fixes[0].Command);
        Assert.Equal("go env -w CGO_ENABLED=1", finding.Fixes[1].Command);
        Assert.Equal("CGO_ENABLED=1 go build -o /dev/null ./...", finding.Fixes[^1].Command);
    }

    [Fact]
    public void Silently_disabled_cgo_explains_that_go_checks_its_default_not_cc_from_the_go_env_file()
    {
        var finding = Assert.Single(Replay("GBCGO002", "positive-go121-cc-from-go-env-file-but-no-gcc.json"));
        Assert.Contains("default C compiler \"gcc\" is not on PATH", finding.Message);
        Assert.Contains("CC=clang from the go env file", finding.Message);
        // CGO_ENABLED set on purpose makes go use CC from the go env file instead of looking for gcc.
        Assert.Equal("go env -w CGO_ENABLED=1", finding.Fixes[0].Command);
        Assert.DoesNotContain(finding.Fixes, f => f.Command == "export CC=clang");
    }

    [Fact]
    public void Cross_compile_mismatch_says_cc_for_target_is_only_read_by_make_bash()
    {
        var finding = Assert.Single(Replay("GBCGO003", "positive-arm64-with-host-gcc.json"));
        Assert.Contains("x86_64-linux-gnu", finding.Message);
        Assert.Contains("only make.bash reads it", finding.Message);
        Assert.StartsWith("CC=aarch64-linux-gnu-gcc ", finding.Fixes[0].Command);
        Assert.Contains(finding.Fixes, f => f.Command!.Contains("zig cc -target aarch64-linux-gnu"));
        Assert.DoesNotContain(finding.Fixes, f => f.Command!.Contains("CC_FOR_"));
    }

    [Fact]
    public void Cross_compile_mismatch_reads_the_target_from_a_zig_cc_value()
    {
        var finding = Assert.Single(Replay("GBCGO003", "positive-windows-zig-linux-target.json"));
        Assert.Contains(finding.Evidence, e => e.Name == "CC target" && e.Value.Contains("-target argument"));
    }

    [Fact]
    public void Disallowed_flag_reports_what_go_build_prints_at_the_cgo_line()
    {
        var finding = Assert.Single(Replay("GBCGO006", "positive-fplugin.json"));
        Assert.Equal(new Location("main.go", 3), finding.Location);
        Assert.Contains("invalid flag in #cgo CFLAGS: -fplugin=evil.so", finding.Message);
        Assert.Contains(finding.Fixes, f => f.Command == "go env -w CGO_CFLAGS_ALLOW='^-fplugin=evil\\.so$'");
    }

    [Fact]
    public void Disallowed_flag_in_vendor_says_it_comes_from_a_dependency()
    {
        var finding = Assert.Single(Replay("GBCGO006", "positive-vendored.json"));
        Assert.Contains("vendored dependency", finding.Message);
        Assert.Contains("invalid flag in #cgo LDFLAGS: -Wl,--plugin=x.so", finding.Message);
        Assert.Equal("go get example.org/dep@latest && go mod vendor", finding.Fixes[0].Command);
    }

    [Fact]
    public void Flag_refused_by_the_users_own_disallow_variable_offers_to_unset_it()
    {
        var finding = Assert.Single(Replay("GBCGO006", "positive-disallowed-by-user.json"));
        Assert.Contains("invalid flag in #cgo CFLAGS: -O3", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Name == "CGO_CFLAGS_DISALLOW" && e.Value.StartsWith("-O3"));
        Assert.Contains(finding.Fixes, f => f.Command == "unset CGO_CFLAGS_DISALLOW");
    }

    [Fact]
    public void Missing_cxx_points_at_the_cgo_file_of_the_package_with_cpp_sources()
    {
        var finding = Assert.Single(Replay("GBCGO004", "positive-gxx-missing.json"));
        Assert.Equal(new Location("lib/wrap.go", 6), finding.Location);
        Assert.Contains("lib/wrap.cc", finding.Evidence.Single(e => e.Name == "C++ sources").Value);
        Assert.Equal("sudo apt-get install -y g++", finding.Fixes[0].Command);
    }

    [Fact]
    public void Missing_command_line_tools_on_macos_recommends_xcode_select_install_first()
    {
        var finding = Assert.Single(Replay("GBCGO005", "positive-no-command-line-tools.json"));
        Assert.Equal("xcode-select --install", finding.Fixes[0].Command);
        Assert.Contains(finding.Evidence, e => e.Name == "xcode-select -p" && e.Value.Contains("unable to get active developer directory"));
    }

    private static IReadOnlyList<Finding> Replay(string ruleId, string file)
    {
        var rule = RuleReplay.RulesOf(Pack).Single(r => r.Descriptor.Id == ruleId);
        return RuleReplay.Run(rule, Path.IsPathRooted(file) ? file : Path.Combine(Fixtures, ruleId, file));
    }
}
