using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class CommaWithoutFallbackRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET005",
        "A failing GOPROXY entry is followed by ',' where '|' would fall back",
        "network",
        Severity.Warning,
        "GOPROXY separates a failing entry with ',': go stops there instead of trying the next one.",
        "In GOPROXY, ',' falls through to the next entry only when a proxy answers 404 or 410; '|' falls through on any error (timeouts, refused connections, 5xx). The entry named here fails with an error, so the entries after it are never tried, although they might work.")
    {
        HelpMarkdown = RuleHelp.For("GBNET005"),
        Tags = ["network", "goproxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        var config = NetworkConfig.From(snapshot);
        foreach (var e in config.Proxy.Entries.Where(e => e.IsNetwork && e.Separator == ',' && !e.FallBackOnError))
        {
            var next = config.Proxy.Entries.FirstOrDefault(x => x.Index == e.Index + 1);
            var p = facts.Endpoints.FirstOrDefault(x => x.Role == EndpointRole.Proxy && x.ProxyIndex == e.Index);
            if (next is null || p is null || !Fails(p) || p.Stalled) continue;

            yield return Descriptor.Finding(
                $"GOPROXY entry {e.Url} fails ({p.Failure ?? "HTTP " + p.Http?.Status}) and is followed by ',': go stops there and never tries {next.Url}. With '|' it would fall back.",
                $"GOPROXY:{e.Url}") with
            {
                Location = Anchor(snapshot),
                Evidence = [new Evidence("GOPROXY", config.Proxy.Raw), ConfiguredIn(snapshot, facts, "GOPROXY"), new Evidence("failing entry", e.Url), new Evidence("next entry", next.Url), .. ProbeEvidence(p)],
                Fixes =
                [
                    .. SettingFixes.Set(snapshot, "GOPROXY", WithPipes(config.Proxy), "Fall back to the next entry on any error",
                        "A module that a later entry serves differently (another version list) may be taken from there; a proxy that stalls still hangs, since a stall is never an error."),
                    .. SettingFixes.Set(snapshot, "GOPROXY", Without(config.Proxy, e.Index) ?? GoProxyList.Default, $"Drop {e.Url}",
                        "Modules only that proxy serves cannot be fetched."),
                ],
            };
        }
    }
}
