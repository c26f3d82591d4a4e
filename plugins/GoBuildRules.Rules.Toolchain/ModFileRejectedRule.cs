using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed partial class ModFileRejectedRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO004",
        "The local go rejects go.mod or go.work",
        "workspace",
        Severity.Error,
        "go's own parser of go.mod or go.work fails, so every go command in the module fails.",
        "The go command parses go.mod (and go.work) before anything else; a file it rejects stops `go build`, `go list`, `go test` and the IDE's gopls alike. The message is go's own, from `go mod edit -json` and `go list` run offline by the scan. A go line newer than the local go's format (`go 1.22.0`, a three-part version, before Go 1.21) and a `toolchain` line are rejected by go older than 1.21: go.mod was written for a newer Go than the one installed.")
    {
        HelpMarkdown = "Run `go mod edit -json` (or `go work edit -json`) to see go's message; fix the line it names. For a go.mod written for a newer Go, install that Go or lower the go line.",
        Tags = ["workspace", "go.mod", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var e in snapshot.GoOracle.Errors.Where(GoErrors.IsModFileParse))
        {
            var where = GoErrors.Where(snapshot, e);
            var file = where?.File ?? "go.mod";
            var newer = NewerGo().Match(e.Message);
            var fixes = new List<Fix>();
            string message;
            if (newer.Success || e.Message.Contains("unknown directive: toolchain", StringComparison.Ordinal))
            {
                message = $"{e.Message} — {file} was written for a newer Go than {snapshot.Go.VersionOutput ?? "the local go"}: this go cannot read it, so every go command here fails.";
                fixes.Add(Fix.Run("Install the Go that go.mod asks for (Go 1.21 and newer also switch toolchains by themselves)",
                    "go install golang.org/dl/go1.22.4@latest && go1.22.4 download",
                    "Downloads a toolchain through GOPROXY; the new command is go1.22.4 until you put it first on PATH."));
                fixes.Add(Fix.EditFile(file, "Lower the go line to a two-part version this go accepts (e.g. `go 1.19`) and delete the toolchain line",
                    "Lower the requirement", "Code that uses newer language features or library APIs stops compiling, and a newer Go rewrites the lines back."));
            }
            else if (e.Message.StartsWith("go: no module declaration", StringComparison.Ordinal))
            {
                message = $"{e.Message.Split('\n')[0]} — go.mod has no module line, so go cannot load the module.";
                fixes.Add(Fix.Run("Declare the module path (the import path prefix of its packages)", "go mod edit -module=example.com/yourmodule",
                    "Imports inside the module must use the path you choose."));
            }
            else
            {
                message = $"{e.Message}: go cannot parse {file}, so every go command here fails.";
                fixes.Add(Fix.EditFile(file, $"Fix the directive at line {where?.Line?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"} as go's message says",
                    "Edit the line", "None beyond the edit; `go mod edit -json` confirms go can read the file."));
            }

            yield return Descriptor.Finding(message, $"{file}:{where?.Line}:{WithoutPosition(FirstLine(e.Message))}") with
            {
                Location = where,
                Evidence = [.. GoErrors.Outcome(snapshot, e)],
                Fixes = fixes,
            };
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0];

    /// <summary>go's message without its leading "/abs/path/go.mod:3: ": the path differs per machine, and the subject already names the file and line.</summary>
    private static string WithoutPosition(string line) => Position().Replace(line, "", 1);

    [GeneratedRegex(@"^\S+?:\d+(?::\d+)?:\s*")]
    private static partial Regex Position();

    [GeneratedRegex(@"invalid go version '(?<v>\d+\.\d+\.\d+)'")]
    private static partial Regex NewerGo();
}
