using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class ModulesOffRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO009",
        "GO111MODULE=off in a module: go ignores go.mod",
        "environment",
        Severity.Error,
        "With GO111MODULE=off go builds in GOPATH mode, ignores go.mod and looks for every import under GOPATH/src, where required modules are not.",
        "GO111MODULE=off is a leftover of the GOPATH era (before Go 1.13 made modules the default). In a module it makes go ignore go.mod and go.sum: imports of required modules fail with `cannot find package … in any of …`, and `go mod` commands refuse to run.")
    {
        HelpMarkdown = "Unset GO111MODULE (modules are the default since Go 1.16), or set it to `on`.",
        Tags = ["environment", "modules", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var errors = snapshot.GoOracle.Errors.Where(e => GoErrors.IsGopathMode(e, snapshot)).ToList();
        if (errors.Count == 0 || snapshot.Workspace.GoMod is null)
        {
            yield break;
        }

        var fromEnvironment = SettingFixes.Source(snapshot, "GO111MODULE") == SettingSource.Environment;
        var first = errors.FirstOrDefault(e => e.Message.Contains("cannot find package", StringComparison.Ordinal)) ?? errors[0];
        yield return Descriptor.Finding(
            $"{first.Message}: GO111MODULE=off makes go ignore go.mod, so the modules it requires are never found.",
            "GO111MODULE") with
        {
            Location = Anchors.Module(snapshot),
            Evidence = [.. GoErrors.Outcome(snapshot, first), new Evidence("GO111MODULE", "off" + (fromEnvironment ? " (environment)" : " (GOENV file)")),
                new Evidence("errors", errors.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Fixes = SettingFixes.Unset(snapshot, "GO111MODULE", "Remove GO111MODULE=off; modules are the default",
                "Code that really lives in GOPATH without a go.mod stops building that way."),
        };
    }
}
