using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class DelveSettingsRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE007",
        "Delve settings point at missing paths or hide problems",
        "ide",
        Severity.Warning,
        "A launch configuration or go.delveConfig has a substitutePath to a missing folder, a dlv that does not exist, --check-go-version=false, or the legacy debug adapter.",
        "substitutePath maps the paths compiled into a binary to local source folders; a 'from' that does not exist leaves breakpoints unverified ('could not find file') when debugging remote or container builds. go.alternateTools.dlv / dlvToolPath pointing at a missing dlv stops debugging from starting. dlvFlags --check-go-version=false lets a Delve older than the Go toolchain attach anyway, where it shows wrong variables or crashes. debugAdapter \"legacy\" is the deprecated adapter, kept only for old remote setups.")
    {
        HelpMarkdown = "Open the launch configuration at the line named; check the folder exists and `dlv version` against `go version`.",
        Tags = ["ide", "vscode", "debug", "delve"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var p in f.Paths.Where(p => p.Setting == "substitutePath.from" && !p.Exists))
        {
            yield return Make($"{p.File}:{p.Line}: substitutePath maps from {p.Raw}, which does not exist here ({p.Resolved}): breakpoints in those files stay unverified.",
                $"{p.File}:substitutePath:{p.Raw}", p.File, p.Line, [new Evidence("from", p.Raw), new Evidence("resolved", p.Resolved)],
                Fix.EditFile(p.File, $"\"substitutePath\": [{{ \"from\": \"${{workspaceFolder}}\", \"to\": \"<path in the binary>\" }}]", "Map from the local checkout",
                    "None; only the debugger's path mapping changes."));
        }

        foreach (var p in f.Paths.Where(p => p.Setting is "go.alternateTools.dlv" or "dlvToolPath" && !p.Executable))
        {
            yield return Make($"{p.File}:{p.Line}: {p.Setting} = {p.Raw}, which {(p.Exists ? "is not executable" : "does not exist")}: debugging cannot start.",
                $"{p.File}:{p.Setting}", p.File, p.Line, [new Evidence("setting", p.Setting), new Evidence("resolved", p.Resolved)],
                Fix.Run("Install Delve where the extension finds it (GOBIN or GOPATH/bin), then remove the setting",
                    "go install github.com/go-delve/delve/cmd/dlv@latest", "Downloads and builds Delve through GOPROXY; @latest may need a newer Go than yours."));
        }

        foreach (var (file, setting, value) in Settings.Launch(f).Concat(Settings.All(f)))
        {
            var inDlvFlags = setting.Count >= 2 && setting[^2] == "dlvFlags";
            if (inDlvFlags && value.Text is { } flag && flag.Replace(" ", "=", StringComparison.Ordinal) is "--check-go-version=false" or "-check-go-version=false")
            {
                yield return Make($"{file.File}:{value.Line}: dlvFlags has --check-go-version=false: a Delve too old for this Go attaches anyway and shows wrong values or crashes.",
                    $"{file.File}:{value.Line}:check-go-version", file.File, value.Line, [new Evidence("dlvFlags", flag), new Evidence("go version", snapshot.Go.Version ?? "?")],
                    Fix.Run("Update Delve and drop the flag", "go install github.com/go-delve/delve/cmd/dlv@latest",
                        "Downloads and builds Delve through GOPROXY; @latest may need a newer Go than yours.")) with { Severity = Severity.Note };
            }

            if (setting.Count >= 1 && setting[^1] == "debugAdapter" && value.Text == "legacy")
            {
                yield return Make($"{file.File}:{value.Line}: debugAdapter is \"legacy\", the deprecated adapter: newer Delve features and fixes are only in dlv-dap.",
                    $"{file.File}:{value.Line}:debugAdapter", file.File, value.Line, [new Evidence("debugAdapter", "legacy")],
                    Fix.EditFile(file.File, "\"debugAdapter\": \"dlv-dap\"", "Use the dlv-dap adapter",
                        "Remote attach setups that need the legacy adapter's behaviour have to be re-tested.")) with { Severity = Severity.Note };
            }
        }
    }

    private Finding Make(string message, string subject, string file, int line, IReadOnlyList<Evidence> evidence, Fix fix) =>
        Descriptor.Finding(message, subject) with { Location = new Location(file, line), Evidence = evidence, Fixes = [fix] };
}
