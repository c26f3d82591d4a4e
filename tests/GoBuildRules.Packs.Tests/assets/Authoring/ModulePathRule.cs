using GoBuildRules.Sdk;

namespace Acme.BuildRules.Rules;

/// <summary>The team's modules live under corp.example/, which the company proxy serves and GOPRIVATE covers.</summary>
public sealed class ModulePathRule : IRule
{
    private const string Namespace = "corp.example/";

    public RuleDescriptor Descriptor { get; } = new(
        "ACME002",
        "The module path is outside the team's namespace",
        "policy",
        Severity.Warning,
        "go.mod declares a module path outside corp.example/.",
        "Team modules live under corp.example/, which the company proxy serves and GOPRIVATE covers; a module path elsewhere is looked up on the public proxy by everyone who imports it.")
    {
        HelpUri = new Uri("https://example.com/go-policy/ACME002"),
        Tags = ["policy", "go.mod"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var mod = snapshot.Workspace.GoMod;
        if (mod?.Module is not { Length: > 0 } path || path.StartsWith(Namespace, StringComparison.Ordinal))
        {
            yield break;
        }

        yield return Descriptor.Finding($"go.mod declares module {path}, outside {Namespace}.", "go.mod module") with
        {
            Location = new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null),
            Evidence = [new Evidence("module", path), new Evidence("namespace", Namespace)],
            Fixes =
            [
                Fix.Run("Move the module into the namespace", $"go mod edit -module={Namespace}{path.Split('/')[^1]}",
                    "Every import of the old path, in this module and in its users, must change too."),
            ],
        };
    }
}
