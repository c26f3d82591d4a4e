using System.Text.RegularExpressions;

namespace GoBuildRules.Rules.Cgo.Analysis;

/// <summary>Why cmd/go refuses a #cgo line, in the words it uses.</summary>
/// <param name="Flag">The offending argument (and its follower, for two-part flags).</param>
/// <param name="Message">What `go build` prints, e.g. "invalid flag in #cgo CFLAGS: -fplugin=x.so".</param>
internal sealed record FlagViolation(string Flag, string Message);

/// <summary>
/// A port of the allow-lists of cmd/go/internal/work/security.go (Go 1.19–1.23): flags in #cgo
/// CFLAGS/CPPFLAGS/CXXFLAGS/FFLAGS/LDFLAGS lines must match one of these patterns completely, so
/// that a dependency cannot run code at build time through -fplugin=, @file and the like. Flags
/// from the CGO_CFLAGS… environment variables are trusted by cmd/go and are not checked here either.
/// Users widen or narrow the lists with CGO_{NAME}_ALLOW / CGO_{NAME}_DISALLOW (regular
/// expressions that must match the whole argument).
/// </summary>
internal static class FlagSecurity
{
    private static Regex Re(string pattern) => new(pattern, RegexOptions.CultureInvariant);

    private static readonly Regex[] ValidCompilerFlags =
    [
        Re(@"-D([A-Za-z_][A-Za-z0-9_]*)(=[^@\-]*)?"),
        Re(@"-U([A-Za-z_][A-Za-z0-9_]*)"),
        Re(@"-F([^@\-].*)"),
        Re(@"-I([^@\-].*)"),
        Re(@"-O"),
        Re(@"-O([^@\-].*)"),
        Re(@"-W"),
        Re(@"-W([^@,]+)"),
        Re(@"-Wa,-mbig-obj"),
        Re(@"-Wp,-D([A-Za-z_][A-Za-z0-9_]*)(=[^@,\-]*)?"),
        Re(@"-Wp,-U([A-Za-z_][A-Za-z0-9_]*)"),
        Re(@"-ansi"),
        Re(@"-f(no-)?asynchronous-unwind-tables"),
        Re(@"-f(no-)?blocks"),
        Re(@"-f(no-)builtin-[a-zA-Z0-9_]*"),
        Re(@"-f(no-)?common"),
        Re(@"-f(no-)?constant-cfstrings"),
        Re(@"-fdebug-prefix-map=([^@]+)=([^@]+)"),
        Re(@"-fdiagnostics-show-note-include-stack"),
        Re(@"-ffile-prefix-map=([^@]+)=([^@]+)"),
        Re(@"-fno-canonical-system-headers"),
        Re(@"-f(no-)?eliminate-unused-debug-types"),
        Re(@"-f(no-)?exceptions"),
        Re(@"-f(no-)?fast-math"),
        Re(@"-f(no-)?inline-functions"),
        Re(@"-finput-charset=([^@\-].*)"),
        Re(@"-f(no-)?fat-lto-objects"),
        Re(@"-f(no-)?keep-inline-dllexport"),
        Re(@"-f(no-)?lto"),
        Re(@"-fmacro-backtrace-limit=(.+)"),
        Re(@"-fmessage-length=(.+)"),
        Re(@"-f(no-)?modules"),
        Re(@"-f(no-)?objc-arc"),
        Re(@"-f(no-)?objc-nonfragile-abi"),
        Re(@"-f(no-)?objc-legacy-dispatch"),
        Re(@"-f(no-)?omit-frame-pointer"),
        Re(@"-f(no-)?openmp(-simd)?"),
        Re(@"-f(no-)?permissive"),
        Re(@"-f(no-)?(pic|PIC|pie|PIE)"),
        Re(@"-f(no-)?plt"),
        Re(@"-f(no-)?rtti"),
        Re(@"-f(no-)?split-stack"),
        Re(@"-f(no-)?stack-(.+)"),
        Re(@"-f(no-)?strict-aliasing"),
        Re(@"-f(un)signed-char"),
        Re(@"-f(no-)?use-linker-plugin"),
        Re(@"-f(no-)?visibility-inlines-hidden"),
        Re(@"-fsanitize=(.+)"),
        Re(@"-ftemplate-depth-(.+)"),
        Re(@"-ftls-model=(global-dynamic|local-dynamic|initial-exec|local-exec)"),
        Re(@"-fvisibility=(.+)"),
        Re(@"-g([^@\-].*)?"),
        Re(@"-m32"),
        Re(@"-m64"),
        Re(@"-m(abi|arch|cpu|fpu|tune)=([^@\-].*)"),
        Re(@"-m(no-)?v?aes"),
        Re(@"-marm"),
        Re(@"-m(no-)?avx[0-9a-z]*"),
        Re(@"-mcmodel=[0-9a-z-]+"),
        Re(@"-mfloat-abi=([^@\-].*)"),
        Re(@"-mfpmath=[0-9a-z,+]*"),
        Re(@"-m(no-)?avx[0-9a-z.]*"),
        Re(@"-m(no-)?ms-bitfields"),
        Re(@"-m(no-)?stack-(.+)"),
        Re(@"-mmacosx-(.+)"),
        Re(@"-mios-simulator-version-min=(.+)"),
        Re(@"-miphoneos-version-min=(.+)"),
        Re(@"-mlarge-data-threshold=[0-9]+"),
        Re(@"-mtvos-simulator-version-min=(.+)"),
        Re(@"-mtvos-version-min=(.+)"),
        Re(@"-mwatchos-simulator-version-min=(.+)"),
        Re(@"-mwatchos-version-min=(.+)"),
        Re(@"-mnop-fun-dllimport"),
        Re(@"-m(no-)?sse[0-9.]*"),
        Re(@"-m(no-)?ssse3"),
        Re(@"-mthumb(-interwork)?"),
        Re(@"-mthreads"),
        Re(@"-mwindows"),
        Re(@"-no-canonical-prefixes"),
        Re(@"--param=ssp-buffer-size=[0-9]*"),
        Re(@"-pedantic(-errors)?"),
        Re(@"-pipe"),
        Re(@"-pthread"),
        Re(@"--static"),
        Re(@"-?-std=([^@\-].*)"),
        Re(@"-?-stdlib=([^@\-].*)"),
        Re(@"--sysroot=([^@\-].*)"),
        Re(@"-w"),
        Re(@"-x([^@\-].*)"),
        Re(@"-v"),
    ];

