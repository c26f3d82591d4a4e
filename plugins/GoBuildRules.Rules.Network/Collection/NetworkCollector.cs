using System.Diagnostics;
using System.Globalization;
using System.Net;
using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Network.Collection;

/// <summary>
/// Collects the network facts: local checks always (file:// proxies, git settings, the GOENV file),
/// probes of every proxy and checksum-database endpoint in parallel unless offline. Each probe has
/// its own budget and every wait honours the scan's token, so the collector returns what it has
/// measured before the scan's deadline.
/// </summary>
public sealed class NetworkCollector : ISnapshotCollector<NetworkFacts>
{
    /// <summary>It reads git's and the resolver's configuration and probes endpoints; a file:// GOPROXY it reads is not touched by the oracle's go list, which runs with GOPROXY=off.</summary>
    public bool RunsBeforeGo => false;

    /// <summary>
    /// Per endpoint, all hops together: 1.5 s keeps a scan with every endpoint stalled within 3 s wall
    /// (process start and core facts take most of the rest). Slow but live proxies can be told from
    /// stalled ones by raising it with <see cref="BudgetVariable"/>.
    /// </summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(1.5);

    /// <summary>Overrides the per-endpoint budget, in seconds (0.2 to 60).</summary>
    public const string BudgetVariable = "GOBUILDRULES_PROBE_BUDGET";

    /// <summary>
    /// Set to 1 by the test suites: every probe must stay on this machine. A target (or the HTTP
    /// proxy in front of it) that is neither loopback nor an RFC 6761 ".invalid" name (which never
    /// resolves) makes the collector refuse to probe anything, so the scan reports a collection
    /// failure that the tests assert never happens. Not for users: it only removes probes.
    /// </summary>
    public const string LoopbackOnlyVariable = "GOBUILDRULES_TEST_LOOPBACK_ONLY";

    public string Key => NetworkPack.Id;

    /// <summary>GOPROXY entries probed at most, in order.</summary>
    public const int MaxProbedTargets = 24;

    /// <summary>Probes in flight at once.</summary>
    public const int MaxConcurrentProbes = 8;

    public async Task<NetworkFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        var snapshot = context.Core;
        var config = NetworkConfig.From(snapshot);
        var budget = Budget(Environment.GetEnvironmentVariable(BudgetVariable));
        var sample = NetworkConfig.FetchedModules(snapshot).Select(m => m.Path).FirstOrDefault(p => !config.IsNoProxy(p));

        var git = GitConfigReader.ReadAsync(context, budget, cancellationToken);
        var files = config.Proxy.Entries
            .Where(e => e.Kind == ProxyEntryKind.File)
            .Select(e => FileProxyChecker.Check(e, sample, cancellationToken))
            .ToList();

        // NETRC is not among the variables the core snapshot keeps, so it is read here.
        var netrc = ReadNetrcHosts(Environment.GetEnvironmentVariable("NETRC") is { Length: > 0 } n ? n : snapshot.Env("HOME") is { } home ? Path.Combine(home, ".netrc") : null);
        var facts = new NetworkFacts { BudgetSeconds = budget.TotalSeconds, FileProxies = files, NetrcHosts = netrc };
        if (context.Offline)
        {
            return facts with { ProbesSkipped = true, Git = await git.ConfigureAwait(false) };
        }

        // go walks GOPROXY in order and stalls at the first entry that never answers, so the first
        // entries decide; a list of a thousand must not open a thousand connections at once.
        var all = config.ProbeTargets(snapshot);
        var targets = all.Where(t => t.Role == EndpointRole.Proxy).Take(MaxProbedTargets).Concat(all.Where(t => t.Role != EndpointRole.Proxy)).ToList();
        if (Environment.GetEnvironmentVariable(LoopbackOnlyVariable) == "1")
        {
            var outside = targets.Select(t => ConnectHost(t, config)).Where(h => !StaysLocal(h)).Distinct().ToList();
            if (outside.Count > 0)
            {
                throw new InvalidOperationException($"{LoopbackOnlyVariable}=1: refusing to probe {string.Join(", ", outside)} (not loopback)");
            }
        }

