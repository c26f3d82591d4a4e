using GoBuildRules.Rules.Cgo.Analysis;

namespace GoBuildRules.Rules.Cgo.Tests;

/// <summary>Cases taken from cmd/go/internal/work/security_test.go, so the port answers as go does.</summary>
public sealed class FlagSecurityTests
{
    private static readonly Dictionary<string, string> None = [];

    public static TheoryData<string> GoodCompilerFlags() => new(
        "-DFOO", "-Dfoo=bar", "-Ufoo", "-F/Qt", "-I/", "-I/etc/passwd", "-I.", "-O", "-O2", "-Osmall", "-W", "-Wall",
        "-Wp,-Dfoo=bar", "-Wp,-Ufoo", "-fobjc-arc", "-fno-objc-arc", "-fomit-frame-pointer", "-fno-omit-frame-pointer",
        "-fpic", "-fno-pic", "-fPIC", "-fno-PIC", "-fpie", "-fno-pie", "-fPIE", "-fno-PIE", "-fsplit-stack", "-fno-split-stack",
        "-fstack-xxx", "-fno-stack-xxx", "-fsanitize=hands", "-g", "-ggdb", "-march=souza", "-mcpu=123", "-mfpu=123",
        "-mtune=happybirthday", "-mstack-overflow", "-mno-stack-overflow", "-mmacosx-version-min=10.14", "-mthumb",
        "-mthumb-interwork", "-mthreads", "-mwindows", "--param=ssp-buffer-size=4", "-pedantic", "-pedantic-errors",
        "-pipe", "-pthread", "-std=c99", "-xc", "-fdebug-prefix-map=/a=/b", "-ffile-prefix-map=/a=/b", "-w", "-v",
        "-I世界", "-Wa,-mbig-obj", "-fno-builtin-memcpy", "-ftls-model=initial-exec", "-mavx2", "-msse4.2");

    public static TheoryData<string> BadCompilerFlags() => new(
        "-D@X", "-D-X", "-Ufoo=bar", "-F@dir", "-F-dir", "-I@dir", "-I-dir", "-O@1", "-Wa,-foo", "-W@foo",
        "-Wp,-DX,-D@X", "-Wp,-UX,-U@X", "-g@gdb", "-g-gdb", "-march=@dawn", "-march=-dawn", "-std=@c99", "-std=-c99",
        "-x@c", "-x-c", "-fplugin=x.so", "-fplugin", "@response-file", "-B/tmp/evil", "-ftls-model=evil", "-mllvm", "--help");

    public static TheoryData<string> GoodLinkerFlags() => new(
        "-Fbar", "-lbar", "-Lbar", "-fpic", "-fno-pic", "-fPIC", "-fno-PIC", "-fpie", "-fno-pie", "-fPIE", "-fno-PIE",
        "-fsanitize=hands", "-g", "-ggdb", "-march=souza", "-mcpu=123", "-mfpu=123", "-mtune=happybirthday", "-pic", "-pthread",
        "-Wl,--hash-style=both", "-Wl,-rpath,foo", "-Wl,-rpath,$ORIGIN/foo", "-Wl,-R,foo", "-Wl,-Rfoo", "-Wl,--just-symbols=foo",
        "-Wl,--just-symbols,foo", "-Wl,--warn-error", "-Wl,--no-warn-error", "foo.so", "_世界.dll", "./x.o", "libcgosotest.dylib",
        "-Wl,-framework,Chocolate", "-Wl,-unresolved-symbols=ignore-all", "-Wl,-z,relro", "-Wl,-z,relro,-z,now", "-Wl,-z,noexecstack",
        "-Wl,--push-state,--as-needed", "-Wl,--push-state,--no-as-needed,-Bstatic", "-Wl,--no-undefined", "-static", "--static",
        "-static-libgcc", "-Wl,-E", "-Wl,-O1");

