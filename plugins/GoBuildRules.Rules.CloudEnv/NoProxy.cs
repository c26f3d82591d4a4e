using System.Net;

namespace GoBuildRules.Rules.CloudEnv;

/// <summary>
/// NO_PROXY matching as Go's net/http (golang.org/x/net/http/httpproxy) does it: "*" bypasses all;
/// "example.com" matches it and its subdomains; ".example.com" and "*.example.com" only subdomains;
/// IP addresses and CIDR ranges match addresses; a ":port" suffix restricts the port.
/// </summary>
internal static class NoProxy
{
    public static IReadOnlyList<string> Entries(string? noProxy) =>
        (noProxy ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static bool Bypasses(string? noProxy, string host)
    {
        host = host.ToLowerInvariant().Trim('[', ']');
        foreach (var raw in Entries(noProxy))
        {
            var entry = raw.ToLowerInvariant();
            if (entry == "*")
            {
                return true;
            }

            if (entry.Contains('/') && IPAddress.TryParse(host, out var address) && IPNetwork.TryParse(entry, out var network))
            {
                if (network.Contains(address)) return true;
                continue;
            }

            // Drop a port: the module hosts and metadata endpoints we ask about are port-less.
            var colon = entry.LastIndexOf(':');
            if (colon > 0 && !entry.Contains("::") && entry[(colon + 1)..].All(char.IsAsciiDigit))
            {
                entry = entry[..colon];
            }

            if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                entry = entry[1..];
            }

            if (entry.StartsWith('.'))
            {
                if (host.EndsWith(entry, StringComparison.Ordinal)) return true;
                continue;
            }

            if (host == entry || host.EndsWith("." + entry, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// For a GOPRIVATE host pattern: the host to test ("*.corp.example.com" is tested as a
    /// subdomain of it), or null when the pattern's host is itself a glob we cannot test.
    /// </summary>
    public static string? RepresentativeHost(string hostPattern)
    {
        if (hostPattern.StartsWith("*.", StringComparison.Ordinal) && !hostPattern[2..].Contains('*'))
        {
            return "x" + hostPattern[1..];
        }

        return hostPattern.IndexOfAny(['*', '?', '[']) >= 0 ? null : hostPattern;
    }
}
