using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class MissingGoBinaryRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE005",
        "go.alternateTools or go.goroot points at a go that does not exist",
        "ide",
        Severity.Warning,
        "VS Code's Go extension is told to use a go binary or GOROOT that is missing or not executable.",
        "go.alternateTools.go replaces the go command the extension and its tools run, and go.goroot the GOROOT they use. When it points at a removed toolchain (an uninstalled version, another machine's path, a moved SDK), the extension reports 'Failed to find the \"go\" binary', gopls does not start or runs against a different Go than the terminal, and builds from the editor fail while the terminal works.")
    {
        HelpMarkdown = "Check the path in the settings file at the line named: `ls -l PATH` and `PATH/bin/go version` for a goroot.",
        Tags = ["ide", "vscode", "toolchain"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var p in f.Paths.Where(p => p.Setting is "go.alternateTools.go" or "go.goroot" && !p.Executable))
        {
            var what = p.Setting == "go.goroot"
                ? (p.Exists ? $"{p.Resolved} has no executable bin/go" : $"{p.Resolved} does not exist")
                : (p.Exists ? $"{p.Resolved} is not executable" : $"{p.Resolved} does not exist (nor is it on PATH)");
            yield return Descriptor.Finding(
                $"{p.File}:{p.Line}: {p.Setting} = {p.Raw}, but {what}: VS Code's Go tools cannot run.",
                $"{p.File}:{p.Setting}") with
            {
                Location = new Location(p.File, p.Line),
                Evidence =
                [
                    new Evidence("setting", p.Setting),
                    new Evidence("value", p.Raw),
                    new Evidence("resolved", p.Resolved),
                    new Evidence("terminal go", snapshot.Go.Path ?? "(not found)"),
                ],
                Fixes =
                [
                    Fix.EditFile(p.File, $"remove {p.Setting} (line {p.Line})", "Let the extension use the go on PATH, like the terminal",
                        "If the setting chose a specific Go version on purpose, the editor then uses the terminal's version."),
                    Fix.EditFile(p.File, $"\"{p.Setting}\": \"{(p.Setting == "go.goroot" ? snapshot.GoEnv("GOROOT") ?? "$(go env GOROOT)" : snapshot.Go.Path ?? "go")}\"",
                        "Or point it at the Go the terminal uses", "None beyond using that Go in the editor."),
                ],
            };
        }
    }
}
