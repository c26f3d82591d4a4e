using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Network.Config;

public sealed record GoVcsRule(string Pattern, IReadOnlyList<string> Allowed);

/// <summary>
/// GOVCS as cmd/go parses it: "pattern:vcs|vcs,pattern:vcs", where pattern is a module-path glob or
/// "public" / "private", and vcs is a tool name, "all" or "off". The first matching rule wins; the
/// default "public:git|hg,private:all" always applies after the configured rules.
/// </summary>
public sealed record GoVcsConfig(string Raw, IReadOnlyList<GoVcsRule> Rules, string? Error)
{
    public static readonly IReadOnlyList<GoVcsRule> Defaults = [new("public", ["git", "hg"]), new("private", ["all"])];

    public static GoVcsConfig Parse(string? value)
    {
        var raw = value ?? "";
        var rules = new List<GoVcsRule>();
        foreach (var item in raw.Split(','))
        {
            var text = item.Trim();
            if (text.Length == 0) continue;
            var colon = text.IndexOf(':');
            if (colon < 0)
            {
                return new GoVcsConfig(raw, rules, $"GOVCS: invalid rule {text}: missing colon");
            }

            var pattern = text[..colon].Trim();
            var list = text[(colon + 1)..].Trim();
            if (pattern.Length == 0 || list.Length == 0)
            {
                return new GoVcsConfig(raw, rules, $"GOVCS: invalid rule {text}: empty pattern or vcs list");
            }

            var allowed = list.Split('|').Select(v => v.Trim()).ToList();
            if (allowed.Count > 1 && allowed.Any(v => v is "all" or "off"))
            {
                return new GoVcsConfig(raw, rules, $"GOVCS: invalid rule {text}: all and off must be alone");
            }

            rules.Add(new GoVcsRule(pattern, allowed));
        }

        return new GoVcsConfig(raw, rules, null);
    }

    /// <summary>Whether git may be used for a module, given whether the module is private (matches GOPRIVATE).</summary>
    public bool AllowsGit(string modulePath, bool isPrivate)
    {
        foreach (var rule in Rules.Concat(Defaults))
        {
            var matches = rule.Pattern switch
            {
                "public" => !isPrivate,
                "private" => isPrivate,
                var glob => ModulePatterns.Matches(glob, modulePath),
            };
            if (matches)
            {
                return rule.Allowed.Contains("all") || rule.Allowed.Contains("git");
            }
        }

        return false;
    }
}
