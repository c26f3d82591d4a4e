using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Network.Config;

public enum EndpointRole
{
    /// <summary>A GOPROXY entry.</summary>
    Proxy,
    /// <summary>The checksum database reached directly (https://NAME, or the URL given in GOSUMDB).</summary>
    SumDb,
    /// <summary>The checksum database through the first proxy (PROXY/sumdb/NAME/supported), which cmd/go tries first.</summary>
    SumDbViaProxy,
}

/// <param name="ProxyIndex">For proxy roles, the entry's index in the GOPROXY list.</param>
/// <param name="BaseUrl">The configured URL, credentials redacted.</param>
/// <param name="RequestPath">The one cheap request the probe sends.</param>
public sealed record ProbeTarget(EndpointRole Role, int ProxyIndex, string BaseUrl, string RequestPath)
{
    public string Id => $"{Role}:{ProxyIndex}:{BaseUrl}";
}

/// <summary>
/// The network configuration of the go command, parsed from the snapshot as cmd/go parses it. Pure:
/// the collector uses it to choose what to probe, the rules to explain what was found.
/// </summary>
public sealed record NetworkConfig(
    GoProxyList Proxy,
    SumDbConfig SumDb,
    string GoPrivate,
    string GoNoProxy,
    string GoNoSumDb,
    string GoInsecure,
    GoVcsConfig Vcs,
    HttpProxyConfig HttpProxy)
{
    public static NetworkConfig From(Snapshot s)
    {
        var g = s.GoSettings;
        return new NetworkConfig(
            g.Proxy,
            g.SumDb,
            g.Value("GOPRIVATE"),
            g.Value("GONOPROXY"),
            g.Value("GONOSUMDB"),
            g.Value("GOINSECURE"),
            GoVcsConfig.Parse(g.Value("GOVCS")),
            g.HttpProxy);
    }

    /// <summary>The module paths the build fetches: requirements, with remote replacements followed and local ones dropped.</summary>
    public static IReadOnlyList<(string Path, ModuleRequirement Require)> FetchedModules(Snapshot s)
    {
        var mod = s.Workspace.GoMod;
        if (mod is null) return [];
        var result = new List<(string, ModuleRequirement)>();
        foreach (var r in mod.Requires)
        {
            var replace = mod.Replaces.FirstOrDefault(x => x.OldPath == r.Path && (x.OldVersion is null || x.OldVersion == r.Version));
            if (replace is null)
            {
                result.Add((r.Path, r));
            }
            else if (!IsLocalPath(replace.NewPath))
            {
                result.Add((replace.NewPath, r));
            }
        }

        return result;
    }

    public static bool IsLocalPath(string path) =>
        path.StartsWith("./", StringComparison.Ordinal) || path.StartsWith("../", StringComparison.Ordinal) || path.StartsWith('/')
        || path is "." or ".." || (path.Length > 2 && path[1] == ':');

    public bool IsNoProxy(string module) => ModulePatterns.Matches(GoNoProxy, module);

    public bool IsNoSumDb(string module) => ModulePatterns.Matches(GoNoSumDb, module);

    public bool IsPrivate(string module) => ModulePatterns.Matches(GoPrivate, module);

    /// <summary>Whether the checksum database is consulted at all for this workspace: on, and some fetched module is not exempt.</summary>
    public bool SumDbNeeded(Snapshot s)
    {
        if (SumDb.Mode != SumDbMode.On) return false;
        var modules = FetchedModules(s);
        return modules.Count == 0 || modules.Any(m => !IsNoSumDb(m.Path));
    }

    /// <summary>Modules fetched straight from their VCS with git: matched by GONOPROXY, or every module when GOPROXY starts with direct, and allowed by GOVCS.</summary>
    public IReadOnlyList<string> DirectModules(Snapshot s)
    {
        var first = Proxy.Entries.FirstOrDefault(e => e.Kind != ProxyEntryKind.NoProxy);
        return FetchedModules(s)
            .Select(m => m.Path)
            .Where(p => IsNoProxy(p) || first?.Kind == ProxyEntryKind.Direct)
            // GOVCS can forbid git for a module; then go fails with a GOVCS error and never runs git.
            .Where(p => Vcs.AllowsGit(p, IsPrivate(p)))
            .Distinct()
            .ToList();
    }

    /// <summary>What the collector probes: every network proxy entry and, when some fetched module needs it, the checksum database route.</summary>
    public IReadOnlyList<ProbeTarget> ProbeTargets(Snapshot s)
    {
        var targets = new List<ProbeTarget>();
        var sample = FetchedModules(s).Select(m => m.Path).FirstOrDefault(p => !IsNoProxy(p));
        var listPath = sample is null ? "/" : "/" + EscapePath(sample) + "/@v/list";
        foreach (var e in Proxy.Entries.Where(e => e.IsNetwork))
        {
            targets.Add(new ProbeTarget(EndpointRole.Proxy, e.Index, StripUserInfo(e.Url), listPath));
        }

        // cmd/go never asks the checksum database about modules GONOSUMDB exempts: no probe then either.
        if (SumDb is { Mode: SumDbMode.On, Name: { } name } && SumDbNeeded(s))
        {
            if (SumDb.ExplicitUrl is { } url)
            {
                targets.Add(new ProbeTarget(EndpointRole.SumDb, -1, StripUserInfo(url), "/latest"));
            }
            else
            {
                targets.Add(new ProbeTarget(EndpointRole.SumDb, -1, "https://" + name, "/latest"));
                if (Proxy.Entries.FirstOrDefault(e => e.Kind != ProxyEntryKind.NoProxy) is { IsNetwork: true } first)
                {
                    targets.Add(new ProbeTarget(EndpointRole.SumDbViaProxy, first.Index, StripUserInfo(first.Url), "/sumdb/" + name + "/supported"));
                }
            }
        }

        return targets;
    }

    /// <summary>golang.org/x/mod/module.EscapePath: an upper-case letter becomes '!' and its lower case.</summary>
    public static string EscapePath(string path) =>
        string.Concat(path.Select(c => char.IsAsciiLetterUpper(c) ? "!" + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Removes user:password@ (or its redaction marker) from a URL, for display and for probing.</summary>
    public static string StripUserInfo(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return url;
        var start = scheme + 3;
        var end = url.IndexOfAny(['/', '?', '#'], start);
        var authority = end < 0 ? url[start..] : url[start..end];
        var at = authority.LastIndexOf('@');
        return at < 0 ? url : url[..start] + authority[(at + 1)..] + (end < 0 ? "" : url[end..]);
    }
}