    public static TheoryData<string> BadLinkerFlags() => new(
        "-DFOO", "-Dfoo=bar", "-W", "-Wall", "-fobjc-arc", "-fno-objc-arc", "-fomit-frame-pointer", "-fsplit-stack",
        "-fstack-xxx", "-fsanitize=-hands", "-lto_library", "-Wl,--hash-style=foo", "-x--c", "-x", "--c", "-Wl,-rpath,@foo",
        "-Wl,-R,foo,bar", "-Wl,-R,@foo", "-Wl,--just-symbols,@foo", "-Wl,--just-symbols,foo,bar", "-Wl,-framework,-Caffeine",
        "-Wl,-framework,@Home", "-Wl,-framework,Chocolate,@Home", "@foo.o", "-Wl,-z,-z,relro", "-Wl,--push-state,-fplugin",
        "-Wl,--plugin=x.so", "-fuse-ld=/tmp/evil");

    [Theory]
    [MemberData(nameof(GoodCompilerFlags))]
    public void Compiler_flag_allowed(string flag) => Assert.Null(FlagSecurity.Check("CFLAGS", [flag], None));

    [Theory]
    [MemberData(nameof(BadCompilerFlags))]
    public void Compiler_flag_refused(string flag) => Assert.NotNull(FlagSecurity.Check("CFLAGS", [flag], None));

    [Theory]
    [MemberData(nameof(GoodLinkerFlags))]
    public void Linker_flag_allowed(string flag) => Assert.Null(FlagSecurity.Check("LDFLAGS", [flag], None));

    [Theory]
    [MemberData(nameof(BadLinkerFlags))]
    public void Linker_flag_refused(string flag) => Assert.NotNull(FlagSecurity.Check("LDFLAGS", [flag], None));

    [Theory]
    [InlineData("CFLAGS", "-D", "FOO")]
    [InlineData("CFLAGS", "-I", ".")]
    [InlineData("CFLAGS", "-I", "/etc/passwd")]
    [InlineData("CFLAGS", "-I", "=/usr/include/libxml2")]
    [InlineData("CFLAGS", "-I", "$SYSROOT/dir")]
    [InlineData("CFLAGS", "-isystem", "/usr/include/mozjs-68")]
    [InlineData("CFLAGS", "-framework", "Chocolate")]
    [InlineData("CFLAGS", "-x", "c")]
    [InlineData("LDFLAGS", "-l", "m")]
    [InlineData("LDFLAGS", "-L", "/opt/lib")]
    [InlineData("LDFLAGS", "-Wl,-framework", "-Wl,Chocolate")]
    public void Two_part_flag_allowed(string verb, string flag, string next) => Assert.Null(FlagSecurity.Check(verb, [flag, next], None));

    [Theory]
    [InlineData("CFLAGS", "-D", "@foo", "invalid flag in #cgo CFLAGS: -D @foo (see https://golang.org/s/invalidflag)")]
    [InlineData("CFLAGS", "-I", "-foo", "invalid flag in #cgo CFLAGS: -I -foo (see https://golang.org/s/invalidflag)")]
    [InlineData("CFLAGS", "-I", "=@obj", "invalid flag in #cgo CFLAGS: -I =@obj (see https://golang.org/s/invalidflag)")]
    [InlineData("CFLAGS", "-framework", "@Home", "invalid flag in #cgo CFLAGS: -framework @Home (see https://golang.org/s/invalidflag)")]
    [InlineData("LDFLAGS", "-Wl,-framework", "-Wl,@Home", "invalid flag in #cgo LDFLAGS: -Wl,-framework -Wl,@Home (see https://golang.org/s/invalidflag)")]
    public void Two_part_flag_refused_with_gos_message(string verb, string flag, string next, string message) =>
        Assert.Equal(message, FlagSecurity.Check(verb, [flag, next], None)?.Message);

