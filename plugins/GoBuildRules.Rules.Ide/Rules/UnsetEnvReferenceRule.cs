using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class UnsetEnvReferenceRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE002",
        "A VS Code setting uses ${env:…} of a variable that is not set",
        "ide",
        Severity.Warning,
        "A setting or launch configuration refers to ${env:NAME}, and NAME is not set: VS Code substitutes an empty string.",
        "VS Code replaces ${env:NAME} with the value of NAME in its own environment and with nothing when NAME is unset, without a warning. A GOPATH, GOFLAGS, GOPRIVATE, a program argument or a substitutePath built from an unset variable becomes empty or a wrong relative path: tools then use defaults, fail to find files, or debug the wrong binary. VS Code started from a desktop launcher often lacks variables exported only in the shell's rc file.")
    {
        HelpMarkdown = "Run `printenv NAME` in the shell VS Code starts from; on Linux and macOS a VS Code started from the dock does not read ~/.bashrc.",
        Tags = ["ide", "vscode", "environment"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var r in f.EnvReferences.Where(r => !r.Set).DistinctBy(r => (r.Name, r.File, r.Line)))
        {
            yield return Descriptor.Finding(
                $"{r.File}:{r.Line}: {r.Setting} uses ${{env:{r.Name}}}, but {r.Name} is not set: VS Code will substitute an empty string.",
                $"{r.File}:{r.Setting}:{r.Name}") with
            {
                Location = new Location(r.File, r.Line),
                Evidence = [new Evidence("setting", r.Setting), new Evidence("variable", r.Name), new Evidence("set for this scan", "no")],
                Fixes =
                [
                    Fix.Run($"Set {r.Name} where VS Code inherits it (e.g. ~/.profile), then restart VS Code",
                        $"echo 'export {r.Name}=<value>' >> ~/.profile", "Every program of your session then sees the variable."),
                    Fix.EditFile(r.File, $"replace ${{env:{r.Name}}} at line {r.Line} with the literal value", "Or write the value into the setting",
                        "The value is then committed with the workspace settings: never do this for secrets."),
                ],
            };
        }
    }
}
