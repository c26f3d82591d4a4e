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

/// <summary>
/// Implemented by a pack's facts record that publishes <see cref="EndpointVerdict"/>s; the property names
/// are the contract: `endpointVerdicts` and, beside it, `endpointVerdictsVersion`, the contract's major
/// version. The record must declare <see cref="EndpointVerdictsVersion"/> itself (`=> Sdk.EndpointVerdicts.Version`)
/// for it to be written: an interface's default member is not serialised.
/// </summary>
public interface IPublishesEndpointVerdicts
{
    IReadOnlyList<EndpointVerdict> EndpointVerdicts { get; }

    /// <summary>The major version of the contract the verdicts are written in (<see cref="Sdk.EndpointVerdicts.Version"/>).</summary>
    int EndpointVerdictsVersion => Sdk.EndpointVerdicts.Version;
}

public static class EndpointVerdicts
{
    /// <summary>
    /// The major version of the verdicts contract this SDK reads and writes. A change that an older
    /// reader would misread (a field renamed, a meaning changed) takes a new major; a publisher without
    /// `endpointVerdictsVersion` wrote version 1, the version that had no number.
    /// </summary>
    public const int Version = 1;

    private static readonly string PropertyName = JsonNamingPolicy.CamelCase.ConvertName(nameof(IPublishesEndpointVerdicts.EndpointVerdicts));

    private static readonly string VersionPropertyName = JsonNamingPolicy.CamelCase.ConvertName(nameof(IPublishesEndpointVerdicts.EndpointVerdictsVersion));

    /// <summary>Every verdict any pack published in the snapshot in this contract version; empty when no pack probes (offline, pack not loaded).</summary>
    public static IReadOnlyList<EndpointVerdict> In(Snapshot snapshot) => Read(snapshot).Verdicts;

    /// <summary>
    /// The verdicts <see cref="In"/> returns and, for each pack whose verdicts it leaves out rather than
    /// misread (another major version, or not the contract's shape), a collection issue that says so.
    /// The host adds these issues to the snapshot it collects.
    /// </summary>
    public static (IReadOnlyList<EndpointVerdict> Verdicts, IReadOnlyList<CollectionIssue> Issues) Read(Snapshot snapshot)
    {
        var verdicts = new List<EndpointVerdict>();
        var issues = new List<CollectionIssue>();
        foreach (var (key, element) in snapshot.Extensions.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(PropertyName, out var list))
            {
                continue;
            }

            var version = element.TryGetProperty(VersionPropertyName, out var v) ? v : default;
            if (version.ValueKind != JsonValueKind.Undefined && !(version.ValueKind == JsonValueKind.Number && version.TryGetInt32(out var major) && major == Version))
            {
                issues.Add(new CollectionIssue(key,
                    $"its endpoint verdicts are in contract version {version.GetRawText()} and this tool reads version {Version}: they are left out, so no live process is tied to the endpoints it probed"));
                continue;
            }

            try
            {
                verdicts.AddRange(list.Deserialize<List<EndpointVerdict>>(SnapshotJson.Options)?.Where(x => x is not null) ?? []);
            }
            catch (JsonException e)
            {
                issues.Add(new CollectionIssue(key, $"its endpoint verdicts do not have the contract's shape ({e.Message}): they are left out"));
            }
        }

        return (verdicts, issues);
    }

    /// <summary>The failing endpoint a live process is connected to, with the socket; null when none.</summary>
    public static (EndpointVerdict Verdict, LiveSocket Socket)? Of(LiveProcess process, IReadOnlyList<EndpointVerdict> verdicts) =>
        process.Connections.SelectMany(s => verdicts.Where(v => v.Matches(s)).Select(v => ((EndpointVerdict, LiveSocket)?)(v, s))).FirstOrDefault();
}
