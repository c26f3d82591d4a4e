using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Engine;

public enum FailOn
{
    Note,
    Warning,
    Error,
    Never,
}

/// <summary>The documented, stable exit codes of gobuildrules.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int FindingsAtOrAboveFailOn = 1;
    public const int UsageOrConfigError = 2;
    public const int PackOrRuleFailure = 3;

    /// <summary>
    /// watch: the command stalled or ran past --timeout and was stopped (as timeout(1)); scan: the
    /// deadline cut checks before they finished and no finding reached --fail-on, so the result is
    /// incomplete, not healthy.
    /// </summary>
    public const int TimedOut = 124;

    /// <summary>watch itself failed (as timeout(1)).</summary>
    public const int WatchFailed = 125;

    /// <summary>watch: the command exists but cannot be executed (as a shell says).</summary>
    public const int CommandNotExecutable = 126;

    /// <summary>watch: the command was not found (as a shell says).</summary>
    public const int CommandNotFound = 127;

    public const int Interrupted = 130;
    public const int Terminated = 143;

    /// <summary>A bug in the tool (an exception nothing expected): one line on stderr instead of a stack trace.</summary>
    public const int InternalError = 70;
}

public static class Policy
{
    public static bool Fails(Severity severity, FailOn failOn) =>
        failOn != FailOn.Never && (int)severity >= (int)failOn;

    /// <summary>
    /// 1 when a finding reaches --fail-on; else 3 when a pack or rule failed and --strict asks for it;
    /// else 124 when the deadline cut checks (<paramref name="cutByDeadline"/>) unless --fail-on never; else 0.
    /// Findings win over tool failures because they are what the user asked about; a scan that could
    /// not check everything is never reported as healthy.
    /// </summary>
    public static int ExitCode(IEnumerable<Finding> findings, FailOn failOn, bool toolFailures, bool strict, bool cutByDeadline = false) =>
        findings.Any(f => Fails(f.Severity, failOn)) ? ExitCodes.FindingsAtOrAboveFailOn
        : strict && toolFailures ? ExitCodes.PackOrRuleFailure
        : cutByDeadline && failOn != FailOn.Never ? ExitCodes.TimedOut
        : ExitCodes.Success;
}

/// <summary>A rule's effective severity and the setting it came from; Severity null means the rule is off.</summary>
public sealed record RuleSetting(string RuleId, Severity? Severity, string Source)
{
    public bool Off => Severity is null;
}

/// <summary>A finding the team accepted, and the suppression's reason.</summary>
public sealed record SuppressedFinding(Finding Finding, string Justification);

/// <summary>What the policy stage passes on: findings at their effective severity, the suppressed ones, and what it has to say about the config.</summary>
public sealed record PolicyOutcome(IReadOnlyList<Finding> Findings, IReadOnlyList<SuppressedFinding> Suppressed, IReadOnlyList<ToolNotification> Notifications);

/// <summary>
/// The team configuration applied to findings. Precedence, first match wins:
/// disabled → severity.rules[ID] → severity.categories[CATEGORY] → the finding's own severity.
/// Then suppressions: a live suppression moves a finding to Suppressed; an expired one suppresses
/// nothing and is reported as stale.
/// </summary>
public static class TeamPolicy
{
    public const string Source = "gobuildrules.json";

    public static RuleSetting Effective(RuleDescriptor rule, Config.TeamConfig config)
    {
        if (config.Disabled.Contains(rule.Id, StringComparer.OrdinalIgnoreCase))
        {
            return new RuleSetting(rule.Id, null, $"{Source}: disabled");
        }

        if (Lookup(config.Severity.Rules, rule.Id) is { } byRule)
        {
            return Setting(rule.Id, byRule.Value, $"{Source}: severity.rules.{byRule.Key}");
        }

        if (Lookup(config.Severity.Categories, rule.Category) is { } byCategory)
        {
            return Setting(rule.Id, byCategory.Value, $"{Source}: severity.categories.{byCategory.Key}");
        }

        return new RuleSetting(rule.Id, rule.DefaultSeverity, "the rule's default");
    }