        using var slots = new SemaphoreSlim(MaxConcurrentProbes);
        var probes = Task.WhenAll(targets.Select(t => Task.Run(async () =>
        {
            var started = Stopwatch.StartNew();
            try
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return new Probed(t, null, started.Elapsed);
            }

            try
            {
                return new Probed(t, await SafeProbeAsync(t, config.HttpProxy, budget, cancellationToken).ConfigureAwait(false), started.Elapsed);
            }
            finally
            {
                slots.Release();
            }
        }, CancellationToken.None)));
        var dnsName = targets
            .Select(t => Uri.TryCreate(t.BaseUrl, UriKind.Absolute, out var u) ? config.HttpProxy.ProxyFor(u)?.IdnHost ?? u.IdnHost : null)
            .FirstOrDefault(h => h is not null && !IPAddress.TryParse(h.Trim('[', ']'), out _) && h != "localhost");
        // Under the tests' guard the nameservers of /etc/resolv.conf are off this machine too.
        var dns = NameserverProber.ProbeAsync(dnsName, budget, cancellationToken, Environment.GetEnvironmentVariable(LoopbackOnlyVariable) == "1");

        var probed = await probes.ConfigureAwait(false);
        var dnsFacts = await dns.ConfigureAwait(false);
        // A probe that the scan's deadline stopped before its own budget ran out measured nothing about the
        // endpoint: it is not "stalled", it is not checked, and the report must say so (never a silent gap).
        var cut = probed.Where(p => p.Probe is null || (cancellationToken.IsCancellationRequested && p.Probe.TotalMs < budget.TotalMilliseconds && WaitedOut(p.Probe))).ToList();
        var notChecked = cut.Select(p => NotCheckedLine(p, budget)).ToList();
        if (cancellationToken.IsCancellationRequested && dnsFacts is not null && dnsFacts.Probes.Any(n => !n.Answered))
        {
            notChecked.Add($"the nameservers of {dnsFacts.ResolvConf}: the scan's deadline stopped the DNS probe before its own {budget.TotalSeconds:0.0#} s budget, so whether they answer is not known");
            dnsFacts = dnsFacts with { Probes = dnsFacts.Probes.Where(n => n.Answered).ToList() };
        }

        return facts with
        {
            Endpoints = probed.Except(cut).Select(p => p.Probe!).ToList(),
            Dns = dnsFacts,
            Git = await git.ConfigureAwait(false),
            NotChecked = notChecked,
        };
    }

    private sealed record Probed(ProbeTarget Target, EndpointProbe? Probe, TimeSpan Waited);

    /// <summary>The probe stopped waiting at a hop (no answer yet) rather than measuring a refusal or an error.</summary>
    private static bool WaitedOut(EndpointProbe p) => p.ProbeError is null && p.FailedHop switch
    {
        Hop.Dns => p.Dns is { TimedOut: true },
        Hop.Tcp => p.Tcp.Count > 0 && p.Tcp.All(a => a.Outcome == TcpOutcome.TimedOut),
        Hop.ProxyConnect => p.ProxyConnect is { TimedOut: true },
        Hop.Tls => p.Tls is { TimedOut: true },
        Hop.Http => p.Http is { TimedOut: true },
        _ => false,
    };

    private static string NotCheckedLine(Probed p, TimeSpan budget)
    {
        var what = p.Target.Role == EndpointRole.Proxy ? $"GOPROXY entry {p.Target.BaseUrl}" : $"GOSUMDB endpoint {p.Target.BaseUrl}";
        return p.Probe is null
            ? $"{what}: the scan's deadline came before its probe could start"
            : $"{what}: the scan's deadline stopped its probe after {p.Waited.TotalSeconds:0.0#} s, before its own {budget.TotalSeconds:0.0#} s budget: whether it answers is not known";
    }

    private static string ConnectHost(ProbeTarget t, NetworkConfig config) =>
        Uri.TryCreate(t.BaseUrl, UriKind.Absolute, out var u) ? (config.HttpProxy.ProxyFor(u) ?? u).IdnHost : t.BaseUrl;

    /// <summary>
    /// Whether probing the host stays on this machine. A .invalid name never resolves, but looking it
    /// up still asks the nameservers, so it stays local only when every nameserver is on loopback
    /// (a test's own, mounted over resolv.conf).
    /// </summary>
    private static bool StaysLocal(string host) =>
        host == "localhost"
        || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))
        || (host.EndsWith(".invalid", StringComparison.OrdinalIgnoreCase)
            && NameserverProber.ReadNameservers(NameserverProber.ResolvConf) is { Count: > 0 } servers
            && servers.All(s => IPAddress.TryParse(s, out var n) && IPAddress.IsLoopback(n)));

    /// <summary>A fault of the probe itself is recorded as such, never as the endpoint's failure, and never loses the other probes.</summary>
    private static async Task<EndpointProbe> SafeProbeAsync(ProbeTarget target, HttpProxyConfig proxies, TimeSpan budget, CancellationToken ct)
    {
        try
        {
            return await EndpointProber.ProbeAsync(target, proxies, budget, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new EndpointProbe(target.Role, target.ProxyIndex, target.BaseUrl, target.RequestPath)
            {
                ProbeError = $"{e.GetType().Name}: {Secrets.Redact(e.Message)}",
            };
        }
    }

    public static TimeSpan Budget(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.2 and <= 60
            ? TimeSpan.FromSeconds(seconds)
            : DefaultBudget;

    /// <summary>The "machine NAME" tokens of a .netrc file; everything else in it is a secret and is skipped.</summary>
    private static IReadOnlyList<string> ReadNetrcHosts(string? file)
    {
        if (file is null || !File.Exists(file))
        {
            return [];
        }

        try
        {
            var tokens = File.ReadLines(file).Take(10_000)
                .SelectMany(l => l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .ToList();
            return tokens.Zip(tokens.Skip(1)).Where(p => p.First == "machine").Select(p => p.Second.ToLowerInvariant()).Distinct().ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
