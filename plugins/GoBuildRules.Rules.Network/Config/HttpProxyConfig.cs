using System.Net;

namespace GoBuildRules.Rules.Network.Config;

/// <summary>
/// HTTP_PROXY / HTTPS_PROXY / NO_PROXY as Go's net/http (golang.org/x/net/http/httpproxy) applies
/// them: the upper-case name wins when both are set, a value without a scheme gets "http://",
/// requests to localhost and loopback addresses never use a proxy, NO_PROXY holds "*", domains
/// (matching subdomains too, "*." and "." prefixes allowed), IPs and CIDRs, each optionally with a port.
/// </summary>
public sealed record HttpProxyConfig(string? HttpProxy, string? HttpsProxy, string? NoProxy, string? HttpProxyVariable, string? HttpsProxyVariable)
{
    public static HttpProxyConfig FromEnvironment(Func<string, string?> env)
    {
        var (http, httpVar) = First(env, "HTTP_PROXY", "http_proxy");
        var (https, httpsVar) = First(env, "HTTPS_PROXY", "https_proxy");
        var (no, _) = First(env, "NO_PROXY", "no_proxy");
        return new HttpProxyConfig(http, https, no, httpVar, httpsVar);
    }

    /// <summary>The proxy Go would use for a request to this URL (credentials stripped), or null to go direct.</summary>
    public Uri? ProxyFor(Uri target)
    {
        var raw = target.Scheme switch
        {
            "https" => HttpsProxy,
            "http" => HttpProxy,
            _ => null,
        };
        var proxy = ParseProxy(raw);
        if (proxy is null || !UseProxy(target.IdnHost, target.Port))
        {
            return null;
        }

        return proxy;
    }

    /// <summary>The variable that supplied the proxy for this scheme, e.g. "HTTPS_PROXY".</summary>
    public string? VariableFor(Uri target) => target.Scheme == "https" ? HttpsProxyVariable : HttpProxyVariable;

    public static Uri? ParseProxy(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https" or "socks5") || u.Host.Length == 0)
        {
            if (!Uri.TryCreate("http://" + value, UriKind.Absolute, out u) || u.Host.Length == 0)
            {
                return null;
            }
        }

        // Never keep credentials: probes do not send them and facts must not store them.
        var b = new UriBuilder(u) { UserName = "", Password = "" };
        return b.Uri;
    }

    private bool UseProxy(string host, int port)
    {
        host = host.Trim('[', ']').ToLowerInvariant();
        if (host == "localhost")
        {
            return false;
        }

        var ip = IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (ip is not null && IPAddress.IsLoopback(ip))
        {
            return false;
        }

        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var entry in (NoProxy ?? "").Split(','))
        {
            var p = entry.Trim().ToLowerInvariant();
            if (p.Length == 0)
            {
                continue;
            }

            if (p == "*")
            {
                return false;
            }

            if (p.Contains('/') && IPNetwork.TryParse(p, out var network))
            {
                if (ip is not null && network.Contains(ip)) return false;
                continue;
            }

            var (phost, pport) = SplitHostPort(p);
            if (phost.Length == 0)
            {
                continue;
            }

            if (IPAddress.TryParse(phost.Trim('[', ']'), out var pip))
            {
                if (ip is not null && pip.Equals(ip) && (pport.Length == 0 || pport == portText)) return false;
                continue;
            }

            if (phost.StartsWith("*.", StringComparison.Ordinal))
            {
                phost = phost[1..];
            }

            var matchHost = false;
            if (phost[0] != '.')
            {
                matchHost = true;
                phost = "." + phost;
            }

            if ((host.EndsWith(phost, StringComparison.Ordinal) || (matchHost && host == phost[1..])) && (pport.Length == 0 || pport == portText))
            {
                return false;
            }
        }

        return true;
    }

    private static (string Host, string Port) SplitHostPort(string p)
    {
        if (p.StartsWith('['))
        {
            var close = p.IndexOf(']');
            if (close > 0 && close + 1 < p.Length && p[close + 1] == ':') return (p[..(close + 1)], p[(close + 2)..]);
            return (p, "");
        }

        var colon = p.LastIndexOf(':');
        // A bare IPv6 address has several colons and no port.
        if (colon > 0 && p.IndexOf(':') == colon && p[(colon + 1)..].All(char.IsAsciiDigit) && colon + 1 < p.Length)
        {
            return (p[..colon], p[(colon + 1)..]);
        }

        return (p, "");
    }

    private static (string? Value, string? Name) First(Func<string, string?> env, string upper, string lower)
    {
        var u = env(upper);
        if (!string.IsNullOrEmpty(u)) return (u, upper);
        var l = env(lower);
        return !string.IsNullOrEmpty(l) ? (l, lower) : (null, null);
    }
}
