using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class BuildCacheOffRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO008",
        "GOCACHE=off: go refuses to build without its build cache",
        "environment",
        Severity.Error,
        "Since Go 1.12 the build cache is required; GOCACHE=off makes `go build`, `go list` and `go test` fail.",
        "GOCACHE=off was a way to force clean builds before Go 1.12. Since then the go command keeps compiled packages only in the build cache and refuses to run with `build cache is disabled by GOCACHE=off, but required as of Go 1.12`. Old CI scripts and Dockerfiles still set it.")
    {
        HelpMarkdown = "Unset GOCACHE (or point it at a writable folder). For a clean build use `go build -a` or `go clean -cache`.",
        Tags = ["environment", "gocache", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var error = snapshot.GoOracle.Errors.FirstOrDefault(GoErrors.IsCacheOff);
        if (error is null)
        {
            yield break;
        }

        var fromEnvironment = SettingFixes.Source(snapshot, "GOCACHE") == SettingSource.Environment;
        yield return Descriptor.Finding(
            $"{error.Message}: go will not build anything while GOCACHE=off.",
            "GOCACHE") with
        {
            Location = Anchors.Module(snapshot),
            Evidence = [.. GoErrors.Outcome(snapshot, error), new Evidence("GOCACHE", "off" + (fromEnvironment ? " (environment)" : " (GOENV file)"))],
            Fixes = SettingFixes.Unset(snapshot, "GOCACHE", "Remove GOCACHE=off; go then uses its default cache folder",
                "None; for a clean rebuild use `go build -a` or `go clean -cache` instead."),
        };
    }
}
