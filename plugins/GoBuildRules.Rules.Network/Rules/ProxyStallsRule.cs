using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class ProxyStallsRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET002",
        "A GOPROXY entry accepts the connection and never answers",
        "network",
        Severity.Error,
        "A module proxy connects but sends no HTTP response: go will hang forever.",
        "cmd/go's HTTP client has no overall timeout: only the 30 s TCP connect and 10 s TLS handshake limits of Go's default transport. A proxy that accepts the connection and then says nothing — a dead upstream behind a load balancer, a firewall that swallows packets after the handshake, a wedged Athens or Artifactory — makes `go build`, `go mod download` and toolchain downloads wait forever, with no message. Failed fetches are not retried, and nothing falls through to the next GOPROXY entry while it waits.")
    {
        HelpMarkdown = RuleHelp.For("GBNET002"),
        Tags = ["network", "goproxy", "hang"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        var config = NetworkConfig.From(snapshot);
        foreach (var p in facts.Endpoints.Where(p => p.Role == EndpointRole.Proxy && p.Stalled))
        {
            var evidence = ProxyEvidence(p, snapshot, facts, config);
            // Removing the cause comes first; the other two only confirm the stall or bound it.
            var removeCause = DropProxyEntry(snapshot, config, p, $"Drop the stalled proxy {p.Url} from GOPROXY",
                "Modules then come from the remaining entries; modules only that proxy serves cannot be fetched.");
            if (removeCause.Count == 0)
            {
                removeCause = SettingFixes.Set(snapshot, "GOPROXY", GoProxyList.Default, $"Replace the stalled proxy {p.Url} with the public proxy and direct fetches",
                    "Module paths are sent to proxy.golang.org; private modules need GOPRIVATE, and modules only the stalled proxy serves cannot be fetched.", FixApplicability.OnlyWhenNamed);
            }

            var fixes = new List<Fix>(removeCause)
            {
                ConfirmWithCurl(p),
                Fix.Run("Run the build with a deadline so it cannot hang unattended", "timeout 300 go mod download -x",
                    "None; the download is stopped after 5 minutes and -x shows the request it was waiting on."),
            };

            yield return WithLiveProcesses(ForCompleteCache(ForVendor(Descriptor.Finding(
                $"{RoleName(p)}: {p.Failure}. The go command has no overall HTTP timeout, so `go build` and `go mod download` will hang forever on this proxy.",
                $"GOPROXY:{p.Url}") with
            {
                Location = Anchor(snapshot),
                Evidence = evidence,
                Fixes = fixes,
            }, snapshot), snapshot), snapshot, p);
        }
    }
}
