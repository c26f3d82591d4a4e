using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class GoEnvUnresponsiveRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO002",
        "`go env` hangs or fails",
        "toolchain",
        Severity.Error,
        "The go command did not answer `go env -json` in time, or failed.",
        "`go env` reads only local configuration, so it normally returns in milliseconds. When it does not, the go command is stuck before any build starts: most often GOTOOLCHAIN asks it to download a newer toolchain (go.mod's go or toolchain line is newer than the local Go) through a proxy that does not answer, or the GOENV file or go.work is broken. Every later `go build` will stall or fail the same way.")
    {
        HelpMarkdown = "Run `GOTOOLCHAIN=local go env` to see whether a toolchain switch is the cause; compare `go version` with the go and toolchain lines of go.mod.",
        Tags = ["toolchain", "hang"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var go = snapshot.Go;
        // Too little time is not a hang: the report lists it as not checked (a collection issue).
        if (go.Status is not (ToolStatus.TimedOut or ToolStatus.Failed) || go.CutShort)
        {
            yield break;
        }

        // The oracle's rules report the same failure with go's whole message and its specific fix.
        if (go.Status == ToolStatus.Failed && go.Error is { Length: > 0 } error
            && snapshot.GoOracle.Errors.Any(e => e.Message.StartsWith(error, StringComparison.Ordinal)))
        {
            yield break;
        }

        var mod = snapshot.Workspace.GoMod;
        var evidence = new List<Evidence> { new("go", go.Path ?? "go"), new("error", go.Error ?? "") };
        if (go.VersionOutput is not null) evidence.Add(new Evidence("go version", go.VersionOutput));
        if (mod?.Go is not null) evidence.Add(new Evidence("go.mod go", mod.Go));
        if (mod?.Toolchain is not null) evidence.Add(new Evidence("go.mod toolchain", mod.Toolchain));
        if (snapshot.Env("GOTOOLCHAIN") is { } toolchain) evidence.Add(new Evidence("GOTOOLCHAIN", toolchain));
        if (snapshot.Env("GOPROXY") is { } proxy) evidence.Add(new Evidence("GOPROXY", proxy));

        yield return Descriptor.Finding(
            go.Status == ToolStatus.TimedOut
                ? "`go env -json` did not return before the scan's deadline: the go command hangs before any build starts, so `go build` will hang too."
                : $"`go env -json` failed: {go.Error}",
            "go env") with
        {
            Location = mod is null ? null : new Location(mod.File, mod.ToolchainLine > 0 ? mod.ToolchainLine : mod.GoLine > 0 ? mod.GoLine : null),
            Evidence = evidence,
            Fixes =
            [
                Fix.Run("Check whether a toolchain download is what hangs", "GOTOOLCHAIN=local go env GOVERSION GOTOOLCHAIN GOPROXY",
                    "None; it only reads configuration."),
                .. SettingFixes.Set(snapshot, "GOTOOLCHAIN", "local", "Stop the go command from downloading toolchains",
                    "Builds then use the installed Go even when go.mod asks for a newer one, and fail with 'go.mod requires go >= …' instead of hanging."),
            ],
        };
    }
}
