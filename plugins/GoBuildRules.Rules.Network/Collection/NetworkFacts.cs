using GoBuildRules.Sdk;
using System.Text.Json.Serialization;
using GoBuildRules.Rules.Network.Config;

namespace GoBuildRules.Rules.Network.Collection;

/// <summary>What the network collector found; stored in the snapshot under <see cref="NetworkPack.Id"/>.</summary>
public sealed record NetworkFacts : IPublishesEndpointVerdicts, IReportsNotChecked
{
    /// <summary>Endpoints and nameservers whose probe the scan's deadline cut short: not in <see cref="Endpoints"/>, never read as healthy.</summary>
    public IReadOnlyList<string> NotChecked { get; init; } = [];

    /// <summary>True when probes were not run (--offline); the configuration rules still run.</summary>
    public bool ProbesSkipped { get; init; }

    /// <summary>The time each endpoint probe was allowed, all hops together.</summary>
    public double BudgetSeconds { get; init; }

    public IReadOnlyList<EndpointProbe> Endpoints { get; init; } = [];

    public IReadOnlyList<FileProxyCheck> FileProxies { get; init; } = [];

    public DnsFacts? Dns { get; init; }

    public GitFacts Git { get; init; } = new();

    /// <summary>
    /// The machine names of the .netrc file cmd/go reads credentials from ($NETRC or ~/.netrc); only
    /// the names are kept, never logins or passwords.
    /// </summary>
    public IReadOnlyList<string> NetrcHosts { get; init; } = [];

    /// <summary>The failing endpoints, for other packs to tie live processes to (derived from <see cref="Endpoints"/>; written, never read back).</summary>
    public IReadOnlyList<EndpointVerdict> EndpointVerdicts =>
        Endpoints.Where(p => p.Verdict is not null).Select(p => p.ToVerdict()).ToList();

    /// <summary>The verdicts' contract version, written beside them so that a reader of another major leaves them out instead of misreading them.</summary>
    public int EndpointVerdictsVersion => Sdk.EndpointVerdicts.Version;
}


public enum Hop
{
    None,
    Dns,
    Tcp,
    /// <summary>The CONNECT request through an HTTP proxy from HTTP(S)_PROXY.</summary>
    ProxyConnect,
    Tls,
    Http,
}

public enum TcpOutcome
{
    Connected,
    Refused,
    TimedOut,
    Unreachable,
    Failed,
}

/// <param name="Url">The endpoint without credentials.</param>
public sealed record EndpointProbe(EndpointRole Role, int ProxyIndex, string Url, string RequestPath)
{
    public string Host { get; init; } = "";
    public int Port { get; init; }

    /// <summary>The HTTP proxy the request went through (from HTTP_PROXY / HTTPS_PROXY), without credentials.</summary>
    public string? Via { get; init; }

    public string? ViaVariable { get; init; }

    public DnsLookup? Dns { get; init; }
    public IReadOnlyList<TcpAttempt> Tcp { get; init; } = [];
    public ConnectResult? ProxyConnect { get; init; }
    public TlsResult? Tls { get; init; }
    public HttpResult? Http { get; init; }

    /// <summary>The first hop that failed; None when the endpoint answered (whatever the status).</summary>
    public Hop FailedHop { get; init; }

    /// <summary>What failed, in a sentence, with the measured time.</summary>
    public string? Failure { get; init; }

    public double TotalMs { get; init; }

    /// <summary>Set when the probe itself failed (a fault of this tool, not of the endpoint); no rule reads such a probe as a failure.</summary>
    public string? ProbeError { get; init; }

    /// <summary>Connected (and TLS done) but no response byte before the budget ran out: the hang.</summary>
    [JsonIgnore]
    public bool Stalled => FailedHop == Hop.Http && Http is { TimedOut: true };

    [JsonIgnore]
    public bool Reachable => FailedHop == Hop.None && Http?.Status is not null;

    /// <summary>"stalled", "unreachable" or "failing" when cmd/go would get an error here (404 and 410 fall through: not a failure); null otherwise.</summary>
    [JsonIgnore]
    public string? Verdict =>
        ProbeError is not null ? null
        : Stalled ? "stalled"
        : FailedHop is Hop.Http ? "failing"
        : FailedHop is not Hop.None ? "unreachable"
        : ErrorStatus ? "failing"
        : null;

    /// <summary>An HTTP status that makes cmd/go fail the fetch (404 and 410 mean "not here" and fall through).</summary>
    [JsonIgnore]
    public bool ErrorStatus => Http?.Status is { } st && st >= 400 && st is not (404 or 410);

