namespace GoBuildRules.Sdk;

public enum ProxyEntryKind
{
    Http,
    File,
    Direct,
    Off,
    /// <summary>The implicit first entry cmd/go adds when GONOPROXY is set: matching modules go direct.</summary>
    NoProxy,
}

/// <param name="Url">As cmd/go uses it ("https://" added to bare hosts), credentials already redacted.</param>
/// <param name="FallBackOnError">True when a '|' follows the entry: any error falls through to the next one; after ',' only 404 and 410 do.</param>
/// <param name="Separator">The character after the entry in GOPROXY (',' or '|'), or null for the last one.</param>
public sealed record ProxyEntry(int Index, ProxyEntryKind Kind, string Url, bool FallBackOnError, char? Separator)
{
    public bool IsNetwork => Kind == ProxyEntryKind.Http;
}

public sealed record GoProxyList(string Raw, IReadOnlyList<ProxyEntry> Entries, string? Error)
{
    /// <summary>cmd/go's default when GOPROXY is unset or empty.</summary>
    public const string Default = "https://proxy.golang.org,direct";

    /// <summary>Whether a module that is not matched by GONOPROXY can be fetched straight from its VCS.</summary>
    public bool ReachesDirect => Entries.Any(e => e.Kind == ProxyEntryKind.Direct);

    /// <summary>
    /// Parses GOPROXY exactly as cmd/go's modfetch.proxyList: entries separated by ',' or '|',
    /// blank entries skipped, "off" and "direct" end the list, a value with '.', ':' or '/' but no
    /// ":/" and not an absolute path gets "https://" prepended, and only http, https and file URLs
    /// are accepted.
    /// </summary>
    public static GoProxyList Parse(string? value, string? goNoProxy = null)
    {
        var raw = string.IsNullOrEmpty(value) ? Default : value;
        var entries = new List<ProxyEntry>();
        if (!string.IsNullOrEmpty(goNoProxy) && raw != "direct")
        {
            entries.Add(new ProxyEntry(entries.Count, ProxyEntryKind.NoProxy, "noproxy", false, null));
        }

        var rest = raw;
        while (rest.Length > 0)
        {
            string url;
            var fallBack = false;
            char? separator = null;
            var i = rest.IndexOfAny([',', '|']);
            if (i >= 0)
            {
                url = rest[..i];
                separator = rest[i];
                fallBack = rest[i] == '|';
                rest = rest[(i + 1)..];
            }
            else
            {
                url = rest;
                rest = "";
            }

            url = url.Trim();
            if (url.Length == 0)
            {
                continue;
            }

            if (url == "off")
            {
                entries.Add(new ProxyEntry(entries.Count, ProxyEntryKind.Off, "off", false, separator));
                break;
            }

            if (url == "direct")
            {
                entries.Add(new ProxyEntry(entries.Count, ProxyEntryKind.Direct, "direct", false, separator));
                break;
            }

            if (url.IndexOfAny(['.', ':', '/']) >= 0 && !url.Contains(":/", StringComparison.Ordinal) && !url.StartsWith('/') && !IsWindowsAbsolute(url))
            {
                url = "https://" + url;
            }

            var error = CheckUrl(url, out var kind);
            if (error is not null)
            {
                return new GoProxyList(raw, entries, $"GOPROXY entry {url}: {error}");
            }

            entries.Add(new ProxyEntry(entries.Count, kind, url, fallBack, separator));
        }

        if (entries.Count == 0 || (entries.Count == 1 && entries[0].Kind == ProxyEntryKind.NoProxy))
        {
            return new GoProxyList(raw, entries, "GOPROXY list is not the empty string, but contains no entries");
        }

        return new GoProxyList(raw, entries, null);
    }

    private static bool IsWindowsAbsolute(string s) =>
        s.Length >= 3 && char.IsAsciiLetter(s[0]) && s[1] == ':' && s[2] is '\\' or '/';

    // modfetch.newProxyRepo: the scheme decides; anything else is "invalid proxy URL scheme".
    private static string? CheckUrl(string url, out ProxyEntryKind kind)
    {
        kind = ProxyEntryKind.Http;
        var colon = url.IndexOf(':');
        var scheme = colon > 0 && url[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') ? url[..colon].ToLowerInvariant() : "";
        switch (scheme)
        {
            case "http" or "https":
                return Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Host.Length > 0 ? null : "not a valid URL";
            case "file":
                kind = ProxyEntryKind.File;
                return null;
            case "":
                return "invalid proxy URL missing scheme";
            default:
                return $"invalid proxy URL scheme (must be https, http, file): {scheme}";
        }
    }
}
