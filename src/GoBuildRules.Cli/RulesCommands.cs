using Cocona;
using GoBuildRules.Core.Engine;

namespace GoBuildRules.Cli;

public sealed class RulesCommands(ScanPipeline pipeline, Output output, Invocation invocation)
{
    [Command("list", Description = "List every rule of every loaded pack")]
    public int List([Option("packs", Description = "Also load the rule packs in this folder (repeatable)")] string[]? packs = null)
    {
        invocation.Started();
        try
        {
            using var loaded = pipeline.LoadPacks(packs ?? []);
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
}
