using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class WorkspaceFileUnreadableRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO003",
        "go.mod, go.sum, go.work or vendor/modules.txt cannot be read or parsed",
        "workspace",
        Severity.Error,
        "A module file is unreadable or malformed.",
        "The go command refuses to load a module whose go.mod, go.work or go.sum it cannot parse, and reports it only when a command touches that file. The line named is where parsing stopped.")
    {
        HelpMarkdown = "Open the file at the line named and fix the directive; `go mod edit -fmt` rewrites a go.mod it can parse.",
        Tags = ["workspace", "go.mod"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken) =>
        // Where the go oracle reported an error in the same file, go's own message (GBGO004) says it better.
        snapshot.Workspace.ParseProblems
            .Where(p => !snapshot.GoOracle.Errors.Any(e => e.Location?.File == p.File))
            .Select(p => Descriptor.Finding($"{p.File}: {p.Message}", $"{p.File}:{p.Message}") with
        {
            Location = new Location(p.File, p.Line > 0 ? p.Line : null),
            Evidence = [new Evidence("file", p.File), new Evidence("problem", p.Message)],
            Fixes = [Fix.Run("See what the go command itself says about the file", "go mod edit -json", "None; it only reads go.mod.")],
        });
}
