using Cocona;
using GoBuildRules.Core.Config;
using GoBuildRules.Core.Engine;
using GoBuildRules.Reporting;

namespace GoBuildRules.Cli;

[GroupHelp(Description)]
public sealed class RulesCommands(ScanPipeline pipeline, Output output, Invocation invocation)
{
    public const string Description = "Inspect the rules of the installed packs";

    [Command("list", Description = "List every rule of every loaded pack")]
    public int List([Option("packs", Description = "Also load the rule packs in this folder (repeatable)")] string[]? packs = null)
    {
        invocation.Started();
        try
        {
            using var loaded = pipeline.LoadPacks(packs ?? [], pipeline.InstalledPacks(Directory.GetCurrentDirectory(), null));
            foreach (var pack in loaded.Packs)
            {
                Console.WriteLine($"{pack.Info.Id} {pack.Info.Version} ({pack.Rules.Count} rules){(pack.Bundled ? "" : " [third-party]")}");
                foreach (var rule in pack.Rules.OrderBy(r => r.Descriptor.Id, StringComparer.Ordinal))
                {
                    var d = rule.Descriptor;
                    Console.WriteLine($"  {d.Id,-10} {d.DefaultSeverity.ToString().ToLowerInvariant(),-8} {d.Title}");
                }
            }

            foreach (var error in loaded.Errors)
            {
                output.Error($"pack {error.Pack} not loaded: {error.Message}");
            }

            return loaded.Errors.Count > 0 ? ExitCodes.PackOrRuleFailure : ExitCodes.Success;
        }
        catch (UsageException e)
        {
            output.Error(e.Message);
            return ExitCodes.UsageOrConfigError;
        }
    }

    [Command("explain", Description = "Print a rule's documentation and its effective severity, with the setting it comes from")]
    public int Explain(
        [Argument(Description = "The rule id, e.g. GBGO002")] string id,
        [Option("path", ['p'], Description = "The repository whose gobuildrules.json applies (default: the current folder)")] string? path = null,
        [Option("config", Description = "Use this gobuildrules.json instead of the one found at or above --path")] string? config = null,
        [Option("packs", Description = "Also load the rule packs in this folder (repeatable)")] string[]? packs = null)
    {
        invocation.Started();
        try
        {
            var configured = pipeline.InstalledPacks(path ?? Directory.GetCurrentDirectory(), config);
            using var loaded = pipeline.LoadPacks(packs ?? [], configured);
            var match = loaded.Packs.SelectMany(p => p.Rules.Select(r => (Pack: p, Rule: r.Descriptor)))
                .FirstOrDefault(x => string.Equals(x.Rule.Id, id, StringComparison.OrdinalIgnoreCase));
            if (match.Rule is null)
            {
                foreach (var error in loaded.Errors)
                {
                    output.Warning($"pack {error.Pack} not loaded: {error.Message}");
                }

                output.Error($"no loaded pack has a rule {id}; `gobuildrules rules list` shows them");
                return ExitCodes.UsageOrConfigError;
            }

            var d = match.Rule;
            var setting = TeamPolicy.Effective(d, configured.Config);
            var suppressions = configured.Config.Suppressions.Where(s => string.Equals(s.Rule, d.Id, StringComparison.OrdinalIgnoreCase)).ToList();
            Console.WriteLine($"{d.Id}: {d.Title}");
            Console.WriteLine($"  pack:               {match.Pack.Info.Id} {match.Pack.Info.Version}");
            Console.WriteLine($"  category:           {d.Category}");
            Console.WriteLine($"  default severity:   {SeverityLevel.Name(d.DefaultSeverity)}");
            Console.WriteLine($"  effective severity: {(setting.Severity is { } sev ? SeverityLevel.Name(sev) : "off")} (from {setting.Source}{(configured.Config.File is { } f && setting.Source.StartsWith(TeamPolicy.Source, StringComparison.Ordinal) ? $", {f}" : "")})");
            foreach (var s in suppressions)
            {
                var state = s.Expires is { } e && e < DateOnly.FromDateTime(DateTime.Now) ? $"expired {e:yyyy-MM-dd}, stale" : s.Expires is { } e2 ? $"until {e2:yyyy-MM-dd}" : "no expiry";
                Console.WriteLine($"  suppressed:         {(s.Subject is null ? "all findings" : $"subject {s.Subject}")} ({state}): {s.Justification}");
            }

            Console.WriteLine();
            Console.Write(TerminalMarkdown.Render(Page(d), output.ColorEnabled));
            Console.WriteLine();
            Console.WriteLine($"More: {d.HelpUri}");
            return ExitCodes.Success;
        }
        catch (UsageException e)
        {
            output.Error(e.Message);
            return ExitCodes.UsageOrConfigError;
        }
    }

    /// <summary>
    /// The rule's page, else its descriptions. A page's "**Pack:** … · **Default severity:** …" line
    /// is left out: the lines above it already say that, with the effective severity beside it.
    /// </summary>
    private static string Page(Sdk.RuleDescriptor d)
    {
        if (d.HelpMarkdown.Length == 0)
        {
            return d.ShortDescription + "\n\n" + d.FullDescription;
        }

        var text = d.HelpMarkdown.Replace("\r", "").TrimStart('\n');
        if (text.StartsWith("**Pack:**", StringComparison.Ordinal))
        {
            var end = text.IndexOf("\n\n", StringComparison.Ordinal);
            text = end < 0 ? "" : text[(end + 2)..];
        }

        return text;
    }
}
