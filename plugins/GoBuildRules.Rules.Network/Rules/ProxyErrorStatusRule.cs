using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class ProxyErrorStatusRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET003",
        "A GOPROXY entry answers with an error status",
        "network",
        Severity.Error,
        "A module proxy answers 401, 403, 407, 429 or 5xx instead of serving modules.",
        "cmd/go treats 404 and 410 from a proxy as \"not here\" and, after a ',', falls through to the next entry. Every other error status — 401/403 (credentials missing or refused), 407 (an HTTP proxy wants credentials), 429 (rate limited), 5xx (the proxy or its upstream is broken) — fails the fetch at once, unless the entry is followed by '|'.")
    {
        HelpMarkdown = RuleHelp.For("GBNET003"),
        Tags = ["network", "goproxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        var config = NetworkConfig.From(snapshot);
        foreach (var p in facts.Endpoints.Where(p => p.Role == EndpointRole.Proxy && IsErrorStatus(p)))
        {
            var status = p.Http!.Status!.Value;
            var meaning = status switch
            {
                401 or 403 => "the proxy wants credentials or refuses them (cmd/go reads them from .netrc / GOAUTH)",
                407 => "an HTTP proxy on the way wants credentials",
                429 => "the proxy rate-limits this machine",
                >= 500 => "the proxy or its upstream is failing",
                _ => "the proxy refuses the request",
            };
            var evidence = ProxyEvidence(p, snapshot, facts, config);
            var fixes = new List<Fix> { ConfirmWithCurl(p) };
            fixes.AddRange(FallBackFix(snapshot, config, p));
            fixes.AddRange(DropProxyEntry(snapshot, config, p, $"Drop {p.Url} from GOPROXY",
                    "Modules then come from the remaining entries; modules only that proxy serves cannot be fetched."));

            // The probe never sends credentials; cmd/go sends the .netrc ones, so a 401/403 is expected there.
            var netrc = status is 401 or 403 && facts.NetrcHosts.Contains(p.Host.ToLowerInvariant());
            if (netrc)
            {
                evidence.Add(new Evidence(".netrc", $"has credentials for {p.Host} (go sends them; the probe does not)"));
            }

            var message = netrc
                ? $"{RoleName(p)} answered HTTP {status} {p.Http.Reason} to a request without credentials; .netrc has an entry for {p.Host}, which go will send. If fetches still fail, those credentials are wrong or expired."
                : $"{RoleName(p)} answered HTTP {status} {p.Http.Reason}: {meaning}. Fetches through it fail.";
            yield return WithLiveProcesses(ForCompleteCache(ForVendor(Descriptor.Finding(message, $"GOPROXY:{p.Url}") with
            {
                Severity = netrc ? Severity.Note : status is 429 ? Severity.Warning : Severity.Error,
                Location = Anchor(snapshot),
                Evidence = evidence,
                Fixes = fixes,
            }, snapshot), snapshot), snapshot, p);
        }
    }
}
