using System.Globalization;
using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Network.Rules;

/// <summary>What the rules of this pack share: reading the facts, anchoring, and turning probes into evidence.</summary>
internal static class RuleSupport
{
    public static NetworkFacts? Facts(Snapshot s) => s.GetExtension<NetworkFacts>(NetworkPack.Id);

    /// <summary>Environment findings are anchored to the module line of go.mod, or go.mod itself.</summary>
    public static Location? Anchor(Snapshot s) =>
        s.Workspace.GoMod is { } mod ? new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null) : null;

    /// <summary>Where a go variable comes from, as the snapshot's GoSettings say (cmd/go: the environment wins over the GOENV file).</summary>
    public static Evidence ConfiguredIn(Snapshot s, NetworkFacts? facts, string name) =>
        s.GoSettings.Setting(name) switch
        {
            { Source: SettingSource.Environment } => new Evidence($"{name} set in", "the environment"),
            { Source: SettingSource.EnvFile, Line: { } line } => new Evidence($"{name} set in", $"{s.GoSettings.EnvFile.Path}:{line} (go env -w)"),
            { Source: SettingSource.EnvFile } => new Evidence($"{name} set in", $"{s.GoSettings.EnvFile.Path ?? "the GOENV file"} (go env -w)"),
            _ => s.Env(name) is not null ? new Evidence($"{name} set in", "the environment") : new Evidence($"{name} set in", "the default (unset)"),
        };

    /// <summary>A proxy or sumdb probe that failed before any HTTP status came back, not counting an HTTP proxy's own hops.</summary>
    public static bool FailedBeforeHttp(EndpointProbe p) =>
        p.FailedHop is Hop.Dns or Hop.Tcp or Hop.Tls && !ViaProxyFailed(p) && p.Tls?.UnknownAuthority != true;

    /// <summary>The failure belongs to the HTTP proxy from HTTP(S)_PROXY (its DNS, TCP or CONNECT).</summary>
    public static bool ViaProxyFailed(EndpointProbe p) =>
        p.Via is not null && p.FailedHop is Hop.Dns or Hop.Tcp or Hop.ProxyConnect;

    /// <summary>An HTTP status that makes cmd/go fail the fetch (404 and 410 mean "not here" and fall through).</summary>
    public static bool IsErrorStatus(EndpointProbe p) => p.ErrorStatus;

    /// <summary>True when cmd/go would get an error (not a 404/410) from this endpoint: unreachable, stalled or an error status.</summary>
    public static bool Fails(EndpointProbe p) => p.FailedHop != Hop.None || IsErrorStatus(p);

    /// <summary>
    /// Network failures matter less when builds read vendor/: only `go get`, `go mod` and toolchain
    /// downloads are affected. Such findings drop to a warning and say so.
    /// </summary>
    public static Finding ForVendor(Finding f, Snapshot s) =>
        BuildMode.Vendor(s) && f.Severity == Severity.Error
            ? f with
            {
                Severity = Severity.Warning,
                Message = f.Message + " Builds read vendor/ (-mod=vendor), so only `go get`, `go mod` commands and toolchain downloads are affected.",
            }
            : f;

    /// <summary>
    /// A proxy that fails only matters to a build that must fetch something. When the go oracle
    /// loaded every module of the build offline (<see cref="GoOracleFacts.NeedsDownload"/> is false),
    /// `go build` succeeds today: the finding drops to a warning (the next new dependency, `go get`
    /// or a cleaned cache will hit it) and says so.
    /// </summary>
    public static Finding ForCompleteCache(Finding f, Snapshot s) =>
        s.GoOracle.NeedsDownload == false && f.Severity == Severity.Error
            ? f with
            {
                Severity = Severity.Warning,
                Message = f.Message + " Today's build fetches nothing: every module it needs is already in the module cache (go list loaded them all offline), so this hits the next new dependency, `go get` or a cleaned cache.",
                Evidence = [.. f.Evidence, new Evidence("module cache", "complete for this build (go list -deps ./... with GOPROXY=off loaded every package)")],
            }
            : f;

    /// <summary>A GONOSUMDB/GOPRIVATE value for the workspace's private-looking module hosts, or a placeholder to edit.</summary>
    public static string PrivateHostsPattern(Snapshot s)
    {
        var hosts = NetworkConfig.FetchedModules(s).Select(m => m.Path).Where(PublicHosts.LooksPrivate).Select(PublicHosts.HostOf).Distinct().ToList();
        return hosts.Count > 0 ? string.Join(",", hosts) : "your.private.host";
    }

    public static string HopName(Hop hop) => hop switch
    {
        Hop.Dns => "DNS",
        Hop.Tcp => "TCP connect",
        Hop.ProxyConnect => "HTTP proxy CONNECT",
        Hop.Tls => "TLS handshake",
        Hop.Http => "HTTP response",
        _ => "none",
    };

    /// <summary>The measured hops of a probe as named values, in the order they happened.</summary>
    public static List<Evidence> ProbeEvidence(EndpointProbe p)
    {
        var e = new List<Evidence> { new("endpoint", p.Url), new("request", "GET " + p.RequestPath) };
        if (p.Via is not null) e.Add(new Evidence("through HTTP proxy", $"{p.Via} ({p.ViaVariable})"));
        if (p.Dns is { } d)
        {
            if (d.Literal)
            {
                e.Add(new Evidence("DNS", $"{d.Name} is an IP address (no lookup)"));
            }
            else
            {
                e.Add(new Evidence("DNS A", d.IPv4.Count > 0 ? $"{string.Join(", ", d.IPv4)} in {EndpointProber.Ms(d.IPv4Ms)}" : $"{d.IPv4Error} after {EndpointProber.Ms(d.IPv4Ms)}"));
                e.Add(new Evidence("DNS AAAA", d.IPv6.Count > 0 ? $"{string.Join(", ", d.IPv6)} in {EndpointProber.Ms(d.IPv6Ms)}" : $"{d.IPv6Error} after {EndpointProber.Ms(d.IPv6Ms)}"));
            }
        }

        foreach (var t in p.Tcp)
        {
            e.Add(new Evidence($"TCP {t.Family}", $"{t.Address}: {t.Outcome.ToString().ToLowerInvariant()} after {EndpointProber.Ms(t.Ms)}{(t.Error is null ? "" : " (" + t.Error + ")")}"));
        }

        if (p.ProxyConnect is { } c)
        {
            e.Add(new Evidence("CONNECT", c.TimedOut ? $"no answer within {EndpointProber.Seconds(c.Ms)}" : c.Status is { } s ? $"HTTP {s} in {EndpointProber.Ms(c.Ms)}" : c.Error ?? "failed"));
        }

        if (p.Tls is { } tls)
        {
            e.Add(new Evidence("TLS", tls.Ok ? $"{tls.Protocol} in {EndpointProber.Ms(tls.Ms)}" : $"failed after {EndpointProber.Ms(tls.Ms)}: {tls.Error}"));
            if (tls.Subject is not null) e.Add(new Evidence("certificate", $"{tls.Subject}, issued by {tls.Issuer}"));
        }

        if (p.Http is { } h)
        {
            e.Add(new Evidence("HTTP", h.Status is { } st
                ? $"{st} {h.Reason} (first byte after {EndpointProber.Ms(h.TtfbMs ?? h.WaitedMs)})"
                : h.TimedOut ? $"no response byte within {EndpointProber.Seconds(h.WaitedMs)}" : $"{h.Error} after {EndpointProber.Ms(h.WaitedMs)}"));
        }

        e.Add(new Evidence("failed hop", p.FailedHop == Hop.None ? "none" : HopName(p.FailedHop)));
        return e;
    }

    public static string RoleName(EndpointProbe p) => p.Role switch
    {
        EndpointRole.Proxy => $"GOPROXY entry {p.Url}",
        EndpointRole.SumDb => $"checksum database {p.Url}",
        _ => $"checksum database through the proxy {p.Url}",
    };

    public static Fix ConfirmWithCurl(EndpointProbe p) =>
        Fix.Run("Confirm by hand, with a deadline", $"curl -sS -o /dev/null -w '%{{http_code}} %{{time_starttransfer}}s\\n' --max-time 10 {Fix.ShellQuote(p.Url.TrimEnd('/') + p.RequestPath)}",
            "None; one GET request without credentials.");

    /// <summary>A proxy probe's evidence, then GOPROXY as it is and where it was set.</summary>
    public static List<Evidence> ProxyEvidence(EndpointProbe p, Snapshot s, NetworkFacts facts, NetworkConfig config)
    {
        var evidence = ProbeEvidence(p);
        evidence.Add(new Evidence("GOPROXY", config.Proxy.Raw));
        evidence.Add(ConfiguredIn(s, facts, "GOPROXY"));
        return evidence;
    }

    /// <summary>GOPROXY without this entry, set where GOPROXY comes from (<see cref="SettingFixes"/>); none when it is the only one.</summary>
    public static IReadOnlyList<Fix> DropProxyEntry(Snapshot s, NetworkConfig config, EndpointProbe p, string title, string risk) =>
        Without(config.Proxy, p.ProxyIndex) is { } rest ? SettingFixes.Set(s, "GOPROXY", rest, title, risk, FixApplicability.Automatic) : [];

    public static string? Without(GoProxyList list, int index)
    {
        var kept = list.Entries.Where(e => e.Kind != ProxyEntryKind.NoProxy && e.Index != index).ToList();
        if (kept.Count == 0) return null;
        return string.Concat(kept.Select((e, i) => e.Url + (i < kept.Count - 1 ? (e.Separator ?? ',').ToString() : "")));
    }

    /// <summary>
    /// One finding for one cause: a failing endpoint's finding also names the go and git processes
    /// connected to it right now (core live-process facts), with a kill fix, and is at least a warning.
    /// </summary>
    public static Finding WithLiveProcesses(Finding f, Snapshot s, EndpointProbe p)
    {
        var verdict = p.ToVerdict();
        var users = s.LiveProcesses.Processes
            .Where(x => x.IsGoTool)
            .Select(x => (Process: x, Socket: x.Connections.FirstOrDefault(verdict.Matches)))
            .Where(x => x.Socket is not null)
            .ToList();
        if (users.Count == 0)
        {
            return f;
        }

        var setting = verdict.Variable == "GOPROXY" ? $"the GOPROXY entry {p.Url}" : $"the GOSUMDB endpoint {p.Url}";
        var named = string.Join("; ", users.Select(u =>
            $"{u.Process.Name} pid {u.Process.Pid} (`{Short(u.Process.CommandLine)}`, running {u.Process.AgeSeconds.ToString("0", CultureInfo.InvariantCulture)} s, state {u.Process.StateText}) is connected to {u.Socket!.Remote} ({u.Socket.State})"));
        return f with
        {
            Severity = f.Severity < Severity.Warning ? Severity.Warning : f.Severity,
            Message = f.Message + $" Live now: {named}, which is {setting}, that the probe found {verdict.Verdict}: {(users.Count == 1 ? "that process waits" : "those processes wait")} on it.",
            Evidence =
            [
                .. f.Evidence,
                .. users.SelectMany(u => new[]
                {
                    new Evidence("live process", $"pid {u.Process.Pid}: {u.Process.CommandLine}"),
                    new Evidence($"pid {u.Process.Pid}", $"{u.Process.StateText}, wchan {(u.Process.Wchan.Length > 0 ? u.Process.Wchan : "(running)")}, {u.Process.AgeSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s old, {u.Process.CpuSeconds.ToString("0.##", CultureInfo.InvariantCulture)} s CPU"),
                    new Evidence($"pid {u.Process.Pid} socket", u.Socket!.ToString()),
                }),
                new Evidence("probe verdict", $"{verdict.Verdict}: {p.Failure}"),
            ],
            Fixes =
            [
                .. f.Fixes,
                Fix.Run($"Stop the stuck {(users.Count == 1 ? "process" : "processes")} once the endpoint is fixed or dropped", "kill " + string.Join(' ', users.Select(u => u.Process.Pid.ToString(CultureInfo.InvariantCulture))),
                    "Its build or download fails now instead of hanging; a download it interrupts leaves .partial/.tmp files that the next go command repairs, and other go commands waiting on its module locks proceed."),
            ],
        };
    }

    private static string Short(string commandLine) => commandLine.Length <= 80 ? commandLine : commandLine[..77] + "...";

    /// <summary>
    /// For a failing entry followed by ',' (go falls through only on 404/410, so it stops at this
    /// error and never tries the next entry): GOPROXY with '|', which falls back on any error. None
    /// when there is no next entry or the entry stalls (a stall is never an error; '|' would not help). Set where GOPROXY comes from (<see cref="SettingFixes"/>).
    /// </summary>
    public static IReadOnlyList<Fix> FallBackFix(Snapshot s, NetworkConfig config, EndpointProbe p)
    {
        var entry = config.Proxy.Entries.FirstOrDefault(e => e.Index == p.ProxyIndex);
        var next = config.Proxy.Entries.FirstOrDefault(e => e.Index == p.ProxyIndex + 1);
        if (entry is not { Separator: ',' } || next is null || p.Stalled)
        {
            return [];
        }

        return SettingFixes.Set(s, "GOPROXY", WithPipes(config.Proxy), $"Fall back to {next.Url} on any error: '|' after the entry instead of ','",
            "A module that a later entry serves differently (another version list) may be taken from there; a proxy that stalls still hangs, since a stall is never an error.");
    }

    /// <summary>The GOPROXY value with every ',' turned into '|'.</summary>
    public static string WithPipes(GoProxyList list)
    {
        var kept = list.Entries.Where(e => e.Kind != ProxyEntryKind.NoProxy).ToList();
        return string.Join("|", kept.Select(e => e.Url));
    }
}
