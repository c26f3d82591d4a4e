using System.Text.Json;
using GoBuildRules.Sdk;

namespace GoBuildRules.Testing;

/// <summary>
/// What a positive fixture must make its rule report, pinned in "{fixture}.expected.json" beside it
/// (positive-x.json → positive-x.expected.json): every finding's rule id, severity, subject, file and
/// line, compared exactly (as a multiset: order is the rule's business, count and content are not).
/// </summary>
public sealed record ExpectedFindings(IReadOnlyList<ExpectedFinding> Findings)
{
    /// <summary>The suffix that marks an expectations file; such a file is never itself a fixture.</summary>
    public const string Suffix = ".expected.json";

    /// <summary>Set to 1 to write every missing or differing expectations file from the current output (then review them).</summary>
    public const string WriteVariable = "GBR_WRITE_EXPECTED";

    public static string PathFor(string fixtureFile) =>
        fixtureFile[..^".json".Length] + Suffix;

    public static ExpectedFindings Of(IEnumerable<Finding> findings) =>
        new(findings.Select(ExpectedFinding.Of).OrderBy(f => f.ToString(), StringComparer.Ordinal).ToList());

    public static ExpectedFindings Read(string file)
    {
        var read = JsonSerializer.Deserialize<ExpectedFindings>(File.ReadAllText(file), SnapshotJson.Options);
        // Nullable annotations do not stop the deserializer: a file without "findings" is malformed, not empty.
        return read?.Findings is null || read.Findings.Any(f => f is null || f.RuleId is null || f.Subject is null)
            ? throw new InvalidDataException("it needs \"findings\": [ { \"ruleId\", \"severity\", \"subject\", \"file\"?, \"line\"? } ]")
            : read;
    }

    public string ToJson() => JsonSerializer.Serialize(this, SnapshotJson.Options) + "\n";
}

/// <summary>One pinned finding: what reports fingerprint and show, without the message text.</summary>
public sealed record ExpectedFinding(string RuleId, Severity Severity, string Subject, string? File = null, int? Line = null)
{
    public static ExpectedFinding Of(Finding f) => new(f.RuleId, f.Severity, f.Subject, f.Location?.File, f.Location?.Line);

    public override string ToString() =>
        $"{RuleId} {Severity.ToString().ToLowerInvariant()} [{Subject}]" +
        (File is null ? " (no location)" : Line is null ? $" at {File}" : $" at {File}:{Line}");
}
