using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Ide.Tests;

internal static class Report
{
    public sealed record Found(string RuleId, string Severity, string Message, string? File, int? Line);

    public static IReadOnlyList<Found> Findings(CliResult result)
    {
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("findings").EnumerateArray().Select(f =>
        {
            var hasLocation = f.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.Object;
            return new Found(
                f.GetProperty("ruleId").GetString()!,
                f.GetProperty("severity").GetString()!,
                f.GetProperty("message").GetString()!,
                hasLocation ? l.GetProperty("file").GetString() : null,
                hasLocation && l.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null);
        }).ToList();
    }
}
