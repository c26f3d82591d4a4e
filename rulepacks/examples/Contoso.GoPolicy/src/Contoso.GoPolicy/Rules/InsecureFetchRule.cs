using GoBuildRules.Sdk;

namespace Contoso.GoPolicy.Rules;

public sealed class InsecureFetchRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "CTSO003",
        "Modules may be fetched insecurely (GOFLAGS=-insecure or GOINSECURE)",
        "policy",
        Severity.Error,
        "Insecure module fetches are not allowed.",
        "GOFLAGS=-insecure (removed in Go 1.17, where it makes every go command fail) and GOINSECURE let the go command fetch modules over plain HTTP and skip certificate checks. Contoso serves every internal module over HTTPS through the mirror, so neither is ever needed, and both let a man in the middle swap module code.")
    {
        HelpMarkdown = "Remove `-insecure` from GOFLAGS; `go env -u GOINSECURE`. For an internal host with a private CA, install the CA instead.",
        HelpUri = new Uri("https://github.com/gobuildrules/gobuildrules/blob/main/rulepacks/examples/Contoso.GoPolicy/docs/rules/CTSO003.md"),
        Tags = ["policy", "security"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var goflags = Policy.GoVariable(snapshot, "GOFLAGS");
        if (Policy.Flags(goflags).Any(f => f is "-insecure" or "--insecure" || f.StartsWith("-insecure=", StringComparison.Ordinal)))
        {
            yield return Descriptor.Finding($"GOFLAGS='{goflags}' contains -insecure.", "GOFLAGS -insecure") with
            {
                Location = Policy.Module(snapshot),
                Evidence = [new Evidence("GOFLAGS", goflags!)],
                Fixes =
                [
                    Fix.GoEnvWrite("GOFLAGS", string.Join(' ', Policy.Flags(goflags).Where(f => !f.Contains("insecure", StringComparison.Ordinal))), "Drop -insecure from GOFLAGS",
                        "Fetches from hosts without a valid certificate fail until the host is fixed or its CA is installed."),
                ],
            };
        }

        if (Policy.GoVariable(snapshot, "GOINSECURE") is { Length: > 0 } insecure)
        {
            yield return Descriptor.Finding($"GOINSECURE='{insecure}' lets these modules be fetched without TLS verification.", "GOINSECURE") with
            {
                Location = Policy.Module(snapshot),
                Evidence = [new Evidence("GOINSECURE", insecure)],
                Fixes =
                [
                    Fix.GoEnvUnset("GOINSECURE", "Fetch every module securely",
                        "Fetches from the listed hosts fail until they serve valid HTTPS or their CA is installed."),
                ],
            };
        }
    }
}
