using GoBuildRules.Sdk;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using GoBuildRules.Rules.Network.Config;

namespace GoBuildRules.Rules.Network.Collection;

/// <summary>
/// Probes one proxy or checksum-database endpoint hop by hop (DNS, TCP per address family, CONNECT
/// through an HTTP proxy, TLS, one HTTP request) under one budget, and records the first hop that
/// failed with its measured time. The request is written by hand over the socket: no retries, no
/// redirects, no credentials, nothing but what is measured.
/// </summary>
internal static class EndpointProber
{
    private const string UserAgent = "gobuildrules-probe";

    /// <summary>After one address family connected, how long the other may still take before it counts as timing out.</summary>
    private static readonly TimeSpan OtherFamilyGrace = TimeSpan.FromSeconds(1);

    public static async Task<EndpointProbe> ProbeAsync(ProbeTarget target, HttpProxyConfig proxies, TimeSpan budget, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var probe = new EndpointProbe(target.Role, target.ProxyIndex, target.BaseUrl, target.RequestPath);
        if (!Uri.TryCreate(target.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return probe with { FailedHop = Hop.Dns, Failure = $"{target.BaseUrl} is not an http or https URL" };
        }

        var via = proxies.ProxyFor(uri);
        probe = probe with
        {
            Host = uri.IdnHost,
            Port = uri.Port,
            Via = via is null ? null : via.GetLeftPart(UriPartial.Authority),
            ViaVariable = via is null ? null : proxies.VariableFor(uri),
        };

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(budget);
        var token = cts.Token;
        var connectHost = via?.IdnHost ?? uri.IdnHost;
        var connectPort = via?.Port ?? uri.Port;
        var through = via is null ? "" : $" (through the proxy {probe.Via} from {probe.ViaVariable})";

        var dns = await LookupAsync(connectHost, token).ConfigureAwait(false);
        probe = probe with { Dns = dns };
        if (dns.IPv4.Count + dns.IPv6.Count == 0)
        {
            var why = dns.TimedOut ? $"did not answer within {Seconds(Math.Max(dns.IPv4Ms, dns.IPv6Ms))}" : dns.IPv4Error ?? dns.IPv6Error ?? "no addresses";
            return Done(probe with { FailedHop = Hop.Dns, Failure = $"DNS lookup of {connectHost}{through} failed: {why}" }, total);
        }

        var (socket, attempts, others) = await ConnectAsync(dns, connectPort, token).ConfigureAwait(false);
        EndpointProbe result;
        try
        {
            result = await AfterConnectAsync(probe, socket, attempts, uri, via, target, connectPort, through, token).ConfigureAwait(false);
        }
        finally
        {
            attempts.AddRange(await FinishOthersAsync(others).ConfigureAwait(false));
        }

        return Done(result with { Tcp = [.. attempts] }, total);
    }

    private static async Task<EndpointProbe> AfterConnectAsync(
        EndpointProbe probe, Socket? socket, List<TcpAttempt> attempts, Uri uri, Uri? via, ProbeTarget target, int connectPort, string through, CancellationToken token)
    {
        {
            if (socket is null)
            {
                var first = attempts.OrderBy(a => a.Outcome == TcpOutcome.TimedOut ? 1 : 0).First();
                var what = first.Outcome switch
                {
                    TcpOutcome.Refused => $"was refused after {Ms(first.Ms)}",
                    TcpOutcome.TimedOut => $"timed out after {Seconds(first.Ms)}",
                    TcpOutcome.Unreachable => $"failed after {Ms(first.Ms)}: network unreachable",
                    _ => $"failed after {Ms(first.Ms)}: {first.Error}",
                };
                return probe with { Tcp = attempts, FailedHop = Hop.Tcp, Failure = $"TCP connect to {Endpoint(first.Address, connectPort)}{through} {what}" };
            }

            Stream stream = new NetworkStream(socket, ownsSocket: true);
            try
            {
                if (via is not null && via.Scheme == "socks5")
                {
                    probe = probe with { Failure = $"the SOCKS5 proxy {probe.Via} accepted TCP; the hops behind it were not probed" };
                    return probe;
                }

                if (via is not null && uri.Scheme == "https")
                {
                    var connect = await ConnectThroughProxyAsync(stream, uri, token).ConfigureAwait(false);
                    probe = probe with { ProxyConnect = connect };
                    if (connect.Status != 200)
                    {
                        var what = connect.TimedOut
                            ? $"accepted the connection but did not answer CONNECT within {Seconds(connect.Ms)}"
                            : connect.Status is { } st ? $"answered CONNECT {uri.IdnHost}:{uri.Port} with HTTP {st}" : $"failed during CONNECT: {connect.Error}";
                        return probe with { FailedHop = Hop.ProxyConnect, Failure = $"the HTTP proxy {probe.Via} from {probe.ViaVariable} {what}" };
                    }
                }

                if (uri.Scheme == "https")
                {
                    var (tls, ssl) = await HandshakeAsync(stream, uri.IdnHost, token).ConfigureAwait(false);
                    probe = probe with { Tls = tls };
                    if (ssl is null)
                    {
                        var what = tls.TimedOut ? $"did not complete within {Seconds(tls.Ms)}" : $"failed after {Ms(tls.Ms)}: {tls.Error}";
                        return probe with { FailedHop = Hop.Tls, Failure = $"TLS handshake with {uri.IdnHost}{through} {what}" };
                    }

                    stream = ssl;
                }

                var target2 = via is not null && uri.Scheme == "http"
                    ? uri.GetLeftPart(UriPartial.Authority) + JoinPath(uri, target.RequestPath)
                    : JoinPath(uri, target.RequestPath);
                var http = await RequestAsync(stream, uri, target2, token).ConfigureAwait(false);
                probe = probe with { Http = http };
                if (http.Status is null)
                {
                    var setup = uri.Scheme == "https" ? "TCP and TLS" : "TCP";
                    var what = http.TimedOut
                        ? $"{setup} connected, but no HTTP response to GET {target.RequestPath} within {Seconds(http.WaitedMs)}"
                        : $"{setup} connected, but GET {target.RequestPath} failed after {Ms(http.WaitedMs)}: {http.Error}";
                    return probe with { FailedHop = Hop.Http, Failure = what + through };
                }

                return probe;
            }
            finally
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static EndpointProbe Done(EndpointProbe probe, Stopwatch total) => probe with { TotalMs = Round(total.Elapsed.TotalMilliseconds) };

    private static string JoinPath(Uri baseUri, string requestPath) =>
        baseUri.AbsolutePath.TrimEnd('/') + (requestPath.StartsWith('/') ? requestPath : "/" + requestPath);

    private static async Task<DnsLookup> LookupAsync(string host, CancellationToken token)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            var text = literal.ToString();
            return literal.AddressFamily == AddressFamily.InterNetworkV6
                ? new DnsLookup(host) { IPv6 = [text], Literal = true }
                : new DnsLookup(host) { IPv4 = [text], Literal = true };
        }

        var v4 = ResolveAsync(host, AddressFamily.InterNetwork, token);
        var v6 = ResolveAsync(host, AddressFamily.InterNetworkV6, token);
        var a = await v4.ConfigureAwait(false);
        var aaaa = await v6.ConfigureAwait(false);
        return new DnsLookup(host)
        {
            IPv4 = a.Addresses,
            IPv6 = aaaa.Addresses,
            IPv4Ms = a.Ms,
            IPv6Ms = aaaa.Ms,
            IPv4Error = a.Error,
            IPv6Error = aaaa.Error,
            TimedOut = a.TimedOut && aaaa.TimedOut,
        };
    }

    private sealed record Resolved(IReadOnlyList<string> Addresses, double Ms, string? Error, bool TimedOut);

    private static async Task<Resolved> ResolveAsync(string host, AddressFamily family, CancellationToken token)
    {
        var sw = Stopwatch.StartNew();
        try
        {
            // WaitAsync: the resolver may not honour cancellation, the probe must.
            var addresses = await Dns.GetHostAddressesAsync(host, family, token).WaitAsync(token).ConfigureAwait(false);
            return new Resolved(addresses.Select(x => x.ToString()).Distinct().ToList(), Round(sw.Elapsed.TotalMilliseconds), null, false);
        }
        catch (OperationCanceledException)
        {
            return new Resolved([], Round(sw.Elapsed.TotalMilliseconds), $"timed out after {Seconds(sw.Elapsed.TotalMilliseconds)}", true);
        }
        catch (SocketException e)
        {
            var why = e.SocketErrorCode switch
            {
                SocketError.HostNotFound => "no such host",
                SocketError.NoData => "no address of this family",
                SocketError.TryAgain => "temporary failure in name resolution (no nameserver answered)",
                _ => e.Message,
            };
            return new Resolved([], Round(sw.Elapsed.TotalMilliseconds), why, false);
        }
    }

    private sealed record Attempt(Socket? Socket, TcpAttempt Result);

    private static async Task<(Socket? Socket, List<TcpAttempt> Attempts, List<(Task<Attempt> Task, CancellationTokenSource Cts)> Others)> ConnectAsync(
        DnsLookup dns, int port, CancellationToken token)
    {
        var pending = new List<(Task<Attempt> Task, CancellationTokenSource Cts)>();
        foreach (var address in new[] { dns.IPv6.FirstOrDefault(), dns.IPv4.FirstOrDefault() }.OfType<string>())
        {
            var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
            pending.Add((ConnectOneAsync(IPAddress.Parse(address), port, cts.Token), cts));
        }

        var attempts = new List<TcpAttempt>();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending.Select(p => p.Task)).ConfigureAwait(false);
            var entry = pending.First(p => p.Task == done);
            pending.Remove(entry);
            entry.Cts.Dispose();
            var attempt = await done.ConfigureAwait(false);
            attempts.Add(attempt.Result);
            if (attempt.Socket is not null)
            {
                foreach (var other in pending)
                {
                    other.Cts.CancelAfter(OtherFamilyGrace);
                }

                return (attempt.Socket, attempts, pending);
            }
        }

