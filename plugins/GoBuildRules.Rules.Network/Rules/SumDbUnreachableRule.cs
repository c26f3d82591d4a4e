using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class SumDbUnreachableRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET007",
        "The checksum database cannot be reached or stalls",
        "network",
        Severity.Error,
        "GOSUMDB's database does not answer, so verifying a new module fails or hangs.",
        "Before it trusts a module that is not yet in go.sum, the go command asks the checksum database (GOSUMDB, sum.golang.org by default) — first through the first GOPROXY entry (PROXY/sumdb/NAME/supported), else directly, or at the URL given in GOSUMDB. When the database is unreachable, `go get` and `go mod download` fail with \"verifying module\"; when it accepts the connection but never answers, they hang forever, because cmd/go's HTTP client has no overall timeout.")
    {
        HelpMarkdown = RuleHelp.For("GBNET007"),
        Tags = ["network", "gosumdb", "hang"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        var config = NetworkConfig.From(snapshot);
        if (!config.SumDbNeeded(snapshot)) yield break;

        var viaProxy = facts.Endpoints.FirstOrDefault(p => p.Role == EndpointRole.SumDbViaProxy);
        var direct = facts.Endpoints.FirstOrDefault(p => p.Role == EndpointRole.SumDb);
        // cmd/go uses the proxy's mirror when it answers /supported, and goes direct after a 404/410.
        var used = viaProxy switch
        {
            null => direct,
            { Http.Status: 404 or 410 } => direct,
            // 200: the proxy mirrors the database. Anything else: the proxy itself is broken, which GBNET001-003 report.
            _ => null,
        };
        if (used is null || !(used.FailedHop != Hop.None || used.Http?.Status >= 500)) yield break;
        if (used.Tls?.UnknownAuthority == true || ViaProxyFailed(used)) yield break; // GBNET018 / GBNET017 explain these

        var stalled = used.Stalled;
        var evidence = ProbeEvidence(used);
        evidence.Insert(0, new Evidence("GOSUMDB", config.SumDb.Raw));
        evidence.Insert(1, ConfiguredIn(snapshot, facts, "GOSUMDB"));
        yield return WithLiveProcesses(ForVendor(Descriptor.Finding(
            $"The checksum database {config.SumDb.Name} ({used.Url}): {used.Failure ?? "HTTP " + used.Http?.Status}." +
            (stalled ? " The go command has no overall HTTP timeout, so verifying any new module will hang forever." : " Verifying any module that is not yet in go.sum fails."),
            $"GOSUMDB:{config.SumDb.Name}") with
        {
            Location = Anchor(snapshot),
            Evidence = evidence,
            Fixes =
            [
                ConfirmWithCurl(used),
                .. SettingFixes.Set(snapshot, "GONOSUMDB", PrivateHostsPattern(snapshot), "Exempt only your private modules from the checksum database",
                    "Modules matching the pattern are verified only by go.sum; public modules still need the database.", FixApplicability.OnlyWhenNamed),
                .. SettingFixes.Set(snapshot, "GOSUMDB", "sum.golang.org https://sum.golang.google.cn", "Reach sum.golang.org through its mirror",
                    "The mirror is operated by a third party; the database key still verifies every answer."),
            ],
        }, snapshot), snapshot, used);
    }
}
