using GoBuildRules.Testing;
using NJsonSchema;
using NJsonSchema.Validation;

namespace GoBuildRules.Reporting.Tests;

public sealed class JsonReportTests
{
    private static JsonSchema ReportSchema() =>
        JsonSchema.FromFileAsync(Path.Combine(RepoPaths.Root(), "docs", "schemas", "report.schema.json")).GetAwaiter().GetResult();

    [Fact]
    public void Sample_report_matches_the_documented_schema()
    {
        var errors = ReportSchema().Validate(ReportJson.Serialize(SampleReports.Rich(SampleReports.Payload)));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public void Replayed_scan_matches_the_documented_schema()
    {
        var errors = ReportSchema().Validate(ReportJson.Serialize(FormatSnapshotTests.ReplayedReport()));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    [Fact]
    public void The_schema_rejects_what_it_must()
    {
        var errors = ReportSchema().Validate("{\"schemaVersion\": 2, \"findings\": [{\"severity\": \"fatal\"}]}");
        Assert.Contains(errors, e => e.Path == "#/schemaVersion");
        Assert.Contains(errors, e => e.Kind == ValidationErrorKind.PropertyRequired && e.Property == "tool");
    }

    [Fact]
    public void A_saved_report_renders_every_format_exactly_as_the_original()
    {
        var original = SampleReports.Rich(SampleReports.Payload);
        var reread = ReportJson.Deserialize(ReportJson.Serialize(original));
        foreach (var format in ReportRenderer.BuiltInFormats)
        {
            Assert.Equal(ReportRenderer.Render(original, format, new RenderOptions()), ReportRenderer.Render(reread, format, new RenderOptions()));
        }
    }

    [Theory]
    [InlineData("{\"schemaVersion\": 99, \"tool\": {}, \"findings\": []}", "schema version 99 is not supported")]
    [InlineData("{\"schemaVersion\": 1, \"go\": {}, \"workspace\": {}}", "a snapshot is replayed with `scan --from`")]
    [InlineData("[1, 2]", "not a valid gobuildrules JSON report")]
    [InlineData("{\"schemaVersion\": 1,", "not a valid gobuildrules JSON report at line")]
    public void Unreadable_reports_are_refused_clearly(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ReportJson.Deserialize(json));
        Assert.Contains(expected, e.Message);
    }
}
