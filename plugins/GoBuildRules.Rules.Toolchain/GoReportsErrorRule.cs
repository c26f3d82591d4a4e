using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class GoReportsErrorRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO011",
        "The local go reports an error",
        "toolchain",
        Severity.Error,
        "`go list` or `go mod edit`, run offline by the scan, reported an error that no more specific rule explains.",
        "The scan asks the user's own go, with the user's environment, to load the module and every package `./...` needs (`go list -e -json -deps ./...`, GOPROXY=off, GOSUMDB=off, on a temporary copy of go.mod so nothing is written). The go command knows every reason it cannot build; this rule carries each error go reported that no specific rule explains, verbatim, at the file and line go named, so that nothing go says is dropped. When the go command did not finish within the scan's deadline, its errors are unknown: the scan reports that once, as a collection issue (\"not checked\", exit 124 when nothing else fails), not as a finding about the machine, since a slow scan is not a broken build.")
    {
        HelpMarkdown = "Run `go build ./...` or `go list -e -json -deps ./...` in the module and read go's message; it names the file and line.",
        Tags = ["toolchain", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var e in snapshot.GoOracle.Errors.Where(e => !GoErrors.Explained(e, snapshot)))
        {
            yield return Descriptor.Finding($"go says: {e.Message}", $"{e.Command}:{e.Message.Split('\n')[0]}") with
            {
                Location = GoErrors.Where(snapshot, e),
                Evidence = [.. GoErrors.Outcome(snapshot, e), .. e.ImportPath is null ? Array.Empty<Evidence>() : [new Evidence("package", e.ImportPath)]],
                Fixes = [Fix.Run("See the error as go prints it for a build", "go build ./...", "None beyond a build; with GOFLAGS=-mod=mod go may update go.mod and go.sum.")],
            };
        }
    }
}
