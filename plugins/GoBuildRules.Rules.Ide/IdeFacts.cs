namespace GoBuildRules.Rules.Ide;

/// <summary>Everything the Ide pack collects, stored under <see cref="IdePack.FactsKey"/>. Secrets are redacted.</summary>
public sealed record IdeFacts
{
    /// <summary>.vscode/settings.json, .vscode/launch.json and *.code-workspace, flattened with lines.</summary>
    public IReadOnlyList<SettingsFile> VsCode { get; init; } = [];

    /// <summary>Every ${env:NAME} in those files, and whether NAME is set for the scan.</summary>
    public IReadOnlyList<EnvReference> EnvReferences { get; init; } = [];

    /// <summary>Paths that settings point at (alternate go, goroot, substitutePath, GoLand GOROOT), resolved and checked.</summary>
    public IReadOnlyList<PathCheck> Paths { get; init; } = [];

    /// <summary>The scan's own value (redacted) of every variable a setting overrides; null when unset.</summary>
    public IReadOnlyDictionary<string, string?> Shell { get; init; } = new Dictionary<string, string?>();

    /// <summary>go build / test / vet lines of the CI files, with their -tags and -mod.</summary>
    public IReadOnlyList<CiBuild> Ci { get; init; } = [];

    public TestHints Tests { get; init; } = new();

    public IReadOnlyList<IdeaFile> Idea { get; init; } = [];
}

/// <param name="Kind">settings, launch or workspace.</param>
public sealed record SettingsFile(string File, string Kind)
{
    public IReadOnlyList<SettingValue> Values { get; init; } = [];
    public int? ErrorLine { get; init; }
    public string? Error { get; init; }
    public bool Truncated { get; init; }
}

/// <param name="Path">From the file's root: property names, array indexes as decimal text.</param>
/// <param name="Kind">object, array, string, number, true, false or null.</param>
public sealed record SettingValue(IReadOnlyList<string> Path, int Line, string Kind, string? Text);

public sealed record EnvReference(string Name, bool Set, string File, int Line, string Setting);

public sealed record PathCheck(string Setting, string File, int Line, string Raw, string Resolved, bool Exists, bool Executable);

public sealed record CiBuild(string File, int Line, string Text, IReadOnlyList<string> Tags, string? Mod)
{
    public bool HasTags { get; init; }
}

public sealed record TestHints
{
    public int TestFiles { get; init; }

    /// <summary>Calls of testing.Short(): tests that skip themselves in -short mode are long ones.</summary>
    public int ShortGuards { get; init; }

    public string? ExampleFile { get; init; }
    public int ExampleLine { get; init; }
    public bool Truncated { get; init; }
}

public sealed record IdeaFile(string File)
{
    public IReadOnlyList<IdeaSetting> Settings { get; init; } = [];
    public string? Error { get; init; }
}

/// <param name="Component">The component (GOROOT, VgoProject, GoLibraries, RunManager…).</param>
public sealed record IdeaSetting(string Component, string Name, string Value, int Line);
