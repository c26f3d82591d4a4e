using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;
using Snapshooter;
using Snapshooter.Xunit;

namespace GoBuildRules.Reporting.Tests;

/// <summary>Every built-in format, for fixed reports, against the snapshots in __snapshots__/.</summary>
public sealed class FormatSnapshotTests
{
    public static TheoryData<string> Formats() => new(ReportRenderer.BuiltInFormats);

    [Theory]
    [MemberData(nameof(Formats))]
    public void Sample_report_renders_as_before(string format)
    {
        var text = ReportRenderer.Render(SampleReports.Rich(), format, new RenderOptions());
        Snapshot.Match(text, SnapshotNameExtension.Create(format));
    }

    /// <summary>
    /// The real tool replays a fixed snapshot (Toolchain pack: go missing, two broken files);
    /// its JSON report, with timings and version pinned, renders every format as before.
    /// </summary>
    [Theory]
    [MemberData(nameof(Formats))]
    public void Replayed_scan_renders_as_before(string format)
    {
        var report = ReplayedReport();
        var text = ReportRenderer.Render(report, format, new RenderOptions());
        Snapshot.Match(text, SnapshotNameExtension.Create(format));
    }

    internal static Report ReplayedReport()
    {
        using var temp = new TempFolder("gbr-replay");
        var json = temp.Combine("report.json");
        var run = Cli.Run(["scan", "--from", Fixtures.File("replay-snapshot.json"), "--format", $"json={json}", "--fail-on", "never"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return Pinned(ReportJson.Deserialize(File.ReadAllText(json)));
    }

    public const string ToolchainPack = "GoBuildRules.Rules.Toolchain";

    /// <summary>
    /// Only the Toolchain pack's part of the report, version and timings pinned: other bundled packs
    /// come and go (and may fire on the same snapshot) without changing these snapshots.
    /// </summary>
    internal static Report Pinned(Report report)
    {
        var findings = report.Findings.Where(f => f.PackId == ToolchainPack).Select(f => f with { PackIndex = 0 }).ToList();
        var notifications = report.Notifications.Where(n => n.Source == ToolchainPack).ToList();
        var rules = report.Rules.Where(r => r.PackId == ToolchainPack).ToList();
        return report with
        {
            Tool = report.Tool with { Version = "0.0.0-test" },
            Packs = report.Packs.Where(p => p.Id == ToolchainPack).Select(p => p with { Version = "0.0.0-test" }).ToList(),
            Rules = rules,
            Findings = findings,
            Notifications = notifications,
            Summary = new ReportCounts(
                findings.Count(f => f.Severity == GoBuildRules.Sdk.Severity.Error),
                findings.Count(f => f.Severity == GoBuildRules.Sdk.Severity.Warning),
                findings.Count(f => f.Severity == GoBuildRules.Sdk.Severity.Note),
                0,
                rules.Count,
                notifications.Count + report.Snapshot.CollectionIssues.Count),
            Snapshot = report.Snapshot with { Extensions = [] },
            Timings = new Timings(1, 2, 3),
        };
    }
}

internal static class Fixtures
{
    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    /// <summary>The OASIS SARIF schema from shared/schemas (CI lays shared/ beside the clone).</summary>
    public static string SarifSchema()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("GOBUILDRULES_SHARED") is { Length: > 0 } s ? Path.Combine(s, "schemas") : null,
            Path.Combine(RepoPaths.Root(), "..", "shared", "schemas"),
            Path.Combine(RepoPaths.Root(), "..", "..", "shared", "schemas"),
        };
        return candidates.Where(c => c is not null).Select(c => Path.GetFullPath(Path.Combine(c!, "sarif-schema-2.1.0.json"))).FirstOrDefault(System.IO.File.Exists)
            ?? throw new FileNotFoundException("sarif-schema-2.1.0.json not found in ../shared/schemas beside the repository (set GOBUILDRULES_SHARED)");
    }
}
