using GoBuildRules.Core.Engine;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting;

/// <summary>
/// Everything a report shows, in one serialisable model: every template and the JSON format read
/// this and nothing else. Its JSON form is documented in docs/report-json.md and
/// docs/schemas/report.schema.json; bump <see cref="CurrentSchemaVersion"/> on any breaking change.
/// </summary>
public sealed record Report
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public ToolInfo Tool { get; init; } = new("gobuildrules", "", "https://github.com/gobuildrules/gobuildrules");

    public IReadOnlyList<PackSummary> Packs { get; init; } = [];

    /// <summary>Every rule that was evaluated, grouped by pack in pack order.</summary>
    public IReadOnlyList<RuleSummary> Rules { get; init; } = [];

    public ReportCounts Summary { get; init; } = new();

    public IReadOnlyList<ReportFinding> Findings { get; init; } = [];

    public IReadOnlyList<ReportFinding> Suppressed { get; init; } = [];

    public IReadOnlyList<ToolNotification> Notifications { get; init; } = [];

    public SnapshotSummary Snapshot { get; init; } = new();

    public Timings Timings { get; init; } = new();

    public string FailOn { get; init; } = "error";

    public int ExitCode { get; init; }
}

public sealed record ToolInfo(string Name, string Version, string InformationUri);

public sealed record PackSummary(string Id, string Name, string Version, bool Bundled, int RuleCount, string Description);

/// <param name="Index">Position of the rule among the rules of its pack (SARIF's rule index within the pack's tool component).</param>
/// <param name="Name">The title as one PascalCase identifier (SARIF's reportingDescriptor.name).</param>
public sealed record RuleSummary(string PackId, int Index, string Id, string Name, string Title, string Category, Severity DefaultSeverity, string ShortDescription, string FullDescription, string HelpMarkdown, string HelpUri, IReadOnlyList<string> Tags);

public sealed record ReportCounts(int Errors = 0, int Warnings = 0, int Notes = 0, int Suppressed = 0, int RulesEvaluated = 0, int Notifications = 0)
{
    public int Findings => Errors + Warnings + Notes;
}

/// <summary>A finding with what a reader needs beside it: the pack, the rule title and the help page.</summary>
/// <param name="Location">Where the rule said the cause lives (may be absolute, outside the repository, or missing).</param>
/// <param name="Anchor">A repository-relative file and line that always exists in the model: the finding's own location when it is inside the workspace, else the module line of go.mod. SARIF and code-scanning UIs use it.</param>
/// <param name="Fingerprint">Stable across runs and line moves: a hash of the rule id and the subject.</param>
/// <param name="PackIndex">Position of the finding's pack in <see cref="Report.Packs"/>, or -1.</param>
/// <param name="RuleIndex">Position of the rule within its pack's rules, or -1.</param>
public sealed record ReportFinding(
    string PackId,
    string RuleId,
    string RuleTitle,
    string Category,
    Severity Severity,
    string Message,
    string Subject,
    IReadOnlyList<Evidence> Evidence,
    Location? Location,
    Location Anchor,
    IReadOnlyList<Fix> Fixes,
    string HelpUri,
    string Fingerprint,
    int PackIndex,
    int RuleIndex)
{
    /// <summary>Why a suppressed finding was suppressed.</summary>
    public string? Justification { get; init; }
}

public sealed record SnapshotSummary
{
    /// <summary>"live" for a scan of this machine, "replay" for `scan --from`.</summary>
    public string Source { get; init; } = "live";
    public string WorkspaceRoot { get; init; } = "";
    public string? Module { get; init; }
    public string? GoModFile { get; init; }
    public string? GoWorkFile { get; init; }
    public string? GoVersion { get; init; }
    public string? GoPath { get; init; }
    public string GoStatus { get; init; } = "";
    public string Os { get; init; } = "";
    public string Arch { get; init; } = "";
    public string Kernel { get; init; } = "";
    public DateTimeOffset CollectedAt { get; init; }
    public int EnvironmentVariables { get; init; }
    public IReadOnlyList<string> Extensions { get; init; } = [];
    public IReadOnlyList<CollectionIssue> CollectionIssues { get; init; } = [];
}

public sealed record Timings(long CollectMilliseconds = 0, long EvaluateMilliseconds = 0, long TotalMilliseconds = 0);
