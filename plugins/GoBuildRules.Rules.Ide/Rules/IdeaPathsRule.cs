using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class IdeaPathsRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE008",
        "GoLand / IntelliJ GOROOT or GOPATH points at a missing folder",
        "ide",
        Severity.Warning,
        "The project's GOROOT in .idea/ names a folder without an executable bin/go, or a project GOPATH entry does not exist.",
        "GoLand and IntelliJ's Go plugin keep the project SDK in .idea/workspace.xml (component GOROOT) and project GOPATH entries in the GOPATH component. When the SDK was removed or lives on another machine (a committed .idea/), the IDE shows 'GOROOT is not defined' or 'cannot find package \"fmt\"', indexing and run configurations fail, while the terminal builds fine. A missing project GOPATH entry leaves packages from it unresolved in the IDE only.")
    {
        HelpMarkdown = "Settings → Go → GOROOT shows the SDK; compare with `go env GOROOT`.",
        Tags = ["ide", "goland", "toolchain"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var p in f.Paths.Where(p => p.Setting == "GoLand GOROOT" && !p.Executable))
        {
            yield return Descriptor.Finding(
                $"{p.File}:{p.Line}: GOROOT {p.Raw} {(p.Exists ? "has no executable bin/go" : "does not exist")}: GoLand cannot index or run this project.",
                $"{p.File}:GOROOT") with
            {
                Location = new Location(p.File, p.Line),
                Evidence = [new Evidence("GOROOT", p.Raw), new Evidence("resolved", p.Resolved), new Evidence("go env GOROOT", snapshot.GoEnv("GOROOT") ?? "?")],
                Fixes =
                [
                    Fix.EditFile(p.File, $"<component name=\"GOROOT\" url=\"file://{snapshot.GoEnv("GOROOT") ?? "$(go env GOROOT)"}\" />",
                        "Point the project at the Go the terminal uses (Settings → Go → GOROOT)", "The IDE then uses the terminal's Go version."),
                    Fix.Run("Keep workspace.xml out of version control, so one machine's SDK path does not reach another", "git rm --cached .idea/workspace.xml && echo .idea/workspace.xml >> .gitignore",
                        "Shared run configurations stored there stop being shared; store those in .idea/runConfigurations instead."),
                ],
            };
        }

        foreach (var p in f.Paths.Where(p => p.Setting == "GoLand GOPATH" && !p.Exists))
        {
            yield return Descriptor.Finding(
                $"{p.File}:{p.Line}: the project GOPATH entry {p.Raw} does not exist: packages expected there stay unresolved in GoLand only.",
                $"{p.File}:GOPATH:{p.Raw}") with
            {
                Severity = Severity.Warning,
                Location = new Location(p.File, p.Line),
                Evidence = [new Evidence("GOPATH entry", p.Raw), new Evidence("resolved", p.Resolved), new Evidence("go env GOPATH", snapshot.GoEnv("GOPATH") ?? "?")],
                Fixes =
                [
                    Fix.EditFile(p.File, $"remove the GOPATH entry at line {p.Line} (Settings → Go → GOPATH → Project GOPATH)", "Drop the missing project GOPATH entry",
                        "None for module builds: modules do not read GOPATH for sources."),
                ],
            };
        }
    }
}
