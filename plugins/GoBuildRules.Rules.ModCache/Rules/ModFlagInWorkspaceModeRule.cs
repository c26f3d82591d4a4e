using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class ModFlagInWorkspaceModeRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD015",
        "GOFLAGS sets -mod while a go.work is in effect",
        "workspace",
        Severity.Error,
        "GOFLAGS contains -mod=mod (or -mod=vendor before Go 1.22) and the go command is in workspace mode, which refuses it.",
        "In workspace mode the go command accepts only -mod=readonly (and, from Go 1.22, -mod=vendor for a vendored workspace). A GOFLAGS=-mod=mod set with `go env -w` or in CI for module-mode builds therefore makes every command inside a workspace stop with '-mod may only be set to readonly when in workspace mode'. The flag and the go.work usually come from different places, so neither looks wrong on its own.")
    {
        HelpMarkdown = "`go env GOFLAGS GOWORK` shows both; `GOWORK=off go build ./...` or `GOFLAGS= go build ./...` confirms which one to drop.",
        Tags = ["workspace", "goflags"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var flag = Facts.ModFlag(snapshot);
        if (!BuildMode.Workspace(snapshot) || flag is null or "readonly")
        {
            yield break;
        }

        var goVersion = GoVersion.TryParse(snapshot.Go.Version, out var v) ? v : null;
        if (flag == "vendor" && goVersion is { } version && version.AtLeast(1, 22))
        {
            yield break;
        }

        var source = Facts.GoFlagsSource(snapshot);
        var goWork = snapshot.GoEnv("GOWORK")!;
        List<Fix> fixes =
        [
            .. SettingFixes.SetGoFlag(snapshot, "mod", null, $"Drop -mod={flag} from GOFLAGS",
                $"Module-mode projects that relied on -mod={flag} must pass it themselves.", remove: true, goEnv: FixApplicability.Automatic),
            Fix.Run("Build without the workspace for one command", "GOWORK=off go build ./...",
                "None; other workspace modules then come from the module cache, not from their folders."),
        ];

        yield return Descriptor.Finding(
            $"GOFLAGS sets -mod={flag} (from {source}) but {goWork} puts the go command in workspace mode: every command here stops with '-mod may only be set to readonly when in workspace mode'.",
            $"GOFLAGS -mod={flag} in workspace mode") with
        {
            Location = snapshot.Workspace.GoWork is { } work ? new Location(work.File, 1) : Facts.ModuleLine(snapshot),
            Evidence =
            [
                new Evidence("GOFLAGS", Facts.GoFlags(snapshot)),
                new Evidence("set in", source),
                new Evidence("GOWORK", goWork),
                new Evidence("go", snapshot.Go.Version ?? "unknown"),
            ],
            Fixes = fixes,
        };
    }
}