    /// <summary>The socket addresses go connects to for this endpoint: the addresses tried, on the port dialled (the HTTP proxy's when one is used).</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Addresses
    {
        get
        {
            var port = Via is not null && Uri.TryCreate(Via, UriKind.Absolute, out var via) ? via.Port : Port;
            return Tcp.Select(t => t.Address.Contains(':') ? $"[{t.Address}]:{port}" : $"{t.Address}:{port}").Distinct().ToList();
        }
    }

    public EndpointVerdict ToVerdict() =>
        new(Role == EndpointRole.Proxy ? "GOPROXY" : "GOSUMDB", Url, Verdict ?? "ok", Addresses, Failure ?? "");
}

/// <param name="Name">The host looked up (the HTTP proxy's when one is used).</param>
public sealed record DnsLookup(string Name)
{
    [JsonPropertyName("ipv4")]
    public IReadOnlyList<string> IPv4 { get; init; } = [];
    [JsonPropertyName("ipv6")]
    public IReadOnlyList<string> IPv6 { get; init; } = [];
    [JsonPropertyName("ipv4Ms")]
    public double IPv4Ms { get; init; }
    [JsonPropertyName("ipv6Ms")]
    public double IPv6Ms { get; init; }
    [JsonPropertyName("ipv4Error")]
    public string? IPv4Error { get; init; }
    [JsonPropertyName("ipv6Error")]
    public string? IPv6Error { get; init; }
    public bool TimedOut { get; init; }

    /// <summary>True when the name was an IP address and nothing was looked up.</summary>
    public bool Literal { get; init; }
}

public sealed record TcpAttempt(string Family, string Address, TcpOutcome Outcome, double Ms)
{
    public string? Error { get; init; }
}

public sealed record ConnectResult(int? Status, double Ms)
{
    public string? Error { get; init; }
    public bool TimedOut { get; init; }
}

public sealed record TlsResult(bool Ok, double Ms)
{
    public string? Protocol { get; init; }
    public string? Subject { get; init; }
    public string? Issuer { get; init; }

    /// <summary>The chain as presented, leaf first: "subject ← issuer".</summary>
    public IReadOnlyList<string> Chain { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>The chain ends in a root this machine does not trust (an intercepting proxy, a private CA).</summary>
    public bool UnknownAuthority { get; init; }

    public bool NameMismatch { get; init; }
    public bool TimedOut { get; init; }
}

/// <param name="WaitedMs">How long the probe waited for the first byte.</param>
public sealed record HttpResult(int? Status, double WaitedMs)
{
    public string? Reason { get; init; }

    /// <summary>Time from the request written to the first response byte.</summary>
    public double? TtfbMs { get; init; }

    public string? Error { get; init; }
    public bool TimedOut { get; init; }
}

public sealed record FileProxyCheck(int ProxyIndex, string Url, string Path)
{
    public bool Exists { get; init; }
    public bool Readable { get; init; }

    /// <summary>At least one MODULE/@v folder was found (bounded walk), or the sample module's list file.</summary>
    public bool HasProxyLayout { get; init; }

    public string? SampleModule { get; init; }

    /// <summary>Whether SAMPLE/@v/list exists; null when no module was checked.</summary>
    public bool? SampleListed { get; init; }

    public string? Error { get; init; }
}

public sealed record DnsFacts
{
    public string ResolvConf { get; init; } = "";
    public IReadOnlyList<string> Nameservers { get; init; } = [];
    public IReadOnlyList<NameserverProbe> Probes { get; init; } = [];
}

/// <param name="Rcode">The DNS response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN…) when the server answered.</param>
public sealed record NameserverProbe(string Server, string Name, bool Answered, double Ms)
{
    public int? Rcode { get; init; }
    public string? Error { get; init; }
}

public sealed record GitFacts
{
    /// <summary>Whether `git config` could be read (git present and answering in time).</summary>
    public bool ConfigRead { get; init; }

    public string? ConfigError { get; init; }

    public IReadOnlyList<InsteadOfRewrite> InsteadOf { get; init; } = [];

    /// <summary>credential.helper values (redacted), first word only.</summary>
    public IReadOnlyList<string> CredentialHelpers { get; init; } = [];

    public string? AskPass { get; init; }

    /// <summary>core.sshCommand (redacted).</summary>
    public string? SshCommand { get; init; }

    /// <summary>The known_hosts files that were read (names only; their entries are not stored).</summary>
    public IReadOnlyList<string> KnownHostsFiles { get; init; } = [];
}

/// <summary>url.BASE.insteadOf PREFIX: URLs starting with Prefix are fetched from Base instead.</summary>
public sealed record InsteadOfRewrite(string Base, string Prefix)
{
    public bool ToSsh { get; init; }
    public string? SshHost { get; init; }

    /// <summary>Whether SshHost is in a known_hosts file; null when it could not be checked.</summary>
    public bool? HostKnown { get; init; }
}
