using System.Text.Json;

namespace GoBuildRules.Sdk;

/// <summary>
/// A network probe's verdict on one endpoint that go talks to, published by the pack that probes
/// (the Network pack) so that other packs can tie a live process's socket to it without reading
/// that pack's own types. Only endpoints that fail are published.
/// </summary>
/// <param name="Variable">GOPROXY or GOSUMDB: the setting the endpoint comes from.</param>
/// <param name="Entry">The entry of that setting, without credentials ("https://proxy.corp.example.com").</param>
/// <param name="Verdict">"stalled" (connects, never answers), "unreachable" (DNS, TCP or TLS fails) or "failing" (answers with an error).</param>
/// <param name="Addresses">The socket addresses go connects to for it ("203.0.113.7:443", "[2001:db8::1]:443"); an HTTP proxy's when one is used.</param>
/// <param name="Failure">What the probe measured, in a sentence.</param>
public sealed record EndpointVerdict(string Variable, string Entry, string Verdict, IReadOnlyList<string> Addresses, string Failure)
{
    /// <summary>Whether <paramref name="socket"/> is connected to this endpoint.</summary>
    public bool Matches(LiveSocket socket) => socket.Protocol == "tcp" && Addresses.Contains(socket.Remote, StringComparer.OrdinalIgnoreCase);
}

/// <summary>Implemented by a pack's facts record that publishes <see cref="EndpointVerdict"/>s; the property name is the contract.</summary>
public interface IPublishesEndpointVerdicts
{
    IReadOnlyList<EndpointVerdict> EndpointVerdicts { get; }
}

public static class EndpointVerdicts
{
    private static readonly string PropertyName = JsonNamingPolicy.CamelCase.ConvertName(nameof(IPublishesEndpointVerdicts.EndpointVerdicts));

    /// <summary>Every verdict any pack published in the snapshot; empty when no pack probes (offline, pack not loaded).</summary>
    public static IReadOnlyList<EndpointVerdict> In(Snapshot snapshot)
    {
        var verdicts = new List<EndpointVerdict>();
        foreach (var (_, element) in snapshot.Extensions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(PropertyName, out var list) && list.ValueKind == JsonValueKind.Array)
            {
                verdicts.AddRange(list.Deserialize<List<EndpointVerdict>>(SnapshotJson.Options) ?? []);
            }
        }

        return verdicts;
    }

    /// <summary>The failing endpoint a live process is connected to, with the socket; null when none.</summary>
    public static (EndpointVerdict Verdict, LiveSocket Socket)? Of(LiveProcess process, IReadOnlyList<EndpointVerdict> verdicts) =>
        process.Connections.SelectMany(s => verdicts.Where(v => v.Matches(s)).Select(v => ((EndpointVerdict, LiveSocket)?)(v, s))).FirstOrDefault();
}
