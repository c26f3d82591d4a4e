using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class AllProxiesFailRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET004",
        "Every entry of GOPROXY fails",
        "network",
        Severity.Error,
        "No GOPROXY entry works and the list does not end in direct: no module can be downloaded.",
        "The go command tries the GOPROXY entries in order. When every proxy is unreachable, stalls or answers errors and the list has no `direct`, no module that is missing from the module cache can be downloaded — and with a stalled entry the go command hangs instead of failing.")
    {
        HelpMarkdown = RuleHelp.For("GBNET004"),
        Tags = ["network", "goproxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null || facts.ProbesSkipped) yield break;
        var config = NetworkConfig.From(snapshot);
        var entries = config.Proxy.Entries.Where(e => e.Kind is ProxyEntryKind.Http or ProxyEntryKind.File).ToList();
        // A single failing entry is GBNET001-003's to report; this rule is about the whole list.
        if (entries.Count < 2 || config.Proxy.ReachesDirect) yield break;

        var verdicts = new List<Evidence>();
        foreach (var e in entries)
        {
            if (e.Kind == ProxyEntryKind.File)
            {
                var f = facts.FileProxies.FirstOrDefault(x => x.ProxyIndex == e.Index);
                if (f is null || (f.Exists && f.Readable && f.HasProxyLayout)) yield break;
                verdicts.Add(new Evidence(e.Url, f.Error ?? "not laid out as a module proxy"));
            }
            else
            {
                var p = facts.Endpoints.FirstOrDefault(x => x.Role == EndpointRole.Proxy && x.ProxyIndex == e.Index);
                if (p is null || !Fails(p)) yield break;
                verdicts.Add(new Evidence(e.Url, p.Failure ?? $"HTTP {p.Http?.Status}"));
            }
        }

        yield return ForCompleteCache(ForVendor(Descriptor.Finding(
            $"All {entries.Count} GOPROXY entries fail and the list has no direct: modules missing from the module cache cannot be downloaded.",
            "GOPROXY") with
        {
            Location = Anchor(snapshot),
            Evidence = [new Evidence("GOPROXY", config.Proxy.Raw), ConfiguredIn(snapshot, facts, "GOPROXY"), .. verdicts],
            Fixes =
            [
                Fix.Run("See which modules the build still needs from the network", "GOFLAGS=-mod=mod GOPROXY=off go list -m all",
                    "None; with GOPROXY=off nothing is fetched and missing modules are named in the errors."),
                .. SettingFixes.Set(snapshot, "GOPROXY", GoProxyList.Default, "Use the public proxy with direct fetches as the fallback",
                    "Module paths are sent to proxy.golang.org; private modules need GOPRIVATE.", FixApplicability.OnlyWhenNamed),
            ],
        }, snapshot), snapshot);
    }
}