    private static readonly string[] ValidCompilerFlagsWithNextArg =
        ["-arch", "-D", "-U", "-I", "-F", "-framework", "-include", "-isysroot", "-isystem", "--sysroot", "-target", "-x"];

    // On macOS -lto_library makes the linker load and run the next argument; -lfoo is allowed in general.
    private static readonly Regex[] InvalidLinkerFlags = [Re(@"-lto_library")];

    private static readonly Regex[] ValidLinkerFlags =
    [
        Re(@"-F([^@\-].*)"),
        Re(@"-l([^@\-].*)"),
        Re(@"-L([^@\-].*)"),
        Re(@"-O"),
        Re(@"-O([^@\-].*)"),
        Re(@"-f(no-)?(pic|PIC|pie|PIE)"),
        Re(@"-f(no-)?openmp(-simd)?"),
        Re(@"-fsanitize=([^@\-].*)"),
        Re(@"-flat_namespace"),
        Re(@"-g([^@\-].*)?"),
        Re(@"-headerpad_max_install_names"),
        Re(@"-m(abi|arch|cpu|fpu|tune)=([^@\-].*)"),
        Re(@"-mfloat-abi=([^@\-].*)"),
        Re(@"-mmacosx-(.+)"),
        Re(@"-mios-simulator-version-min=(.+)"),
        Re(@"-miphoneos-version-min=(.+)"),
        Re(@"-mthreads"),
        Re(@"-mwindows"),
        Re(@"-(pic|PIC|pie|PIE)"),
        Re(@"-pthread"),
        Re(@"-rdynamic"),
        Re(@"-shared"),
        Re(@"-?-static([-a-z0-9+]*)"),
        Re(@"-?-stdlib=([^@\-].*)"),
        Re(@"-v"),
        // Wildcards inside -Wl, must exclude commas: -Wl splits at commas and would tunnel extra linker arguments.
        Re(@"-Wl,--(no-)?allow-multiple-definition"),
        Re(@"-Wl,--(no-)?allow-shlib-undefined"),
        Re(@"-Wl,--(no-)?as-needed"),
        Re(@"-Wl,-Bdynamic"),
        Re(@"-Wl,-berok"),
        Re(@"-Wl,-Bstatic"),
        Re(@"-Wl,-Bsymbolic-functions"),
        Re(@"-Wl,-O[0-9]+"),
        Re(@"-Wl,-d[ny]"),
        Re(@"-Wl,--disable-new-dtags"),
        Re(@"-Wl,-e[=,][a-zA-Z0-9]+"),
        Re(@"-Wl,--enable-new-dtags"),
        Re(@"-Wl,--end-group"),
        Re(@"-Wl,--(no-)?export-dynamic"),
        Re(@"-Wl,-E"),
        Re(@"-Wl,-framework,[^,@\-][^,]*"),
        Re(@"-Wl,--hash-style=(sysv|gnu|both)"),
        Re(@"-Wl,-headerpad_max_install_names"),
        Re(@"-Wl,--no-undefined"),
        Re(@"-Wl,--pop-state"),
        Re(@"-Wl,--push-state"),
        Re(@"-Wl,-R,?([^@\-,][^,@]*$)"),
        Re(@"-Wl,--just-symbols[=,]([^,@\-][^,@]*)"),
        Re(@"-Wl,-rpath(-link)?[=,]([^,@\-][^,]*)"),
        Re(@"-Wl,-s"),
        Re(@"-Wl,-search_paths_first"),
        Re(@"-Wl,-sectcreate,([^,@\-][^,]*),([^,@\-][^,]*),([^,@\-][^,]*)"),
        Re(@"-Wl,--start-group"),
        Re(@"-Wl,-?-static"),
        Re(@"-Wl,-?-subsystem,(native|windows|console|posix|xbox)"),
        Re(@"-Wl,-syslibroot[=,]([^,@\-][^,]*)"),
        Re(@"-Wl,-undefined[=,]([^,@\-][^,]*)"),
        Re(@"-Wl,-?-unresolved-symbols=[^,]+"),
        Re(@"-Wl,--(no-)?warn-([^,]+)"),
        Re(@"-Wl,-?-wrap[=,][^,@\-][^,]*"),
        Re(@"-Wl(,-z,(relro|now|(no)?execstack))+"),
        // Direct linker inputs: x.o or libfoo.so, but not -foo.o or @foo.o.
        Re(@"[a-zA-Z0-9_/].*\.(a|o|obj|dll|dylib|so|tbd)"),
        Re(@"\./.*\.(a|o|obj|dll|dylib|so|tbd)"),
    ];

