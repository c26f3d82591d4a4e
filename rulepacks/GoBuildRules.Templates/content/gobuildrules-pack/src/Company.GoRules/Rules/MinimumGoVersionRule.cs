using GoBuildRules.Sdk;

namespace Company.GoRules.Rules;

/// <summary>A sample rule: the go line of go.mod must be at least the team's minimum.</summary>
public sealed class MinimumGoVersionRule : IRule
{
    /// <summary>The oldest Go language version the team supports.</summary>
    private const int MinimumMajor = 1, MinimumMinor = 21;

    public RuleDescriptor Descriptor { get; } = new(
        "TEAM001",
        "go.mod asks for a Go version older than the team minimum",
        "policy",
        Severity.Warning,
        $"The go line of go.mod is older than {MinimumMajor}.{MinimumMinor}.",
        $"The team builds with Go {MinimumMajor}.{MinimumMinor} or newer. A module that declares an older go line is built with older language semantics and may miss toolchain features (GOTOOLCHAIN, loop-variable scoping) the team relies on.")
    {
        HelpMarkdown = $"Raise the go line: `go mod edit -go={MinimumMajor}.{MinimumMinor}`, then `go build ./...` and run the tests.",
        HelpUri = new Uri("https://example.com/go-policy/TEAM001"),
        Tags = ["policy", "go.mod"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var mod = snapshot.Workspace.GoMod;
        if (mod?.Go is null || !GoVersion.TryParse(mod.Go, out var declared) || declared.Value.AtLeast(MinimumMajor, MinimumMinor))
        {
            yield break;
        }

        yield return Descriptor.Finding($"go.mod declares go {mod.Go}; the team minimum is {MinimumMajor}.{MinimumMinor}.", "go.mod go") with
        {
            Location = new Location(mod.File, mod.GoLine > 0 ? mod.GoLine : null),
            Evidence = [new Evidence("go.mod go", mod.Go), new Evidence("minimum", $"{MinimumMajor}.{MinimumMinor}")],
            Fixes =
            [
                Fix.Run("Raise the go line of go.mod", $"go mod edit -go={MinimumMajor}.{MinimumMinor}",
                    $"Builders with a Go older than {MinimumMajor}.{MinimumMinor} can no longer build the module (or download a newer toolchain when GOTOOLCHAIN allows it)."),
            ],
        };
    }
}
