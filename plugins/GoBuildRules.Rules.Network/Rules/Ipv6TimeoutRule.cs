using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class Ipv6TimeoutRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET016",
        "IPv6 connections time out while IPv4 works",
        "network",
        Severity.Warning,
        "An endpoint has IPv6 addresses whose TCP connections time out, while IPv4 connects.",
        "When a name has AAAA records, Go's dialer tries IPv6 and falls back to IPv4 after 300 ms (\"happy eyeballs\"); git, curl and ssh used for direct fetches may wait much longer on a broken IPv6 route, up to the TCP connect timeout, on every connection. The usual cause is an IPv6 address on the machine without a working route out (a VPN, a Docker or WSL network, a router that announces IPv6 it cannot carry).")
    {
        HelpMarkdown = RuleHelp.For("GBNET016"),
        Tags = ["network", "ipv6", "slow"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        foreach (var p in facts.Endpoints)
        {
            var v4 = p.Tcp.FirstOrDefault(t => t.Family == "ipv4" && t.Outcome == TcpOutcome.Connected);
            var v6 = p.Tcp.FirstOrDefault(t => t.Family == "ipv6" && t.Outcome is TcpOutcome.TimedOut or TcpOutcome.Unreachable);
            if (v4 is null || v6 is null) continue;
            yield return Descriptor.Finding(
                $"{p.Host}: IPv6 {v6.Address} {(v6.Outcome == TcpOutcome.TimedOut ? $"did not connect within {v6.Ms:0} ms" : "is unreachable")} while IPv4 {v4.Address} connected in {v4.Ms:0} ms.",
                "ipv6:" + p.Host) with
            {
                Location = Anchor(snapshot),
                Evidence = ProbeEvidence(p),
                Fixes =
                [
                    Fix.Run("Confirm", $"curl -6 -sS -o /dev/null --connect-timeout 5 https://{p.Host}/ ; curl -4 -sS -o /dev/null --connect-timeout 5 https://{p.Host}/", "None; two requests."),
                    Fix.Run("Prefer IPv4 for this machine's resolver (glibc)", "echo 'precedence ::ffff:0:0/96 100' | sudo tee -a /etc/gai.conf",
                        "Affects every program on the machine; IPv6-only services still use IPv6."),
                ],
            };
        }
    }
}
