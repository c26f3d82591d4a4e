using System.Globalization;
using System.Net;

namespace GoBuildRules.Sdk;

/// <summary>
/// HTTP_PROXY / HTTPS_PROXY / NO_PROXY as go 1.19's net/http applies them, ported from its vendored
/// golang.org/x/net/http/httpproxy (proxy.go): the upper-case name wins when both are non-empty, a
/// value that is not an http, https or socks5 URL is read again with "http://" in front, requests to
/// localhost and loopback addresses never use a proxy, and NO_PROXY entries are "*", CIDRs, IPs
/// (optionally with a port) and domains ("example.com" also matches its subdomains, ".example.com"
/// and "*.example.com" only the subdomains), each optionally with a port. Not ported: IDNA
/// conversion of non-ASCII names and the CGI (REQUEST_METHOD) refusal of HTTP_PROXY.
/// </summary>
/// <param name="HttpProxyVariable">The variable HttpProxy came from ("HTTP_PROXY" or "http_proxy").</param>
public sealed record HttpProxyConfig(string? HttpProxy, string? HttpsProxy, string? NoProxy, string? HttpProxyVariable, string? HttpsProxyVariable)
{
    public string? NoProxyVariable { get; init; }

    /// <summary>httpproxy.FromEnvironment: the first non-empty of the upper- and lower-case names.</summary>
    public static HttpProxyConfig FromEnvironment(Func<string, string?> env)
    {
        var (http, httpVar) = First(env, "HTTP_PROXY", "http_proxy");
        var (https, httpsVar) = First(env, "HTTPS_PROXY", "https_proxy");
        var (no, noVar) = First(env, "NO_PROXY", "no_proxy");
        return new HttpProxyConfig(http, https, no, httpVar, httpsVar) { NoProxyVariable = noVar };
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
        if (proxy is null || !UseProxy(target.IdnHost, target.Port.ToString(CultureInfo.InvariantCulture)))
        {
            return null;
        }

        return proxy;
    }

    /// <summary>The variable that supplied the proxy for this scheme, e.g. "HTTPS_PROXY".</summary>
    public string? VariableFor(Uri target) => target.Scheme == "https" ? HttpsProxyVariable : HttpProxyVariable;

    /// <summary>httpproxy.parseProxy, credentials stripped (probes do not send them, facts must not store them); null when unusable.</summary>
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

        var b = new UriBuilder(u) { UserName = "", Password = "" };
        return b.Uri;
    }

    /// <summary>True when NO_PROXY bypasses the proxy for this host (any port when <paramref name="port"/> is null).</summary>
    public bool Bypasses(string host, string? port = null) => !UseProxy(host, port);

    /// <summary>httpproxy's config.useProxy for host and port ("443" for https). False means "go direct".</summary>
    public bool UseProxy(string host, string? port)
    {
        host = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        if (host == "localhost")
        {
            return false;
        }

        var ip = IPAddress.TryParse(host, out var parsed) ? parsed : null;
        if (ip is not null && IPAddress.IsLoopback(ip))
        {
            return false;
        }

        var addr = host.Trim().ToLowerInvariant();
        foreach (var matcher in Matchers())
        {
            if (matcher.Match(addr, port, ip))
            {
                return false;
            }
        }

        return true;
    }

    private abstract record Matcher
    {
        public abstract bool Match(string host, string? port, IPAddress? ip);
    }

    private sealed record AllMatch : Matcher
    {
        public override bool Match(string host, string? port, IPAddress? ip) => true;
    }

    private sealed record CidrMatch(IPNetwork Network) : Matcher
    {
        public override bool Match(string host, string? port, IPAddress? ip) => ip is not null && Network.Contains(Normalise(ip, Network.BaseAddress));
    }

    private sealed record IpMatch(IPAddress Address, string Port) : Matcher
    {
        public override bool Match(string host, string? port, IPAddress? ip) =>
            ip is not null && Normalise(ip, Address).Equals(Address) && (Port.Length == 0 || port is null || Port == port);
    }

    private sealed record DomainMatch(string Host, string Port, bool MatchHost) : Matcher
    {
        public override bool Match(string host, string? port, IPAddress? ip) =>
            (host.EndsWith(Host, StringComparison.Ordinal) || (MatchHost && host == Host[1..])) && (Port.Length == 0 || port is null || Port == port);
    }

    // net.IP compares an IPv4 address equal to its IPv4-in-IPv6 form.
    private static IPAddress Normalise(IPAddress ip, IPAddress like) =>
        ip.IsIPv4MappedToIPv6 && like.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? ip.MapToIPv4() : ip;

    // httpproxy's config.init: IP matchers are only consulted for IP hosts, domain matchers always.
    private IEnumerable<Matcher> Matchers()
    {
        var ipMatchers = new List<Matcher>();
        var domainMatchers = new List<Matcher>();
        foreach (var entry in (NoProxy ?? "").Split(','))
        {
            var p = entry.Trim().ToLowerInvariant();
            if (p.Length == 0)
            {
                continue;
            }

            if (p == "*")
            {
                return [new AllMatch()];
            }

            if (p.Contains('/') && IPNetwork.TryParse(p, out var network) && IsCidr(p))
            {
                ipMatchers.Add(new CidrMatch(network));
                continue;
            }

            var (phost, pport, ok) = SplitHostPort(p);
            if (ok)
            {
                if (phost.Length == 0)
                {
                    continue;
                }

                if (phost[0] == '[' && phost[^1] == ']')
                {
                    phost = phost[1..^1];
                }
            }
            else
            {
                phost = p;
                pport = "";
            }

            if (IPAddress.TryParse(phost, out var pip) && !phost.Contains('%') && (phost.Contains(':') || phost.Count(c => c == '.') == 3))
            {
                ipMatchers.Add(new IpMatch(pip, pport));
                continue;
            }

            if (phost.Length == 0)
            {
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

            domainMatchers.Add(new DomainMatch(phost, pport, matchHost));
        }

        return [.. ipMatchers, .. domainMatchers];
    }

    // net.ParseCIDR wants "ip/bits" with a decimal prefix length and nothing else.
    private static bool IsCidr(string p)
    {
        var slash = p.IndexOf('/');
        return slash > 0 && p[(slash + 1)..].Length is > 0 and <= 3 && p[(slash + 1)..].All(char.IsAsciiDigit);
    }

    /// <summary>net.SplitHostPort: "host:port" or "[host]:port"; false when there is no port or too many colons.</summary>
    private static (string Host, string Port, bool Ok) SplitHostPort(string p)
    {
        var colon = p.LastIndexOf(':');
        if (colon < 0)
        {
            return ("", "", false);
        }

        if (p[0] == '[')
        {
            var close = p.IndexOf(']');
            if (close < 0 || close + 1 != colon)
            {
                return ("", "", false);
            }

            return (p[1..close], p[(colon + 1)..], true);
        }

        var host = p[..colon];
        if (host.Contains(':'))
        {
            return ("", "", false);
        }

        return (host, p[(colon + 1)..], true);
    }

    private static (string? Value, string? Name) First(Func<string, string?> env, string upper, string lower)
    {
        var u = env(upper);
        if (!string.IsNullOrEmpty(u)) return (u, upper);
        var l = env(lower);
        return !string.IsNullOrEmpty(l) ? (l, lower) : (null, null);
    }
}
