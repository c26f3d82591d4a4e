using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class ProxyBypassRule : IRule
{
    internal const string MetadataAddress = "169.254.169.254";

    public RuleDescriptor Descriptor { get; } = new(
        "GBENV005",
        "An HTTP(S) proxy is set but NO_PROXY misses the private module host or the metadata endpoint",
        "network",
        Severity.Warning,
        "Traffic to the private module host or the cloud metadata endpoint is sent through the corporate proxy, which cannot or must not reach it.",
        "With HTTPS_PROXY / HTTP_PROXY set, Go's net/http and git send every request through the proxy except to hosts listed in NO_PROXY. Private modules (GOPRIVATE / GONOPROXY) are fetched directly from their host, usually an internal Git server the proxy cannot reach or refuses, so `go mod download` hangs until a timeout or fails with a proxy error. Cloud credentials come from the instance metadata endpoint 169.254.169.254, a link-local address that only answers without a proxy; through the proxy, credential lookups for private registries and buckets stall.")
    {
        HelpMarkdown = "`env | grep -i _proxy`; `go env GOPRIVATE GONOPROXY`; `curl -v https://HOST` shows whether the proxy is used.",
        Tags = ["network", "proxy", "private-modules", "cloud"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var settings = snapshot.GoSettings;
        var proxy = settings.HttpProxy;
        var proxyName = proxy.HttpsProxyVariable ?? proxy.HttpProxyVariable;
        if (proxyName is null)
        {
            yield break;
        }

        var noProxyName = proxy.NoProxyVariable ?? "NO_PROXY";
        var noProxy = proxy.NoProxy ?? "";
        var facts = CloudEnvPack.Facts(snapshot);

        var missing = new List<(string Host, string Why)>();
        var privatePatterns = settings.NoProxy.Patterns.Concat(settings.Private.Patterns);
        foreach (var hostPattern in privatePatterns.Select(p => p.Split('/')[0]).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var host = RepresentativeHost(hostPattern);
            if (host is not null && host.Contains('.') && !proxy.Bypasses(host))
            {
                missing.Add((hostPattern.StartsWith("*.", StringComparison.Ordinal) ? hostPattern[1..] : hostPattern, "a private module host in GOPRIVATE / GONOPROXY"));
            }
        }

        if (InCloud(snapshot, facts) is { } cloud && !proxy.Bypasses(MetadataAddress))
        {
            missing.Add((MetadataAddress, $"the instance metadata endpoint; {cloud}"));
        }

        if (missing.Count == 0)
        {
            yield break;
        }

        var additions = string.Join(",", missing.Select(m => m.Host));
        var newValue = noProxy.Length > 0 ? $"{noProxy},{additions}" : additions;
        yield return Descriptor.Finding(
            $"{proxyName} is set, but {noProxyName} does not exempt {string.Join(" and ", missing.Select(m => $"{m.Host} ({m.Why})"))}: those requests go through the proxy, which usually cannot reach them, so downloads hang or fail.",
            "NO_PROXY") with
        {
            Location = Anchors.Variable(facts, "NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy") ?? Anchors.Module(snapshot),
            Evidence =
            [
                new Evidence(proxyName, snapshot.Env(proxyName) ?? ""),
                new Evidence(noProxyName, noProxy.Length > 0 ? noProxy : "(unset)"),
                new Evidence("GOPRIVATE", settings.Value("GOPRIVATE")),
                new Evidence("not exempted", string.Join(", ", missing.Select(m => m.Host))),
            ],
            Fixes =
            [
                Fix.Run("Exempt them from the proxy for this shell (set both spellings: tools differ in which they read)",
                    ["export", $"NO_PROXY={newValue}", $"no_proxy={newValue}"],
                    "Those hosts are then contacted directly; if one is reachable only through the proxy, its requests fail instead."),
            ],
        };
    }

    /// <summary>
    /// For a GOPRIVATE host pattern: the host to test ("*.corp.example.com" is tested as a
    /// subdomain of it), or null when the pattern's host is itself a glob we cannot test.
    /// </summary>
    private static string? RepresentativeHost(string hostPattern)
    {
        if (hostPattern.StartsWith("*.", StringComparison.Ordinal) && !hostPattern[2..].Contains('*'))
        {
            return "x" + hostPattern[1..];
        }

        return hostPattern.IndexOfAny(['*', '?', '[']) >= 0 ? null : hostPattern;
    }

    /// <summary>Whether the build runs where an instance metadata endpoint matters, and which sign says so.</summary>
    private static string? InCloud(Snapshot s, CloudEnvFacts? facts)
    {
        if (facts?.Ci?.Provider is "aws-codebuild" or "google-cloud-build")
            return $"running in {facts.Ci.Name}";
        if (facts?.Container?.Runtime == "kubernetes" || s.Env("KUBERNETES_SERVICE_HOST") is not null)
            return "running in Kubernetes";
        var cloudVar = s.Environment.Keys.FirstOrDefault(k =>
            k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("GOOGLE_", StringComparison.Ordinal) || k.StartsWith("GCP_", StringComparison.Ordinal)
            || k.StartsWith("CLOUDSDK_", StringComparison.Ordinal) || k.StartsWith("AZURE_", StringComparison.Ordinal) || k.StartsWith("CODEBUILD_", StringComparison.Ordinal));
        return cloudVar is null ? null : $"{cloudVar} is set";
    }
}
