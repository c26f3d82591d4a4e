using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class FileProxyBrokenRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET019",
        "A file:// GOPROXY folder is missing, unreadable or not a module proxy",
        "configuration",
        Severity.Error,
        "A file:// entry of GOPROXY points at a folder the go command cannot serve modules from.",
        "A file:// GOPROXY entry must be a folder laid out as a module proxy: MODULE/@v/list, MODULE/@v/VERSION.info, .mod and .zip, with upper-case letters escaped as '!' plus the lower-case letter (the module cache's cache/download folder has this layout). A missing or unreadable folder fails every fetch (a missing file only answers \"not found\", which falls through after ',').")
    {
        HelpMarkdown = RuleHelp.For("GBNET019"),
        Tags = ["configuration", "goproxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = Facts(snapshot);
        if (facts is null) yield break;
        foreach (var f in facts.FileProxies)
        {
            string? problem = f.Error is not null ? f.Error
                : !f.HasProxyLayout ? "has no MODULE/@v folder: it is not laid out as a module proxy"
                : f.SampleListed == false ? $"does not serve {f.SampleModule} ({NetworkConfigEscape(f.SampleModule!)}/@v/list is missing)"
                : null;
            if (problem is null) continue;
            yield return ForCompleteCache(Descriptor.Finding($"GOPROXY entry {f.Url}: the folder {f.Path} {problem}.", $"GOPROXY:{f.Url}") with
            {
                Severity = f.Error is null && f.HasProxyLayout ? Severity.Warning : Severity.Error,
                Location = Anchor(snapshot),
                Evidence = [new Evidence("entry", f.Url), new Evidence("folder", f.Path), new Evidence("exists", f.Exists.ToString()), new Evidence("readable", f.Readable.ToString()), new Evidence("proxy layout", f.HasProxyLayout.ToString())],
                Fixes =
                [
                    Fix.Run("Look at the folder", $"ls -la {Fix.ShellQuote(f.Path)}", "None."),
                    Fix.Run("Fill it from a module cache that has the modules", $"cp -r \"$(go env GOMODCACHE)/cache/download/.\" {Fix.ShellQuote(f.Path)}/",
                        "Copies every cached module, private ones included, into that folder."),
                ],
            }, snapshot);
        }
    }

    private static string NetworkConfigEscape(string module) => Config.NetworkConfig.EscapePath(module);
}
