using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class TlsUnknownAuthorityRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET018",
        "TLS to a proxy or checksum database is signed by an unknown authority",
        "network",
        Severity.Error,
        "The certificate presented for a module endpoint does not chain to a trusted root: a TLS-intercepting proxy or a private CA.",
        "Corporate proxies and security products often intercept TLS and re-sign every certificate with their own root. The go command checks certificates against the system roots (and SSL_CERT_FILE / SSL_CERT_DIR), so when that root is not installed every download fails with \"x509: certificate signed by unknown authority\". The issuer named in the evidence is who re-signed it.")
    {
        HelpMarkdown = RuleHelp.For("GBNET018"),
        Tags = ["network", "tls", "http-proxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        // One finding per host: the proxy and the checksum-database route through it share the certificate.
        foreach (var group in facts.Endpoints.Where(p => p.Tls is { UnknownAuthority: true }).GroupBy(p => $"{p.Host}:{p.Port}"))
        {
            var p = group.First();
            yield return ForCompleteCache(Descriptor.Finding(
                $"{RoleName(p)}: the certificate for {p.Host} is issued by \"{p.Tls!.Issuer}\", which this machine does not trust" +
                (p.Via is not null ? $"; the proxy {p.Via} intercepts TLS." : "; something on the path intercepts TLS, or the server uses a private CA.") +
                $" Affected: {string.Join(", ", group.Select(x => x.Url + x.RequestPath))}.",
                $"tls:{group.Key}") with
            {
                Location = Anchor(snapshot),
                Evidence = [.. ProbeEvidence(p), new Evidence("chain", string.Join(" | ", p.Tls.Chain))],
                Fixes =
                [
                    Fix.Run("See the chain as presented", $"openssl s_client -connect {p.Host}:{p.Port} -servername {p.Host} -showcerts </dev/null", "None; one TLS handshake."),
                    Fix.Run("Trust the intercepting root (Debian/Ubuntu), after confirming it is your organisation's",
                        "sudo cp corp-root.crt /usr/local/share/ca-certificates/ && sudo update-ca-certificates",
                        "Every program on the machine then trusts certificates that root signs; install only a root you have verified."),
                    Fix.Run("Or point only Go at an extra bundle", "export SSL_CERT_FILE=/path/to/bundle-with-corp-root.pem",
                        "Replaces the system bundle for Go programs: the file must contain the public roots too."),
                ],
            }, snapshot);
        }
    }
}