    [Fact]
    public void Two_part_flag_without_its_argument_is_refused() =>
        Assert.Equal("invalid flag in #cgo CFLAGS: -I without argument (see https://golang.org/s/invalidflag)", FlagSecurity.Check("CFLAGS", ["-I"], None)?.Message);

    [Fact]
    public void The_first_bad_flag_is_reported_in_gos_words()
    {
        var v = FlagSecurity.Check("CFLAGS", ["-O2", "-fplugin=evil.so", "-B/x"], None);
        Assert.Equal(new FlagViolation("-fplugin=evil.so", "invalid flag in #cgo CFLAGS: -fplugin=evil.so"), v);
    }

    [Fact]
    public void Allow_variable_admits_a_flag_matching_it_completely()
    {
        var allow = new Dictionary<string, string> { ["CGO_CFLAGS_ALLOW"] = "-fplugin=.*" };
        Assert.Null(FlagSecurity.Check("CFLAGS", ["-fplugin=evil.so"], allow));
        // The pattern must span the whole flag, as with go's FindString(arg) == arg.
        var partial = new Dictionary<string, string> { ["CGO_CFLAGS_ALLOW"] = "-fplug" };
        Assert.NotNull(FlagSecurity.Check("CFLAGS", ["-fplugin=evil.so"], partial));
        // CFLAGS overrides do not apply to LDFLAGS.
        Assert.NotNull(FlagSecurity.Check("LDFLAGS", ["-fplugin=evil.so"], allow));
    }

    [Fact]
    public void Disallow_variable_wins_over_allow_and_the_built_in_list()
    {
        var both = new Dictionary<string, string> { ["CGO_LDFLAGS_ALLOW"] = "-lfoo", ["CGO_LDFLAGS_DISALLOW"] = "-l.*" };
        Assert.Equal("invalid flag in #cgo LDFLAGS: -lfoo", FlagSecurity.Check("LDFLAGS", ["-lfoo"], both)?.Message);
    }

    [Fact]
    public void An_allow_variable_that_is_not_a_regular_expression_is_reported()
    {
        var bad = new Dictionary<string, string> { ["CGO_CFLAGS_ALLOW"] = "-f(" };
        Assert.StartsWith("parsing $CGO_CFLAGS_ALLOW", FlagSecurity.Check("CFLAGS", ["-O2"], bad)?.Message);
    }

    [Fact]
    public void Pkg_config_and_unknown_verbs_are_not_flag_checked() =>
        Assert.Null(FlagSecurity.Check("pkg-config", ["--define-prefix", "@x"], None));

    [Fact]
    public void Relative_include_paths_become_absolute_before_the_check_as_go_build_does()
    {
        // go/build joins "-I@dir" with the package folder; the result starts with '/' and passes.
        var (args, malformed) = FlagSecurity.Prepare("CFLAGS", ["-I@dir", "-I", "../inc", "-L${SRCDIR}/lib"], "/src/m/pkg");
        Assert.Null(malformed);
        Assert.Equal(["-I/src/m/pkg/@dir", "-I", "/src/m/inc", "-L/src/m/pkg/lib"], args);
        Assert.Null(FlagSecurity.Check("CFLAGS", args.Take(3).ToList(), None));
    }

    [Theory]
    [InlineData("-DCMD=`id`")]
    [InlineData("-DX=\"a\"")]
    [InlineData("-I${SRCDIR};rm")]
    public void Unsafe_characters_make_the_argument_malformed(string arg) =>
        Assert.Equal(arg, FlagSecurity.Prepare("CFLAGS", [arg], "/src/m").Malformed);

    [Theory]
    [InlineData("a", true)]
    [InlineData("/x", true)]
    [InlineData(".x", true)]
    [InlineData("_x", true)]
    [InlineData("世界", true)]
    [InlineData("-x", false)]
    [InlineData("@x", false)]
    [InlineData("", false)]
    public void SafeArg_is_cmd_go_load_SafeArg(string arg, bool safe) => Assert.Equal(safe, FlagSecurity.SafeArg(arg));
}
