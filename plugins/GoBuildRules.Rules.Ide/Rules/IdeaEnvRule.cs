using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class IdeaEnvRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE009",
        "GoLand / IntelliJ Go environment or vendoring differs from the terminal",
        "ide",
        Severity.Warning,
        "The Go modules settings in .idea/ set GOPROXY, GOFLAGS, GOPRIVATE… unlike `go env`, or turn vendoring off while the module is vendored.",
        "GoLand runs go with the environment of Settings → Go → Go Modules (VgoProject in .idea/workspace.xml) and of each run configuration. A GOPROXY, GOFLAGS, GOPRIVATE or GONOSUMDB there unlike the terminal's makes the IDE download from elsewhere or resolve differently ('works in terminal, not in GoLand'); vendoring switched off while vendor/modules.txt exists makes the IDE resolve from the module cache while `go build` uses vendor/.")
    {
        HelpMarkdown = "Settings → Go → Go Modules → Environment shows the values; compare with `go env`.",
        Tags = ["ide", "goland", "environment", "vendor"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var file in f.Idea)
        {
            foreach (var s in file.Settings)
            {
                var name = s.Component == "VgoProject" && s.Name == "proxy" ? "GOPROXY" : s.Name;
                if (!Collection.IdeaReader.IsGoVariable(name) || Secrets.IsSecretName(name) || s.Component == "GOROOT")
                {
                    if (s.Component == "VgoProject" && s.Name == "vendoring-enabled" && s.Value == "false" && snapshot.Workspace.Vendor is not null)
                    {
                        yield return Make(file.File, s, "vendoring",
                            $"{file.File}:{s.Line}: vendoring is off in GoLand, but the module is vendored ({snapshot.Workspace.Vendor.File}): the IDE resolves from the module cache while `go build` uses vendor/.",
                            [new Evidence("vendoring-enabled", "false"), new Evidence("vendor/modules.txt", "present")],
                            Fix.EditFile(file.File, "<vendoring-enabled>true</vendoring-enabled>", "Turn vendoring on (Settings → Go → Go Modules → Enable vendoring support)",
                                "None; the IDE then reads vendor/ like the go command."));
                    }

                    continue;
                }

                var terminal = Support.Terminal(snapshot, f, name);
                if (Support.Same(name, s.Value, terminal))
                {
                    continue;
                }

                var shown = string.IsNullOrEmpty(terminal) ? "unset/empty" : terminal;
                yield return Make(file.File, s, name,
                    $"{file.File}:{s.Line}: GoLand's {s.Component} sets {name}={s.Value}, but the terminal's go uses {name}={shown}: the IDE resolves and builds differently.",
                    [new Evidence("component", s.Component), new Evidence("IDE value", s.Value), new Evidence("terminal value (go env)", shown)],
                    Fix.EditFile(file.File, $"remove the {name} entry (line {s.Line}), or set it to \"{terminal ?? ""}\"", $"Make GoLand use the terminal's {name} (Settings → Go → Go Modules → Environment)",
                        "If the IDE value was a deliberate workaround, it goes too."));
            }
        }
    }

    private Finding Make(string file, IdeaSetting s, string what, string message, IReadOnlyList<Evidence> evidence, Fix fix) =>
        Descriptor.Finding(message, $"{file}:{s.Component}:{what}") with { Location = new Location(file, s.Line), Evidence = evidence, Fixes = [fix] };
}