    private static readonly string[] ValidLinkerFlagsWithNextArg =
    [
        "-arch", "-F", "-l", "-L", "-framework", "-isysroot", "--sysroot", "-target",
        "-Wl,-framework", "-Wl,-rpath", "-Wl,-R", "-Wl,--just-symbols", "-Wl,-undefined",
    ];

    /// <summary>The verbs whose arguments cmd/go checks; FFLAGS etc. use the compiler list, LDFLAGS the linker list.</summary>
    public static bool IsCheckedVerb(string verb) => verb is "CFLAGS" or "CPPFLAGS" or "CXXFLAGS" or "FFLAGS" or "LDFLAGS";

    /// <summary>The override variables that apply to a verb: CGO_CFLAGS_ALLOW and CGO_CFLAGS_DISALLOW for CFLAGS.</summary>
    public static (string Allow, string Disallow) OverrideNames(string verb) => ($"CGO_{verb}_ALLOW", $"CGO_{verb}_DISALLOW");

    /// <summary>
    /// Checks the arguments of one #cgo line as cmd/go does (after go/build made -I/-L paths
    /// absolute). Returns the first violation, as go stops at the first, or null.
    /// </summary>
    /// <param name="overrides">CGO_*_ALLOW / CGO_*_DISALLOW values by name; missing or empty means unset.</param>
    public static FlagViolation? Check(string verb, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> overrides)
    {
        if (!IsCheckedVerb(verb)) return null;
        var linker = verb == "LDFLAGS";
        var source = "#cgo " + verb;
        var (allowName, disallowName) = OverrideNames(verb);
        Regex? allow = null, disallow = null;
        if (overrides.TryGetValue(allowName, out var allowText) && allowText.Length > 0)
        {
            allow = UserRegex(allowText);
            if (allow is null) return new FlagViolation(allowText, $"parsing ${allowName}: invalid regular expression {allowText}");
        }

        if (overrides.TryGetValue(disallowName, out var disallowText) && disallowText.Length > 0)
        {
            disallow = UserRegex(disallowText);
            if (disallow is null) return new FlagViolation(disallowText, $"parsing ${disallowName}: invalid regular expression {disallowText}");
        }

        var invalid = linker ? InvalidLinkerFlags : [];
        var valid = linker ? ValidLinkerFlags : ValidCompilerFlags;
        var validNext = linker ? ValidLinkerFlagsWithNextArg : ValidCompilerFlagsWithNextArg;

        for (var i = 0; i < arguments.Count; i++)
        {
            var arg = arguments[i];
            if (disallow is not null && WholeMatch(disallow, arg)) return Bad(source, arg);
            if (allow is not null && WholeMatch(allow, arg)) continue;
            if (invalid.Any(re => WholeMatch(re, arg))) return Bad(source, arg);
            if (valid.Any(re => WholeMatch(re, arg))) continue;
            if (arg.StartsWith("-Wl,--push-state,", StringComparison.Ordinal))
            {
                // cmd/go accepts "-Wl,--push-state,--as-needed": each comma part must pass on its own.
                var parts = arg.Split(',').Skip(1).Select(a => "-Wl," + a).ToList();
                if (parts.All(a => valid.Any(re => WholeMatch(re, a)) && !invalid.Any(re => WholeMatch(re, a)))) continue;
                return Bad(source, arg);
            }

            if (validNext.Contains(arg))
            {
                var next = i + 1 < arguments.Count ? arguments[i + 1] : null;
                if (next is not null && SafeArg(next))
                {
                    i++;
                    continue;
                }

                // Permit -Wl,-framework -Wl,name.
                if (next is not null && arg.StartsWith("-Wl,", StringComparison.Ordinal) && next.StartsWith("-Wl,", StringComparison.Ordinal)
                    && SafeArg(next[4..]) && !next[4..].Contains(','))
                {
                    i++;
                    continue;
                }

                // Permit -I= /path and -I $SYSROOT.
                if (next is not null && arg == "-I" && (next.StartsWith('=') || next.StartsWith("$SYSROOT", StringComparison.Ordinal)) && SafeArg(next[1..]))
                {
                    i++;
                    continue;
                }

                return next is not null
                    ? new FlagViolation($"{arg} {next}", $"invalid flag in {source}: {arg} {next} (see https://golang.org/s/invalidflag)")
                    : new FlagViolation(arg, $"invalid flag in {source}: {arg} without argument (see https://golang.org/s/invalidflag)");
            }

            return Bad(source, arg);
        }

        return null;
    }

