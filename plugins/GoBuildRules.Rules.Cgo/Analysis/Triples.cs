namespace GoBuildRules.Rules.Cgo.Analysis;

/// <summary>GOOS/GOARCH against C compiler target triples (as `cc -dumpmachine` prints them).</summary>
internal static class Triples
{
    private static readonly Dictionary<string, string[]> ArchNames = new(StringComparer.Ordinal)
    {
        ["amd64"] = ["x86_64", "amd64", "x64"],
        ["386"] = ["i386", "i486", "i586", "i686", "x86"],
        ["arm64"] = ["aarch64", "arm64"],
        ["arm"] = ["arm", "armv5", "armv5te", "armv6", "armv6l", "armv7", "armv7a", "armv7l", "armhf", "armel", "thumbv7"],
        ["riscv64"] = ["riscv64"],
        ["ppc64le"] = ["powerpc64le", "ppc64le"],
        ["ppc64"] = ["powerpc64", "ppc64"],
        ["s390x"] = ["s390x"],
        ["mips"] = ["mips"],
        ["mipsle"] = ["mipsel"],
        ["mips64"] = ["mips64"],
        ["mips64le"] = ["mips64el"],
        ["loong64"] = ["loongarch64"],
        ["wasm"] = ["wasm32"],
    };

    private static readonly Dictionary<string, string[]> OsNames = new(StringComparer.Ordinal)
    {
        ["linux"] = ["linux"],
        ["android"] = ["android"],
        ["darwin"] = ["darwin", "apple", "macos"],
        ["ios"] = ["ios", "apple"],
        ["windows"] = ["mingw", "windows", "w64", "cygwin", "msvc"],
        ["freebsd"] = ["freebsd"],
        ["netbsd"] = ["netbsd"],
        ["openbsd"] = ["openbsd"],
        ["dragonfly"] = ["dragonfly"],
        ["solaris"] = ["solaris"],
        ["illumos"] = ["illumos", "solaris"],
        ["aix"] = ["aix"],
    };

    /// <summary>True or false when the triple clearly does or does not build for the target; null when it cannot be told.</summary>
    public static bool? Matches(string triple, string goos, string goarch)
    {
        if (!ArchNames.TryGetValue(goarch, out var arches) || !OsNames.TryGetValue(goos, out var oses)) return null;
        var t = triple.Trim().ToLowerInvariant();
        var arch = t.Split('-')[0];
        if (arch.Length == 0) return null;
        var archOk = arches.Contains(arch) || (goarch == "arm" && arch.StartsWith("arm", StringComparison.Ordinal) && !arch.StartsWith("arm64", StringComparison.Ordinal));
        var osOk = oses.Any(o => t.Contains(o, StringComparison.Ordinal));
        // An Android NDK triple (aarch64-linux-android) also says "linux"; a Linux target needs a non-Android one.
        if (goos == "linux" && t.Contains("android", StringComparison.Ordinal)) osOk = false;
        return archOk && osOk;
    }

    /// <summary>The target a CC value names itself (zig cc -target …, clang --target=…), if any.</summary>
    public static string? TargetFromArguments(IReadOnlyList<string> arguments)
    {
        for (var i = 0; i < arguments.Count; i++)
        {
            var a = arguments[i];
            if (a is "-target" or "--target" && i + 1 < arguments.Count) return arguments[i + 1];
            if (a.StartsWith("--target=", StringComparison.Ordinal)) return a["--target=".Length..];
            if (a.StartsWith("-target=", StringComparison.Ordinal)) return a["-target=".Length..];
        }

        return null;
    }

    public static string? SuggestedTriple(string goos, string goarch) => (goos, goarch) switch
    {
        ("linux", "amd64") => "x86_64-linux-gnu",
        ("linux", "arm64") => "aarch64-linux-gnu",
        ("linux", "arm") => "arm-linux-gnueabihf",
        ("linux", "386") => "i686-linux-gnu",
        ("linux", "riscv64") => "riscv64-linux-gnu",
        ("linux", "ppc64le") => "powerpc64le-linux-gnu",
        ("linux", "s390x") => "s390x-linux-gnu",
        ("linux", "mips64le") => "mips64el-linux-gnuabi64",
        ("linux", "loong64") => "loongarch64-linux-gnu",
        ("windows", "amd64") => "x86_64-w64-mingw32",
        ("windows", "386") => "i686-w64-mingw32",
        _ => null,
    };

    public static string? DebianPackage(string goos, string goarch) => (goos, goarch) switch
    {
        ("linux", "amd64") => "sudo apt-get install gcc-x86-64-linux-gnu",
        ("linux", "arm64") => "sudo apt-get install gcc-aarch64-linux-gnu",
        ("linux", "arm") => "sudo apt-get install gcc-arm-linux-gnueabihf",
        ("linux", "386") => "sudo apt-get install gcc-i686-linux-gnu",
        ("linux", "riscv64") => "sudo apt-get install gcc-riscv64-linux-gnu",
        ("linux", "ppc64le") => "sudo apt-get install gcc-powerpc64le-linux-gnu",
        ("linux", "s390x") => "sudo apt-get install gcc-s390x-linux-gnu",
        ("linux", "mips64le") => "sudo apt-get install gcc-mips64el-linux-gnuabi64",
        ("linux", "loong64") => "sudo apt-get install gcc-loongarch64-linux-gnu",
        ("windows", "amd64") => "sudo apt-get install gcc-mingw-w64-x86-64",
        ("windows", "386") => "sudo apt-get install gcc-mingw-w64-i686",
        _ => null,
    };

    /// <summary>zig's spelling of the target, for `zig cc -target …`.</summary>
    public static string? ZigTarget(string goos, string goarch)
    {
        var arch = goarch switch
        {
            "amd64" => "x86_64",
            "arm64" => "aarch64",
            "386" => "x86",
            "arm" => "arm",
            "riscv64" => "riscv64",
            "ppc64le" => "powerpc64le",
            "s390x" => "s390x",
            _ => null,
        };
        var os = goos switch
        {
            "linux" => goarch == "arm" ? "linux-gnueabihf" : "linux-gnu",
            "windows" => "windows-gnu",
            "darwin" => "macos",
            _ => null,
        };
        return arch is null || os is null ? null : $"{arch}-{os}";
    }
}
