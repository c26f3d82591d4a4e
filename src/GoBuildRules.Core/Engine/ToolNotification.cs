namespace GoBuildRules.Core.Engine;

public enum NotificationLevel
{
    Note,
    Warning,
    Error,
}

/// <summary>
/// Something the tool itself could not do: a pack that did not load, a rule that threw or overran,
/// a collector that ran out of time. Reported beside the findings, never instead of them.
/// </summary>
public sealed record ToolNotification(NotificationLevel Level, string Source, string Message)
{
    /// <summary>The rule this is about, when it is about one.</summary>
    public string? RuleId { get; init; }
}
