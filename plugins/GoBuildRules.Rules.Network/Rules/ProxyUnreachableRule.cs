using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class ProxyUnreachableRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET001",
        "A GOPROXY entry cannot be reached",
        "network",
        Severity.Error,
        "A module proxy from GOPROXY fails at DNS, TCP or TLS.",
        "The go command downloads modules (and, from Go 1.21, toolchains) through the entries of GOPROXY in order. When an entry cannot be reached — its name does not resolve, the TCP connection is refused or times out, or the TLS handshake fails — every fetch through it fails, after up to 30 s for a TCP timeout. After a ',' only a 404 or 410 falls through to the next entry, so an unreachable first entry stops the build.")
    {
        HelpMarkdown = RuleHelp.For("GBNET001"),
        Tags = ["network", "goproxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        var config = NetworkConfig.From(snapshot);
        foreach (var p in facts.Endpoints.Where(p => p.Role == EndpointRole.Proxy && FailedBeforeHttp(p)))
        {
            var evidence = ProxyEvidence(p, snapshot, facts, config);
            var fixes = new List<Fix> { ConfirmWithCurl(p) };
            fixes.AddRange(FallBackFix(snapshot, config, p));
            fixes.AddRange(DropProxyEntry(snapshot, config, p, $"Drop {p.Url} from GOPROXY",
                    "Modules then come from the remaining entries; if the dropped proxy was the only way to private modules, those fetches fail."));

            fixes.AddRange(SettingFixes.Set(snapshot, "GOPROXY", GoProxyList.Default, "Use the public proxy and direct fetches (the Go default)",
                "Module paths are sent to proxy.golang.org; private modules need GOPRIVATE. Behind a firewall the public proxy may be blocked too.", FixApplicability.OnlyWhenNamed));
            yield return WithLiveProcesses(ForCompleteCache(ForVendor(Descriptor.Finding($"{RoleName(p)}: {p.Failure}. Every fetch through it fails.", $"GOPROXY:{p.Url}") with
            {
                Location = Anchor(snapshot),
                Evidence = evidence,
                Fixes = fixes,
            }, snapshot), snapshot), snapshot, p);
        }
    }
}
