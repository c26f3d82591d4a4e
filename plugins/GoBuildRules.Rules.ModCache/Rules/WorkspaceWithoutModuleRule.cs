using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class WorkspaceWithoutModuleRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD012",
        "A go.work above this module does not use it",
        "workspace",
        Severity.Error,
        "The go command found a go.work file (in this folder or a parent, or through GOWORK) whose use directives do not include this module.",
        "In workspace mode only the modules listed by `use` in go.work are main modules. Run inside any other module, every go command stops with 'current directory is contained in a module that is not one of the workspace modules listed in go.work'. A go.work left in a parent folder (a home directory, a monorepo root) silently applies to every module below it.")
    {
        HelpMarkdown = "`go env GOWORK` names the go.work in effect; `GOWORK=off go build ./...` builds without it.",
        Tags = ["workspace", "go.work"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var work = snapshot.Workspace.GoWork;
        var goWork = snapshot.GoEnv("GOWORK");
        var root = snapshot.Workspace.Root;
        if (work is null || string.IsNullOrEmpty(goWork) || goWork == "off" || snapshot.Workspace.GoMod is null || root.Length == 0)
        {
            yield break;
        }

        var workDir = Path.GetDirectoryName(goWork) ?? "/";
        var uses = work.Uses.Select(u => Normalize(Path.IsPathRooted(u.Path) ? u.Path : Path.Combine(workDir, u.Path))).ToList();
        if (uses.Contains(Normalize(root)))
        {
            yield break;
        }

        var relative = Path.GetRelativePath(workDir, root).Replace('\\', '/');
        yield return Descriptor.Finding(
            $"{goWork} is in effect but does not use this module ({root}): every go command here stops with 'current directory is contained in a module that is not one of the workspace modules listed in go.work'.",
            "go.work") with
        {
            Location = new Location(work.File, work.Uses.FirstOrDefault()?.Line ?? 1),
            Evidence =
            [
                new Evidence("GOWORK", goWork),
                new Evidence("module", $"{snapshot.Workspace.GoMod.Module} at {root}"),
                new Evidence("use", work.Uses.Count == 0 ? "(none)" : string.Join(", ", work.Uses.Select(u => u.Path))),
            ],
            Fixes =
            [
                Fix.Run("Build this module without the workspace, for one command", "GOWORK=off go build ./...",
                    "None; other workspace modules are then taken from the module cache at their required versions, not from their folders."),
                Fix.Run("Add this module to the workspace", $"go work use {Fix.ShellQuote(relative == "." ? "." : relative)}",
                    $"Edits {goWork}, which affects everyone who builds inside it; commit it only if the module belongs in the workspace.") with
                {
                    Applicability = FixApplicability.Automatic,
                    // Run in the module's folder, `go work use .` adds exactly this module, whatever the text's relative path.
                    Steps = [["go", "work", "use", "."]],
                    Rewrites = [goWork],
                },
                .. SettingFixes.Set(snapshot, "GOWORK", "off", "Turn workspace mode off for all commands",
                    "Workspaces stop working everywhere this setting applies until it is removed again."),
            ],
        };
    }

    private static string Normalize(string path) => Path.GetFullPath(path).TrimEnd('/', '\\');
}
