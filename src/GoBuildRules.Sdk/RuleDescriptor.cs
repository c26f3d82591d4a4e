namespace GoBuildRules.Sdk;

/// <summary>
/// Everything a report needs to know about a rule without running it. Ids are stable and
/// pack-prefixed (GBCGO001); the help page lives at docs/rules/ID.md.
/// </summary>
public sealed record RuleDescriptor(
    string Id,
    string Title,
    string Category,
    Severity DefaultSeverity,
    string ShortDescription,
    string FullDescription)
{
    /// <summary>Where first-party rule pages are published; third-party packs set <see cref="HelpUri"/>.</summary>
    public const string FirstPartyHelpBase = "https://github.com/gobuildrules/gobuildrules/blob/main/docs/rules/";

    /// <summary>Markdown help: cause, how to confirm, how to fix. Shown by reports and `rules explain`.</summary>
    public string HelpMarkdown { get; init; } = "";

    public Uri HelpUri { get; init; } = new(FirstPartyHelpBase + Id + ".md");

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Starts a finding of this rule at its default severity.</summary>
    public Finding Finding(string message, string subject) =>
        new(Id, DefaultSeverity, message) { Subject = subject };
}
