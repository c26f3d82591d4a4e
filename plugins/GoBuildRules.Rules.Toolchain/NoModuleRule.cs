using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class NoModuleRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO012",
        "No go.mod: the folder is not inside a module",
        "modules",
        Severity.Error,
        "There is no go.mod in the scanned folder or above it and no go.work, and go runs in module mode (GO111MODULE is on, Go's default since 1.16), so `go build ./...` fails: the folder is not part of any module.",
        "In module mode every package belongs to a module whose root holds go.mod. go looks for go.mod in the current folder and its parents (and for a go.work); when there is none, `go build ./...` stops with `pattern ./...: directory prefix . does not contain main module or its selected dependencies`, and `go build .` with `go.mod file not found in current directory or any parent directory`. Code written for GOPATH mode (GO111MODULE=off or auto, inside GOPATH/src) builds without go.mod; since Go 1.16 that mode must be asked for.")
    {
        HelpMarkdown = "Run `go env GOMOD` in the folder: `/dev/null` means module mode without a module. Create one with `go mod init MODULE-PATH`, or run the scan on the module's root.",
        Tags = ["modules", "go.mod", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var error = snapshot.GoOracle.Errors.FirstOrDefault(e => GoErrors.IsNoModule(e, snapshot));
        if (error is null)
        {
            yield break;
        }

        var folder = snapshot.Workspace.Root.Length > 0 ? snapshot.Workspace.Root : "this folder";
        yield return Descriptor.Finding(
            $"go says: {error.Message}. There is no go.mod in {folder} or above it and no go.work, and go is in module mode (GO111MODULE={ModuleSetting(snapshot)}), so `go build ./...` fails here.",
            "go.mod") with
        {
            Location = error.Location,
            Evidence = [.. GoErrors.Outcome(snapshot, error), new Evidence("GOMOD", snapshot.GoEnv("GOMOD") is { Length: > 0 } gomod ? gomod : "(none)")],
            Fixes =
            [
                Fix.Run("Make the folder a module (use the path it will be imported or published as)", "go mod init example.com/CHANGE-ME && go mod tidy",
                    "Writes go.mod and go.sum in this folder; `go mod tidy` downloads the modules the imports need."),
                Fix.Run("If this is a subfolder of a module kept elsewhere, scan (and build in) the module's root instead", "cd MODULE-ROOT && go build ./...",
                    "None."),
            ],
        };
    }

    private static string ModuleSetting(Snapshot s)
    {
        var value = s.Env("GO111MODULE") ?? s.GoEnv("GO111MODULE");
        return string.IsNullOrEmpty(value) ? "unset, so on" : value;
    }
}
