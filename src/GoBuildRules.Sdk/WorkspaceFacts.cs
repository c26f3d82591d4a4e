namespace GoBuildRules.Sdk;

/// <summary>The Go workspace being scanned. File paths are relative to <see cref="Root"/> with forward slashes.</summary>
public sealed record WorkspaceFacts
{
    /// <summary>The absolute folder the scan ran in (the module root when one was found above --path).</summary>
    public string Root { get; init; } = "";

    /// <summary>
    /// The checkout around the workspace: the nearest folder at or above <see cref="Root"/> holding .git
    /// (a folder, or a linked worktree's file), absolute; null when there is none. Found once by the host.
    /// </summary>
    public string? GitTopLevel { get; init; }

    public GoModFile? GoMod { get; init; }

    public GoSumFile? GoSum { get; init; }

    public GoWorkFile? GoWork { get; init; }

    public VendorModulesFile? Vendor { get; init; }

    /// <summary>Files that exist but could not be parsed, with why.</summary>
    public IReadOnlyList<ParseProblem> ParseProblems { get; init; } = [];
}

public sealed record ParseProblem(string File, int Line, string Message);

public sealed record GoModFile(string File)
{
    public string? Module { get; init; }
    public int ModuleLine { get; init; }
    public string? Go { get; init; }
    public int GoLine { get; init; }
    public string? Toolchain { get; init; }
    public int ToolchainLine { get; init; }
    public IReadOnlyList<ModuleRequirement> Requires { get; init; } = [];
    public IReadOnlyList<ModuleReplacement> Replaces { get; init; } = [];
    public IReadOnlyList<ModuleRequirement> Excludes { get; init; } = [];
}

public sealed record ModuleRequirement(string Path, string Version, int Line)
{
    public bool Indirect { get; init; }
}

public sealed record ModuleReplacement(string OldPath, string? OldVersion, string NewPath, string? NewVersion, int Line);

public sealed record GoSumFile(string File)
{
    public IReadOnlyList<GoSumEntry> Entries { get; init; } = [];
}

/// <param name="Version">As written: "v1.2.3" for the zip hash, "v1.2.3/go.mod" for the go.mod hash.</param>
public sealed record GoSumEntry(string Path, string Version, string Hash, int Line);

public sealed record GoWorkFile(string File)
{
    public string? Go { get; init; }
    public int GoLine { get; init; }
    public string? Toolchain { get; init; }
    public IReadOnlyList<WorkUse> Uses { get; init; } = [];
    public IReadOnlyList<ModuleReplacement> Replaces { get; init; } = [];
}

public sealed record WorkUse(string Path, int Line);

public sealed record VendorModulesFile(string File)
{
    public IReadOnlyList<VendoredModule> Modules { get; init; } = [];
}

public sealed record VendoredModule(string Path, string Version, int Line)
{
    /// <summary>Marked "## explicit" (required in go.mod).</summary>
    public bool Explicit { get; init; }
    public string? GoVersion { get; init; }
    public string? Replacement { get; init; }
    public IReadOnlyList<string> Packages { get; init; } = [];
}
