namespace GoBuildRules.Sdk;

/// <summary>
/// What the user's own go command says about the workspace when asked offline
/// (`go mod edit -json`, `go list -e -json -deps ./...` with GOPROXY=off, GOSUMDB=off, on a
/// temporary copy of go.mod or go.work so that nothing of the user's is written). The go command is
/// the ground truth: every error it reports is here, verbatim.
/// </summary>
public sealed record GoOracleFacts
{
    /// <summary>False when go was not asked (no go command, no folder to scan); see <see cref="SkippedBecause"/>.</summary>
    public bool Ran { get; init; }

    public string? SkippedBecause { get; init; }

    /// <summary>True when go ran in workspace mode (a go.work file, or GOWORK set).</summary>
    public bool WorkspaceMode { get; init; }

    /// <summary>Each go command the oracle ran, with its raw outcome.</summary>
    public IReadOnlyList<GoCommandRun> Commands { get; init; } = [];

    /// <summary>Every error go reported, deduplicated, in the order go printed them.</summary>
    public IReadOnlyList<GoError> Errors { get; init; } = [];

    /// <summary>The modules go loaded for the packages of ./... and their dependencies.</summary>
    public IReadOnlyList<GoOracleModule> Modules { get; init; } = [];

    /// <summary>go.mod as go's own parser (`go mod edit -json`) reads it; null when it could not.</summary>
    public GoModJson? GoMod { get; init; }

    /// <summary>
    /// Whether a build must fetch something that is not in the module cache: true when go reported
    /// a lookup that GOPROXY=off refused (a module's code, or only its version metadata, which
    /// `go build` of a main package fetches too), false when `go list` loaded everything offline, null when
    /// that is unknown (go list did not run, timed out, or failed before loading packages).
    /// </summary>
    public bool? NeedsDownload { get; init; }

    /// <summary>
    /// The packages of ./... and their dependencies with cgo files (`import "C"`) under the user's
    /// settings: building them runs CC (and CXX where they have C++ files). A module of pure Go still
    /// needs cgo when it imports a standard package that uses it (net, os/user) with CGO_ENABLED=1.
    /// Null when `go list` did not finish.
    /// </summary>
    public IReadOnlyList<string>? CgoPackages { get; init; }

    /// <summary>Of <see cref="CgoPackages"/>, those with C++ files: building them runs CXX. Null when `go list` did not finish.</summary>
    public IReadOnlyList<string>? CxxPackages { get; init; }
}

public sealed record GoCommandRun(string Command)
{
    public int ExitCode { get; init; }

    public bool TimedOut { get; init; }

    public double ElapsedSeconds { get; init; }

    /// <summary>What go printed on stderr (secrets redacted, temporary paths mapped back).</summary>
    public string Stderr { get; init; } = "";
}

public enum GoErrorKind
{
    /// <summary>go cannot build this as it is, whatever the network does.</summary>
    Broken,

    /// <summary>Something is missing from the module cache and must be downloaded (GOPROXY=off refused the lookup).</summary>
    NeedsDownload,
}

/// <param name="Command">The go command that reported it, e.g. "go list".</param>
/// <param name="Message">go's message, verbatim (temporary paths mapped back to the user's files).</param>
public sealed record GoError(string Command, string Message, GoErrorKind Kind)
{
    /// <summary>The file (repo-relative when inside the workspace) and line go named, if any.</summary>
    public Location? Location { get; init; }

    /// <summary>The package go was loading when it failed, for package errors.</summary>
    public string? ImportPath { get; init; }
}

public sealed record GoOracleModule(string Path)
{
    public string? Version { get; init; }

    public bool Main { get; init; }

    /// <summary>The replacement (path and version, or a directory), when go.mod or go.work replaces the module.</summary>
    public string? Replace { get; init; }

    /// <summary>
    /// go's error looking up the module's version metadata (its .info in the module cache), verbatim.
    /// Not a build error: go build tolerates a failed lookup, but it does fetch the .info to stamp
    /// the binary's build info, and waits forever on a proxy that stalls (go 1.19, tried).
    /// </summary>
    public string? LookupError { get; init; }
}

/// <summary>The parts of `go mod edit -json` rules need.</summary>
public sealed record GoModJson
{
    public string? Module { get; init; }

    public string? Go { get; init; }

    public IReadOnlyList<GoModJsonReplace> Replaces { get; init; } = [];
}

public sealed record GoModJsonReplace(string OldPath, string? OldVersion, string NewPath, string? NewVersion);
