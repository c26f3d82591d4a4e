using GoBuildRules.Sdk;

namespace Contoso.GoPolicy.Rules;

public sealed class ProxyMirrorRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "CTSO001",
        "GOPROXY does not go through the Contoso mirror",
        "policy",
        Severity.Error,
        $"Module downloads must go through {Policy.Mirror} first.",
        $"Contoso builds fetch modules through its mirror ({Policy.Mirror}), which caches them, scans them and keeps builds working when the public proxy is slow or unreachable from the build network. A GOPROXY that does not start with the mirror sends downloads straight to the internet, where the corporate egress often stalls them.")
    {
        HelpMarkdown = $"Set `go env -w GOPROXY={Policy.Mirror},off`; check with `go env GOPROXY`.",
        HelpUri = new Uri("https://github.com/gobuildrules/gobuildrules/blob/main/rulepacks/examples/Contoso.GoPolicy/docs/rules/CTSO001.md"),
        Tags = ["policy", "proxy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        // Without go env or the variable the effective value is unknown; guessing would misfire.
        var proxy = Policy.GoVariable(snapshot, "GOPROXY");
        if (proxy is null)
        {
            yield break;
        }

        var first = proxy.Split([',', '|'], StringSplitOptions.TrimEntries)[0];
        if (string.Equals(first.TrimEnd('/'), Policy.Mirror, StringComparison.OrdinalIgnoreCase))
        {
            yield break;
        }

        yield return Descriptor.Finding($"GOPROXY is '{proxy}': module downloads bypass the Contoso mirror {Policy.Mirror}.", "GOPROXY") with
        {
            Location = Policy.Module(snapshot),
            Evidence = [new Evidence("GOPROXY", proxy), new Evidence("required first entry", Policy.Mirror)],
            Fixes =
            [
                Fix.GoEnvWrite("GOPROXY", $"{Policy.Mirror},direct", "Put the mirror first and keep direct downloads as a fallback",
                    "Modules the mirror lacks are still fetched from their origin, outside the mirror's scanning."),
                Fix.GoEnvWrite("GOPROXY", $"{Policy.Mirror},off", "Use the mirror only",
                    "A module the mirror does not have fails to download; ask the platform team to add it."),
            ],
        };
    }
}
