using GoBuildRules.Core.Engine;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting;

/// <summary>
/// Everything a report shows, in one serialisable model: every template and the JSON format read
/// this and nothing else.
/// </summary>
public sealed record Report
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public ToolInfo Tool { get; init; } = new("gobuildrules", "", "https://github.com/gobuildrules/gobuildrules");

    public IReadOnlyList<PackSummary> Packs { get; init; } = [];

    public IReadOnlyList<RuleSummary> Rules { get; init; } = [];

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

public sealed record RuleSummary(string PackId, string Id, string Title, string Category, Severity DefaultSeverity, string ShortDescription, string FullDescription, string HelpMarkdown, string HelpUri, IReadOnlyList<string> Tags)
{
    public static RuleSummary From(EvaluatedRule rule) => new(
        rule.PackId, rule.Rule.Id, rule.Rule.Title, rule.Rule.Category, rule.Rule.DefaultSeverity, rule.Rule.ShortDescription,
        rule.Rule.FullDescription, rule.Rule.HelpMarkdown, rule.Rule.HelpUri.ToString(), rule.Rule.Tags);
}

/// <summary>A finding with what a reader needs beside it: the pack, the rule title and the help page.</summary>
public sealed record ReportFinding(string PackId, string RuleId, string RuleTitle, string Category, Severity Severity, string Message, string Subject, IReadOnlyList<Evidence> Evidence, Location? Location, IReadOnlyList<Fix> Fixes, string HelpUri)
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
    public string? GoVersion { get; init; }
    public string? GoPath { get; init; }
    public string GoStatus { get; init; } = "";
    public string Os { get; init; } = "";
    public string Arch { get; init; } = "";
    public string Kernel { get; init; } = "";
    public DateTimeOffset CollectedAt { get; init; }
    public IReadOnlyList<CollectionIssue> CollectionIssues { get; init; } = [];
}

public sealed record Timings(long CollectMilliseconds = 0, long EvaluateMilliseconds = 0, long TotalMilliseconds = 0);
