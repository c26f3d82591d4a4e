using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class GoProxyMalformedRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET020",
        "GOPROXY is malformed",
        "configuration",
        Severity.Error,
        "cmd/go cannot parse GOPROXY, so every module download fails.",
        "GOPROXY is a list of proxy URLs (https, http or file), `direct` and `off`, separated by ',' or '|'. A bare word that is not direct or off, a URL with another scheme, or a list with only separators and spaces makes every go command that needs a module fail with \"invalid proxy URL\" or \"GOPROXY list is not the empty string, but contains no entries\".")
    {
        HelpMarkdown = RuleHelp.For("GBNET020"),
        Tags = ["configuration", "goproxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = NetworkConfig.From(snapshot);
        if (config.Proxy.Error is null) yield break;
        yield return Descriptor.Finding($"GOPROXY={config.Proxy.Raw} cannot be used: {config.Proxy.Error}.", "GOPROXY") with
        {
            Location = Anchor(snapshot),
            Evidence = [new Evidence("GOPROXY", config.Proxy.Raw), ConfiguredIn(snapshot, Facts(snapshot), "GOPROXY"), new Evidence("error", config.Proxy.Error)],
            Fixes =
            [
                .. SettingFixes.Unset(snapshot, "GOPROXY", "Go back to the default (https://proxy.golang.org,direct)", "Module paths are sent to proxy.golang.org; private modules need GOPRIVATE.", FixApplicability.OnlyWhenNamed),
            ],
        };
    }
}
