using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class GoNotFoundRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO001",
        "The go command is not on PATH",
        "toolchain",
        Severity.Error,
        "No go binary was found on PATH, so nothing can build.",
        "The scan looked for `go` in every folder of PATH and found none, or found a file that is not executable. Builds, IDE tools and CI steps that call `go` fail before they start; IDEs that use their own GOROOT setting may still work, which hides the problem until a terminal or CI build runs.")
    {
        HelpMarkdown = "Install Go, or put its bin folder on PATH. Check with `command -v go` and `go version`.",
        Tags = ["toolchain", "path"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (snapshot.Go.Status is not (ToolStatus.NotFound or ToolStatus.NotExecutable))
        {
            yield break;
        }

        var path = snapshot.Env("PATH") ?? "";
        yield return Descriptor.Finding(
            snapshot.Go.Path is null
                ? "The go command was not found on PATH."
                : $"{snapshot.Go.Path} is on PATH but is not executable.",
            "go") with
        {
            Location = Anchors.Module(snapshot),
            Evidence =
            [
                new Evidence("go", snapshot.Go.Error ?? "not found"),
                new Evidence("PATH", path),
            ],
            Fixes =
            [
                Fix.Run("Put the Go toolchain's bin folder on PATH (for this shell; add it to your profile to keep it)",
                    "export PATH=\"$PATH:/usr/local/go/bin\"", "None; only this shell is changed."),
                Fix.Run("Install Go from your distribution (Debian/Ubuntu)", "sudo apt-get install golang-go",
                    "Distribution Go may be older than the go line of go.mod; with Go >= 1.21 GOTOOLCHAIN can then download the newer toolchain."),
            ],
        };
    }
}
