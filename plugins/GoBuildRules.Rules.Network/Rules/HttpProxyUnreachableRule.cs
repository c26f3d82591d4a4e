using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class HttpProxyUnreachableRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET017",
        "The HTTP proxy from HTTP_PROXY / HTTPS_PROXY fails",
        "network",
        Severity.Error,
        "The proxy the go command sends its requests through cannot be reached, stalls, or refuses the tunnel.",
        "Go's HTTP client sends https requests through HTTPS_PROXY (or https_proxy) and http requests through HTTP_PROXY, except for hosts in NO_PROXY and for localhost and loopback addresses. When that proxy's name does not resolve, its port refuses or drops connections, or it refuses or never answers the CONNECT request, every module and checksum download fails — or hangs, since cmd/go has no overall HTTP timeout. Credentials in the proxy URL are never sent by the probe; a 407 means the proxy wants them.")
    {
        HelpMarkdown = RuleHelp.For("GBNET017"),
        Tags = ["network", "http-proxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        foreach (var group in facts.Endpoints.Where(ViaProxyFailed).GroupBy(p => p.Via!))
        {
            var p = group.First();
            var variable = p.ViaVariable ?? "HTTPS_PROXY";
            var stalled = p.ProxyConnect?.TimedOut == true;
            yield return ForCompleteCache(ForVendor(Descriptor.Finding(
                $"{variable}={p.Via}: {p.Failure}." + (stalled ? " cmd/go has no overall HTTP timeout, so downloads will hang forever." : "") +
                $" Affected: {string.Join(", ", group.Select(x => x.Url).Distinct())}.",
                "http-proxy:" + p.Via) with
            {
                Location = Anchor(snapshot),
                Evidence = [new Evidence(variable, p.Via!), new Evidence("NO_PROXY", snapshot.Env("NO_PROXY") ?? snapshot.Env("no_proxy") ?? ""), .. ProbeEvidence(p)],
                Fixes =
                [
                    Fix.Run("Confirm through the proxy", $"curl -sS -o /dev/null -w '%{{http_code}}\\n' --max-time 10 -x {p.Via} {p.Url}", "None; one request, no credentials."),
                    Fix.Run("Bypass the proxy for the module hosts, if they are reachable directly", $"export NO_PROXY=\"$NO_PROXY,{p.Host}\"",
                        "Only works where the network allows direct connections; some networks allow only the proxy."),
                    Fix.Run($"Unset {variable} for go commands, if the proxy is stale", $"unset {variable}",
                        "Other tools in this shell stop using the proxy too."),
                ],
            }, snapshot), snapshot);
        }
    }
}