    public static PolicyOutcome Apply(IReadOnlyList<Finding> findings, IReadOnlyList<EvaluatedRule> rules, Config.TeamConfig config, DateOnly today)
    {
        var byId = rules.GroupBy(r => r.Rule.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Effective(g.First().Rule, config), StringComparer.Ordinal);
        var notifications = new List<ToolNotification>();

        var live = new List<Config.Suppression>();
        foreach (var s in config.Suppressions)
        {
            if (s.Expires is { } expires && expires < today)
            {
                notifications.Add(new ToolNotification(NotificationLevel.Warning, Source,
                    $"stale suppression of {s.Rule}{(s.Subject is null ? "" : $" ({s.Subject})")}: expired on {expires:yyyy-MM-dd}; its findings are reported again. Renew it with a new justification or remove it.") { RuleId = s.Rule });
            }
            else
            {
                live.Add(s);
            }
        }

        var known = new HashSet<string>(byId.Keys, StringComparer.OrdinalIgnoreCase);
        var categories = new HashSet<string>(rules.Select(r => r.Rule.Category), StringComparer.OrdinalIgnoreCase);
        foreach (var id in config.Disabled.Concat(config.Severity.Rules.Keys).Concat(config.Suppressions.Select(s => s.Rule)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!known.Contains(id) && rules.Count > 0)
            {
                var message = categories.Contains(id) && config.Disabled.Contains(id, StringComparer.OrdinalIgnoreCase)
                    ? $"disabled lists {id}, which is a category, not a rule id, so it turns nothing off; write severity.categories.{id}: off"
                    : $"{id} is configured but no loaded pack has such a rule";
                notifications.Add(new ToolNotification(NotificationLevel.Note, Source, message) { RuleId = id });
            }
        }

        foreach (var category in config.Severity.Categories.Keys.Where(c => !categories.Contains(c) && rules.Count > 0))
        {
            notifications.Add(new ToolNotification(NotificationLevel.Note, Source,
                $"severity.categories.{category} names no category of the loaded rules ({string.Join(", ", categories.Order(StringComparer.Ordinal))})"));
        }

        var kept = new List<Finding>();
        var suppressed = new List<SuppressedFinding>();
        foreach (var finding in findings)
        {
            var setting = byId.GetValueOrDefault(finding.RuleId);
            if (setting is { Off: true })
            {
                continue;
            }

            var effective = setting is not null && setting.Source != "the rule's default" ? finding with { Severity = setting.Severity!.Value } : finding;
            var match = live.FirstOrDefault(s => string.Equals(s.Rule, finding.RuleId, StringComparison.OrdinalIgnoreCase) && (s.Subject is null || Glob(s.Subject, finding.Subject)));
            if (match is not null)
            {
                suppressed.Add(new SuppressedFinding(effective, match.Justification));
            }
            else
            {
                kept.Add(effective);
            }
        }

        return new PolicyOutcome(
            kept.OrderByDescending(f => f.Severity).ThenBy(f => f.RuleId, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal).ToList(),
            suppressed,
            notifications);
    }

    private static KeyValuePair<string, string>? Lookup(IReadOnlyDictionary<string, string> map, string key)
    {
        foreach (var pair in map)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair;
            }
        }

        return null;
    }

    private static RuleSetting Setting(string id, string value, string source) =>
        new(id, Config.SeverityLevel.IsOff(value) ? null : Config.SeverityLevel.Parse(value), source);

    /// <summary>Matches a subject pattern where '*' stands for any run of characters, case-sensitively.</summary>
    public static bool Glob(string pattern, string text)
    {
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return pattern == text;
        }

        if (!text.StartsWith(parts[0], StringComparison.Ordinal) || !text.EndsWith(parts[^1], StringComparison.Ordinal) || text.Length < parts[0].Length + parts[^1].Length)
        {
            return false;
        }

        var position = parts[0].Length;
        var end = text.Length - parts[^1].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var at = text.IndexOf(parts[i], position, end - position, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            position = at + parts[i].Length;
        }

        return true;
    }
}