    /// <summary>
    /// What go/build does to #cgo arguments before cmd/go checks them: expands ${SRCDIR}, rejects
    /// arguments with characters outside its safe set ("malformed #cgo argument"), and makes
    /// relative -I and -L paths absolute.
    /// </summary>
    public static (IReadOnlyList<string> Arguments, string? Malformed) Prepare(string verb, IReadOnlyList<string> arguments, string sourceDirectory)
    {
        var result = new List<string>(arguments.Count);
        foreach (var arg in arguments)
        {
            var (expanded, ok) = ExpandSrcDir(arg, sourceDirectory);
            if (!ok) return (result, arg);
            result.Add(expanded);
        }

        if (IsCheckedVerb(verb))
        {
            var nextIsPath = false;
            for (var i = 0; i < result.Count; i++)
            {
                var arg = result[i];
                if (nextIsPath)
                {
                    if (!IsAbsolute(arg)) result[i] = Join(sourceDirectory, arg);
                    nextIsPath = false;
                }
                else if (arg.StartsWith("-I", StringComparison.Ordinal) || arg.StartsWith("-L", StringComparison.Ordinal))
                {
                    if (arg.Length == 2) nextIsPath = true;
                    else if (!IsAbsolute(arg[2..])) result[i] = arg[..2] + Join(sourceDirectory, arg[2..]);
                }
            }
        }

        return (result, null);
    }

    // go/build's safeCgoName: the characters a #cgo argument may contain (non-ASCII is allowed).
    private const string SafeString = "+-.,/0123456789=ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz:$@%! ~^";

    private static bool SafeCgoName(string s) => s.Length > 0 && s.All(c => c >= 0x80 || SafeString.Contains(c));

    private static (string, bool) ExpandSrcDir(string arg, string sourceDirectory)
    {
        var dir = sourceDirectory.Replace('\\', '/');
        var chunks = arg.Split("${SRCDIR}");
        if (chunks.Length < 2) return (arg, SafeCgoName(arg));
        var ok = chunks.All(c => c.Length == 0 || SafeCgoName(c)) && (dir.Length == 0 || SafeCgoName(dir));
        var joined = string.Join(dir, chunks);
        return (joined, ok && joined.Length > 0);
    }

    private static bool IsAbsolute(string path) => path.StartsWith('/') || (path.Length > 2 && path[1] == ':' && path[2] is '/' or '\\');

    // Only the first character of the joined path matters to the check; GetFullPath (which cleans
    // "..") is pure for an absolute folder and would read the current folder otherwise.
    private static string Join(string dir, string relative) =>
        System.IO.Path.IsPathFullyQualified(dir)
            ? System.IO.Path.GetFullPath(System.IO.Path.Combine(dir, relative)).Replace('\\', '/')
            : "/" + dir.Trim('/') + "/" + relative;

    /// <summary>cmd/go's load.SafeArg: the argument cannot be read as an option or an @file.</summary>
    public static bool SafeArg(string name)
    {
        if (name.Length == 0) return false;
        var c = name[0];
        return char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' || c >= 0x80;
    }

    // Go's FindString(arg) == arg: the leftmost-first match spans the whole argument. .NET's
    // backtracking engine picks the same leftmost-first match for these RE2-compatible patterns.
    private static bool WholeMatch(Regex re, string arg)
    {
        try
        {
            var m = re.Match(arg);
            return m.Success && m.Index == 0 && m.Length == arg.Length;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static Regex? UserRegex(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static FlagViolation Bad(string source, string arg) => new(arg, $"invalid flag in {source}: {arg}");
}
