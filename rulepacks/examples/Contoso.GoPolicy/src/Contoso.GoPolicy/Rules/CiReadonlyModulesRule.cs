using GoBuildRules.Sdk;

namespace Contoso.GoPolicy.Rules;

public sealed class CiReadonlyModulesRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "CTSO002",
        "A CI build may change go.mod or go.sum (-mod=mod)",
        "policy",
        Severity.Error,
        "CI builds must use -mod=readonly.",
        "With -mod=mod in GOFLAGS the go command updates go.mod and go.sum as it builds: a CI build then resolves and downloads modules nobody reviewed, which is slow (every missing module is a network round trip) and not reproducible. Contoso CI builds with -mod=readonly so that a missing requirement fails fast and the fix is committed.")
    {
        HelpMarkdown = "Remove `-mod=mod` from GOFLAGS in the pipeline definition, or set `GOFLAGS=-mod=readonly`; run `go mod tidy` locally and commit go.mod and go.sum.",
        HelpUri = new Uri("https://github.com/gobuildrules/gobuildrules/blob/main/rulepacks/examples/Contoso.GoPolicy/docs/rules/CTSO002.md"),
        Tags = ["policy", "ci", "modules"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (!Policy.InCi(snapshot))
        {
            yield break;
        }

        var goflags = Policy.GoVariable(snapshot, "GOFLAGS");
        if (!Policy.Flags(goflags).Contains("-mod=mod"))
        {
            yield break;
        }

        yield return Descriptor.Finding($"This CI build runs with GOFLAGS='{goflags}': the go command may rewrite go.mod and go.sum and download unreviewed modules.", "GOFLAGS -mod=mod") with
        {
            Location = Policy.Module(snapshot),
            Evidence = [new Evidence("GOFLAGS", goflags!), new Evidence("CI", snapshot.Env("CI") ?? snapshot.Env("TF_BUILD") ?? "jenkins")],
            Fixes =
            [
                Fix.Run("Build with read-only module files in this job", "export GOFLAGS=-mod=readonly",
                    "A build whose go.mod or go.sum is out of date fails until `go mod tidy` is run and committed."),
            ],
        };
    }
}
