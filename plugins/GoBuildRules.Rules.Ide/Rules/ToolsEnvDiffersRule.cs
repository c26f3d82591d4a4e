using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class ToolsEnvDiffersRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE001",
        "VS Code runs Go tools with environment settings unlike the terminal's",
        "ide",
        Severity.Warning,
        "go.toolsEnvVars or gopls build.env sets a variable (GOPROXY, GOFLAGS, CGO_ENABLED, GOOS, GOARCH, GOPRIVATE…) to a value the terminal's `go env` does not have.",
        "VS Code's Go extension runs go, gopls, tests and the debugger with go.toolsEnvVars added to its environment, and gopls applies build.env on top. A GOPROXY, GOFLAGS (-mod=…, -tags=…), CGO_ENABLED, GOOS/GOARCH or GOPRIVATE there that differs from the terminal makes the IDE resolve, download and type-check differently: 'works in the terminal, red in the editor' (or the reverse), tests that pass in one and fail in the other, module downloads that hang only in the IDE.")
    {
        HelpMarkdown = "Compare `go env NAME` in a terminal with the value in the settings file at the line named.",
        Tags = ["ide", "vscode", "environment"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var (file, setting, value) in Settings.All(f))
        {
            var (where, name) = setting switch
            {
                ["go.toolsEnvVars", var n] => ("go.toolsEnvVars", n),
                ["gopls", "build.env", var n] => ("gopls build.env", n),
                _ => ("", ""),
            };
            if (where.Length == 0 || value.Kind != "string" || value.Text is not { } ide || Secrets.IsSecretName(name) || ide.Contains("${", StringComparison.Ordinal))
            {
                continue;
            }

            var terminal = Support.Terminal(snapshot, f, name);
            if (Support.Same(name, ide, terminal))
            {
                continue;
            }

            var shown = string.IsNullOrEmpty(terminal) ? "unset/empty" : terminal;
            yield return Descriptor.Finding(
                $"{file.File}:{value.Line}: {where} sets {name}={ide} for VS Code's Go tools, but the terminal's go uses {name}={shown}: the IDE builds, tests and resolves modules differently from the command line.",
                $"{where}:{name}") with
            {
                Location = new Location(file.File, value.Line),
                Evidence =
                [
                    new Evidence("setting", $"{where}.{name}"),
                    new Evidence("IDE value", ide),
                    new Evidence("terminal value (go env)", shown),
                ],
                Fixes =
                [
                    Fix.EditFile(file.File, $"remove \"{name}\" from {where} (line {value.Line}), or set it to \"{terminal ?? ""}\"", $"Make VS Code use the terminal's {name}",
                        "The IDE then behaves like the terminal; if the setting was a deliberate workaround (a proxy only the IDE needs), that workaround goes too."),
                    .. SettingFixes.Set(snapshot, name, ide, $"Or make the terminal use the IDE's {name}",
                        "Changes every go command that sees this setting, CI scripts on this machine included."),
                ],
            };
        }
    }
}
