using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class NoNameserverRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET015",
        "No nameserver answers",
        "network",
        Severity.Error,
        "None of the nameservers in /etc/resolv.conf answered a DNS query, so no proxy or checksum database can be found by name.",
        "Every module download starts with a DNS lookup of the proxy, the checksum database or the VCS host. When no configured nameserver answers — a VPN that left a dead resolver behind, a container with the host's 127.0.0.53 but no systemd-resolved, a firewall dropping port 53 — each lookup waits for the resolver's timeouts and retries (5 s × attempts × servers) before it fails, so go commands crawl and then fail with \"dial tcp: lookup …: i/o timeout\".")
    {
        HelpMarkdown = RuleHelp.For("GBNET015"),
        Tags = ["network", "dns"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var dns = Facts(snapshot)?.Dns;
        if (dns is null || dns.Probes.Count == 0 || dns.Probes.Any(p => p.Answered)) yield break;
        var name = dns.Probes[0].Name;
        yield return ForCompleteCache(Descriptor.Finding(
            $"None of the {dns.Probes.Count} nameserver(s) in {dns.ResolvConf} ({string.Join(", ", dns.Nameservers)}) answered a query for {name}.",
            "dns:" + string.Join(",", dns.Nameservers)) with
        {
            Location = Anchor(snapshot),
            Evidence = [.. dns.Probes.Select(p => new Evidence($"nameserver {p.Server}", $"{p.Error ?? "no answer"} after {p.Ms:0} ms")), new Evidence("queried name", name)],
            Fixes =
            [
                Fix.Run("Confirm with one query per nameserver", $"dig +time=2 +tries=1 {name} @{dns.Nameservers[0]}", "None; one DNS query."),
                Fix.EditFile(dns.ResolvConf, "nameserver <a resolver that answers on this network>", "Point the resolver at a nameserver that answers",
                    "Managed by NetworkManager, systemd-resolved, a VPN client or the container runtime on most systems: change it there, or the edit is overwritten."),
            ],
        }, snapshot);
    }
}
