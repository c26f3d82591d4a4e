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
        "cmd/go cannot parse GOSUMDB, so every download that needs a checksum fails: an error when go.sum does not pin a required module yet, a warning when it pins them all (today's build looks nothing up).",
        "GOSUMDB is `off`, a known database name (sum.golang.org, sum.golang.google.cn), or `name+hash+key` for any other database, optionally followed by one URL to reach it. A bare host name that is not a known database, more than two fields, or a key that is not an Ed25519 verifier key make cmd/go fail with \"invalid GOSUMDB\" on the first module it must verify.")
    {
        HelpMarkdown = RuleHelp.For("GBNET006"),
        Tags = ["configuration", "gosumdb"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = NetworkConfig.From(snapshot);
        if (config.SumDb.Mode != SumDbMode.Malformed) yield break;
        // go parses GOSUMDB only when it must look a checksum up: a module go.sum does not pin yet.
        var unpinned = Unpinned(snapshot, config);
        yield return Descriptor.Finding(
            $"GOSUMDB={config.SumDb.Raw} cannot be used: {config.SumDb.Error}." + (unpinned.Count > 0
                ? $" go.sum does not pin {string.Join(", ", unpinned.Take(3))}{(unpinned.Count > 3 ? ", …" : "")}, so verifying {(unpinned.Count == 1 ? "it" : "them")} fails with 'invalid GOSUMDB'."
                : " Today's build needs no lookup (go.sum pins every required module), so it succeeds; the first module not yet in go.sum fails with 'invalid GOSUMDB'."),
            "GOSUMDB") with
        {
            Severity = unpinned.Count > 0 ? Severity.Error : Severity.Warning,
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

    /// <summary>Required modules the checksum database would be asked about: not exempt, and go.sum lacks their zip or go.mod line.</summary>
    private static List<string> Unpinned(Snapshot s, NetworkConfig config)
    {
        var sum = s.Workspace.GoSum?.Entries ?? [];
        bool Pinned(string path, string version) => sum.Any(e => e.Path == path && e.Version == version);
        return NetworkConfig.FetchedModules(s)
            .Where(m => !config.IsNoSumDb(m.Path))
            .Where(m => !Pinned(m.Path, m.Require.Version) || !Pinned(m.Path, m.Require.Version + "/go.mod"))
            .Select(m => $"{m.Path}@{m.Require.Version}")
            .Distinct()
            .ToList();
    }
}
