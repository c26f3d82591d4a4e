using System.Text.Json.Serialization;

namespace GoBuildRules.Rules.Cgo.Facts;

/// <summary>
/// What the Cgo pack knows about the machine and the module, stored in the snapshot under the pack
/// id. Everything a rule needs is here or in the core snapshot; rules never look at the machine.
/// </summary>
public sealed record CgoFacts
{
    public BuildTarget Target { get; init; } = new();

    /// <summary>The C compiler cmd/go will run (`go env CC`).</summary>
    public CompilerProbe Cc { get; init; } = new("CC");

    /// <summary>The C++ compiler cmd/go will run (`go env CXX`).</summary>
    public CompilerProbe Cxx { get; init; } = new("CXX");

    /// <summary>CC_FOR_TARGET, CXX_FOR_TARGET, CC_FOR_${GOOS}_${GOARCH}, CXX_FOR_… as set in the environment.</summary>
    public IReadOnlyDictionary<string, string> CrossCompilerVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>CGO_{CFLAGS,CPPFLAGS,CXXFLAGS,FFLAGS,LDFLAGS}_{ALLOW,DISALLOW}, as cmd/go would read them.</summary>
    public IReadOnlyList<FlagOverride> FlagOverrides { get; init; } = [];

    /// <summary>`xcode-select -p`, asked only when the snapshot is taken on macOS.</summary>
    public XcodeSelectProbe? XcodeSelect { get; init; }

    public CgoSourceFacts Sources { get; init; } = new();
}

public sealed record BuildTarget
{
    public string Goos { get; init; } = "";
    public string Goarch { get; init; } = "";
    public string HostGoos { get; init; } = "";
    public string HostGoarch { get; init; } = "";

    [JsonIgnore]
    public bool IsCrossCompiling =>
        Goos.Length > 0 && HostGoos.Length > 0 && (Goos != HostGoos || Goarch != HostGoarch);
}

public enum CompilerStatus
{
    /// <summary>Found and executable.</summary>
    Found,
    NotFound,
    NotExecutable,
    /// <summary>The variable is empty, so there is nothing to run.</summary>
    NotConfigured,
}

public sealed record CompilerProbe(string Variable)
{
    /// <summary>The value cmd/go uses, as `go env` printed it (or the environment, without go).</summary>
    public string? Configured { get; init; }

    /// <summary>The first field of the value, split as cmd/go splits it; the rest are arguments.</summary>
    public string? Program { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public CompilerStatus Status { get; init; } = CompilerStatus.NotConfigured;

    public string? ResolvedPath { get; init; }

    /// <summary>What `CC -dumpmachine` printed: the compiler's target triple.</summary>
    public string? DumpMachine { get; init; }

    /// <summary>The first line of `CC --version`.</summary>
    public string? Version { get; init; }

    /// <summary>Why the compiler could not be asked, or what it said when it failed.</summary>
    public string? ProbeError { get; init; }

    /// <summary>
    /// Whether the program ran when asked (`-dumpmachine` or `--version` succeeded): false when it
    /// exists but fails to start or exits with an error for both; null when it was not asked or
    /// did not answer in time.
    /// </summary>
    public bool? Runs { get; init; }

    /// <summary>Found, and not seen failing.</summary>
    [JsonIgnore]
    public bool IsUsable => Status == CompilerStatus.Found && Runs != false;
}

public sealed record FlagOverride(string Name, string Value, string Source);

public sealed record XcodeSelectProbe
{
    public bool Succeeded { get; init; }

    /// <summary>The active developer directory it printed.</summary>
    public string? Path { get; init; }

    public int? ExitCode { get; init; }

    public string? Error { get; init; }
}

/// <summary>
/// The pack's reading of the .go files that the scan's repository index says import "C"
/// (<see cref="GoBuildRules.Sdk.GoPackageTree.CgoFiles"/>): their build constraints and #cgo lines. What go's
/// package walk saw (folders, files, native sources, nested modules) and whether it was cut short are
/// core facts (<see cref="GoBuildRules.Sdk.Snapshot.Repository"/>), read there. Paths are relative to the
/// workspace root, with '/'.
/// </summary>
public sealed record CgoSourceFacts
{
    public IReadOnlyList<CgoGoFile> CgoFiles { get; init; } = [];

    /// <summary>Cgo files of the index that could not be read.</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];

    /// <summary>Why the reading stopped before the index's last cgo file (the collection deadline); null when every one was read.</summary>
    public string? CutShort { get; init; }
}

/// <summary>A .go file that imports "C".</summary>
public sealed record CgoGoFile(string Path, int ImportLine)
{
    public string? Package { get; init; }

    /// <summary>Under the module's vendor/ folder: a dependency's code, not the module's own.</summary>
    public bool Vendor { get; init; }

    public bool Test { get; init; }

    /// <summary>The expression of the file's //go:build line.</summary>
    public string? GoBuild { get; init; }

    /// <summary>Legacy // +build lines (used only when there is no //go:build line).</summary>
    public IReadOnlyList<string> PlusBuild { get; init; } = [];

    public IReadOnlyList<CgoDirective> Directives { get; init; } = [];
}

/// <summary>One `#cgo` line of a cgo preamble.</summary>
public sealed record CgoDirective(int Line, string Text)
{
    /// <summary>The GOOS/GOARCH conditions before the verb; any one must match.</summary>
    public IReadOnlyList<string> Conditions { get; init; } = [];

    /// <summary>CFLAGS, CPPFLAGS, CXXFLAGS, FFLAGS, LDFLAGS, pkg-config…</summary>
    public string Verb { get; init; } = "";

    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Why go/build would reject the line itself (no colon, unclosed quote).</summary>
    public string? Error { get; init; }
}
