namespace GoBuildRules.Rules.Network.Rules;

/// <summary>Reads a rule's help from its docs/rules page, embedded in the pack at build time.</summary>
internal static class RuleHelp
{
    public static string For(string ruleId)
    {
        using var stream = typeof(RuleHelp).Assembly.GetManifestResourceStream($"rules.{ruleId}.md");
        if (stream is null)
        {
            return $"See docs/rules/{ruleId}.md.";
        }

        using var reader = new StreamReader(stream);
        // The page's title line repeats the rule's title; the help starts below it.
        var text = reader.ReadToEnd();
        var firstBreak = text.IndexOf('\n');
        return (firstBreak < 0 ? text : text[(firstBreak + 1)..]).Trim();
    }
}
