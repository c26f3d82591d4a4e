using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class ToolchainCannotSwitchRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET014",
        "The local Go is older than 1.21 and cannot switch to the toolchain go.mod asks for",
        "toolchain",
        Severity.Warning,
        "go.mod asks for Go 1.21 or newer, and the installed Go predates toolchain switching.",
        "Toolchain switching (GOTOOLCHAIN, downloading golang.org/toolchain through GOPROXY) exists from Go 1.21. An older go command ignores GOTOOLCHAIN: it builds with itself and fails on newer language features or library APIs with confusing compile errors, and it rejects a `toolchain` line in go.mod (\"unknown directive: toolchain\"). No network setting fixes this: install Go 1.21 or newer, which will then switch on its own.")
    {
        HelpMarkdown = RuleHelp.For("GBNET014"),
        Tags = ["toolchain"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var need = ToolchainSupport.Newer(snapshot);
        if (need is null || need.Local.AtLeast(1, 21) || !need.Wanted.AtLeast(1, 21)) yield break;
        var mod = snapshot.Workspace.GoMod!;
        // When go itself rejects that line (a three-part go line, a toolchain line before Go 1.21) the
        // build fails: GBGO004 reports go's error; this rule is for the go lines go accepts.
        if (snapshot.GoOracle.Errors.Any(e => e.Location is { } l && l.File == mod.File && (l.Line == mod.GoLine || l.Line == mod.ToolchainLine)))
        {
            yield break;
        }

        yield return Descriptor.Finding(
            $"go.mod asks for {need.Line}, but the local Go {need.Local} cannot switch toolchains (that needs Go 1.21+)" +
            (mod.Toolchain is not null ? " and rejects the toolchain line as an unknown directive." : "; it builds with itself and may fail on newer language features."),
            $"toolchain:go{need.Wanted}") with
        {
            Location = new Location(mod.File, need.LineNumber > 0 ? need.LineNumber : null),
            Evidence = [new Evidence("go.mod", need.Line), new Evidence("local Go", need.Local.ToString()), new Evidence("go", snapshot.Go.Path ?? "go")],
            Fixes =
            [
                Fix.Run("Install Go 1.21 or newer beside this one (it then switches toolchains by itself)",
                    "go install golang.org/dl/go1.21.13@latest && go1.21.13 download",
                    "Downloads through GOPROXY; the new command is go1.21.13 until you put it first on PATH."),
                Fix.EditFile(mod.File, $"Lower the go line to {need.Local.Major}.{need.Local.Minor} and delete the toolchain line, if the code allows it",
                    "Lower the requirement", "Code that uses newer language features or library APIs stops compiling."),
            ],
        };
    }
}