        return (null, attempts, pending);
    }

    private static async Task<List<TcpAttempt>> FinishOthersAsync(List<(Task<Attempt> Task, CancellationTokenSource Cts)> others)
    {
        var results = new List<TcpAttempt>();
        foreach (var (task, cts) in others)
        {
            var attempt = await task.ConfigureAwait(false);
            attempt.Socket?.Dispose();
            cts.Dispose();
            results.Add(attempt.Result);
        }

        return results;
    }

    private static async Task<Attempt> ConnectOneAsync(IPAddress address, int port, CancellationToken token)
    {
        var family = address.AddressFamily == AddressFamily.InterNetworkV6 ? "ipv6" : "ipv4";
        var sw = Stopwatch.StartNew();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(address, port, token).ConfigureAwait(false);
            return new Attempt(socket, new TcpAttempt(family, address.ToString(), TcpOutcome.Connected, Round(sw.Elapsed.TotalMilliseconds)));
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return new Attempt(null, new TcpAttempt(family, address.ToString(), TcpOutcome.TimedOut, Round(sw.Elapsed.TotalMilliseconds)));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var outcome = e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => TcpOutcome.Refused,
                SocketError.TimedOut => TcpOutcome.TimedOut,
                SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.AddressNotAvailable => TcpOutcome.Unreachable,
                _ => TcpOutcome.Failed,
            };
            return new Attempt(null, new TcpAttempt(family, address.ToString(), outcome, Round(sw.Elapsed.TotalMilliseconds)) { Error = e.Message });
        }
    }

    private static async Task<ConnectResult> ConnectThroughProxyAsync(Stream stream, Uri target, CancellationToken token)
    {
        var sw = Stopwatch.StartNew();
        var authority = $"{target.IdnHost}:{target.Port}";
        var request = $"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: {UserAgent}\r\n\r\n";
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), token).ConfigureAwait(false);
            // Read the response head byte by byte so that nothing of the tunnel is consumed.
            var head = new StringBuilder();
            var one = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (head.Length > 16_384) return new ConnectResult(null, Round(sw.Elapsed.TotalMilliseconds)) { Error = "response head too long" };
                var n = await stream.ReadAsync(one, token).ConfigureAwait(false);
                if (n == 0) return new ConnectResult(ParseStatus(head.ToString()).Status, Round(sw.Elapsed.TotalMilliseconds)) { Error = "the proxy closed the connection" };
                head.Append((char)one[0]);
            }

            return new ConnectResult(ParseStatus(head.ToString()).Status, Round(sw.Elapsed.TotalMilliseconds));
        }
        catch (OperationCanceledException)
        {
            return new ConnectResult(null, Round(sw.Elapsed.TotalMilliseconds)) { TimedOut = true };
        }
        catch (IOException e)
        {
            return new ConnectResult(null, Round(sw.Elapsed.TotalMilliseconds)) { Error = e.Message };
        }
    }

    private static async Task<(TlsResult Result, SslStream? Stream)> HandshakeAsync(Stream inner, string host, CancellationToken token)
    {
        var sw = Stopwatch.StartNew();
        string? subject = null, issuer = null;
        var chainText = new List<string>();
        var errors = SslPolicyErrors.None;
        var statuses = new List<X509ChainStatusFlags>();
        var ssl = new SslStream(inner, leaveInnerStreamOpen: true, (_, cert, chain, policyErrors) =>
        {
            errors = policyErrors;
            subject = cert?.Subject;
            issuer = cert?.Issuer;
            if (chain is not null)
            {
                chainText.AddRange(chain.ChainElements.Select(e => $"{e.Certificate.Subject} ← {e.Certificate.Issuer}"));
                statuses.AddRange(chain.ChainStatus.Select(s => s.Status));
            }

            return policyErrors == SslPolicyErrors.None;
        });
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, token).ConfigureAwait(false);
            return (new TlsResult(true, Round(sw.Elapsed.TotalMilliseconds))
            {
                Protocol = ssl.SslProtocol.ToString(),
                Subject = subject,
                Issuer = issuer,
                Chain = chainText,
            }, ssl);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var unknown = errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors)
                && statuses.Any(s => s is X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain);
            var mismatch = errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch);
            var why = e is OperationCanceledException ? "timed out"
                : unknown ? $"certificate signed by unknown authority (issuer: {issuer})"
                : mismatch ? $"the certificate ({subject}) is not valid for {host}"
                : errors != SslPolicyErrors.None ? $"certificate rejected: {errors}; {string.Join(", ", statuses)}"
                : e.Message;
            return (new TlsResult(false, Round(sw.Elapsed.TotalMilliseconds))
            {
                Subject = subject,
                Issuer = issuer,
                Chain = chainText,
                Error = why,
                UnknownAuthority = unknown,
                NameMismatch = mismatch,
                TimedOut = e is OperationCanceledException,
            }, null);
        }
    }

    private static async Task<HttpResult> RequestAsync(Stream stream, Uri uri, string requestTarget, CancellationToken token)
    {
        var hostHeader = uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port}";
        var request = $"GET {requestTarget} HTTP/1.1\r\nHost: {hostHeader}\r\nUser-Agent: {UserAgent}\r\nAccept: */*\r\nConnection: close\r\n\r\n";
        var sw = Stopwatch.StartNew();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
            sw.Restart();
            var buffer = new byte[4096];
            var received = new StringBuilder();
            double? ttfb = null;
            while (!received.ToString().Contains("\r\n", StringComparison.Ordinal) && received.Length < 8192)
            {
                var n = await stream.ReadAsync(buffer, token).ConfigureAwait(false);
                if (n == 0)
                {
                    return new HttpResult(null, Round(sw.Elapsed.TotalMilliseconds)) { TtfbMs = ttfb, Error = "the server closed the connection without a response" };
                }

                ttfb ??= Round(sw.Elapsed.TotalMilliseconds);
                received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            }

            var (status, reason) = ParseStatus(received.ToString());
            return status is null
                ? new HttpResult(null, Round(sw.Elapsed.TotalMilliseconds)) { TtfbMs = ttfb, Error = "the answer is not HTTP" }
                : new HttpResult(status, Round(sw.Elapsed.TotalMilliseconds)) { TtfbMs = ttfb, Reason = reason };
        }
        catch (OperationCanceledException)
        {
            return new HttpResult(null, Round(sw.Elapsed.TotalMilliseconds)) { TimedOut = true };
        }
        catch (IOException e)
        {
            return new HttpResult(null, Round(sw.Elapsed.TotalMilliseconds)) { Error = e.InnerException?.Message ?? e.Message };
        }
    }

    private static (int? Status, string? Reason) ParseStatus(string head)
    {
        var line = head.Split("\r\n")[0];
        var parts = line.Split(' ', 3);
        return parts.Length >= 2 && parts[0].StartsWith("HTTP/", StringComparison.Ordinal) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? (code, parts.Length == 3 ? parts[2] : "")
            : (null, null);
    }

    private static string Endpoint(string address, int port) => address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";

    private static double Round(double ms) => Math.Round(ms, 1);

    internal static string Ms(double ms) => ms >= 1000 ? Seconds(ms) : $"{ms.ToString("0", CultureInfo.InvariantCulture)} ms";

    internal static string Seconds(double ms) => $"{(ms / 1000).ToString("0.0#", CultureInfo.InvariantCulture)} s";
}
