using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class SumDbOffRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET008",
        "GOSUMDB=off turns checksum verification off for every module",
        "security",
        Severity.Warning,
        "With GOSUMDB=off, new modules are trusted on first download, public ones included.",
        "GOSUMDB=off is often set to get private modules past a checksum database that does not know them, or to silence a database that cannot be reached. It also stops the go command from checking every public module it downloads for the first time, so a compromised proxy or a rewritten tag goes unnoticed. GONOSUMDB (or GOPRIVATE) with patterns for the private modules does the first job without giving up the second.")
    {
        HelpMarkdown = RuleHelp.For("GBNET008"),
        Tags = ["security", "gosumdb"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = NetworkConfig.From(snapshot);
        if (config.SumDb.Mode != SumDbMode.Off) yield break;
        var modules = NetworkConfig.FetchedModules(snapshot).Select(m => m.Path).ToList();
        var publicOnes = modules.Where(m => PublicHosts.IsPublic(m)).Take(3).ToList();
        var suggestion = PrivateHostsPattern(snapshot);
        yield return Descriptor.Finding(
            "GOSUMDB=off: modules downloaded for the first time are not checked against any checksum database" +
            (publicOnes.Count > 0 ? $", public ones such as {string.Join(", ", publicOnes)} included." : "."),
            "GOSUMDB") with
        {
            Location = Anchor(snapshot),
            Evidence = [new Evidence("GOSUMDB", "off"), ConfiguredIn(snapshot, Facts(snapshot), "GOSUMDB"), new Evidence("GONOSUMDB", config.GoNoSumDb), new Evidence("GOPRIVATE", config.GoPrivate)],
            Fixes =
            [
                .. SettingFixes.Set(snapshot, "GONOSUMDB", suggestion, "Exempt only the private module hosts from verification",
                    "None for public modules; the hosts named are verified only by go.sum.", FixApplicability.OnlyWhenNamed),
                .. SettingFixes.Unset(snapshot, "GOSUMDB", "Turn the checksum database back on",
                    "Module paths not covered by GONOSUMDB are sent to sum.golang.org; if it is unreachable from here, fetches of new modules fail (see GBNET007)."),
            ],
        };
    }
}
