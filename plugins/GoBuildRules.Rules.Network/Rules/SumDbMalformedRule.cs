using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class SumDbMalformedRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET006",
        "GOSUMDB is malformed",
        "configuration",
        Severity.Error,
        "cmd/go cannot parse GOSUMDB, so every download that needs a checksum fails.",
        "GOSUMDB is `off`, a known database name (sum.golang.org, sum.golang.google.cn), or `name+hash+key` for any other database, optionally followed by one URL to reach it. A bare host name that is not a known database, more than two fields, or a key that is not an Ed25519 verifier key make cmd/go fail with \"invalid GOSUMDB\" on the first module it must verify.")
    {
        HelpMarkdown = RuleHelp.For("GBNET006"),
        Tags = ["configuration", "gosumdb"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = NetworkConfig.From(snapshot);
        if (config.SumDb.Mode != SumDbMode.Malformed) yield break;
        yield return Descriptor.Finding($"GOSUMDB={config.SumDb.Raw} cannot be used: {config.SumDb.Error}.", "GOSUMDB") with
        {
            Location = Anchor(snapshot),
            Evidence = [new Evidence("GOSUMDB", config.SumDb.Raw), ConfiguredIn(snapshot, Facts(snapshot), "GOSUMDB"), new Evidence("error", config.SumDb.Error ?? "")],
            Fixes =
            [
                .. SettingFixes.Unset(snapshot, "GOSUMDB", "Go back to the default checksum database (sum.golang.org)",
                    "Module paths not covered by GONOSUMDB/GOPRIVATE are looked up in the public database."),
                .. SettingFixes.Set(snapshot, "GONOSUMDB", PrivateHostsPattern(snapshot), "Exempt private modules instead of running a private checksum database",
                    "Modules matching the pattern are not verified against any database; go.sum still pins them after the first download.", FixApplicability.OnlyWhenNamed),
            ],
        };
    }
}
