using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class VendorModeRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD011",
        "Vendor mode is on implicitly, or vendor/ is ignored",
        "vendoring",
        Severity.Note,
        "Builds use vendor/ without any -mod flag (go ≥ 1.14 and a vendor folder), or GOFLAGS=-mod=mod/readonly makes them ignore an existing vendor/.",
        "Which copy of the dependencies a build compiles depends on -mod: vendor/ (vendor mode, no downloads), or the module cache (mod and readonly, downloads as needed). Since Go 1.14 vendor mode is the default when vendor/ exists and go.mod says go 1.14 or later, so a stale vendor/ silently wins over go.mod, and a GOFLAGS=-mod=mod set for another project silently bypasses vendor/ and downloads instead, which hangs without network. Knowing which one is in effect explains 'my go.mod change has no effect' and 'it downloads although we vendor'.")
    {
        HelpMarkdown = "`go env GOFLAGS`, `grep '^go ' go.mod` and `ls vendor/modules.txt`; `go list -m -f '{{.Dir}}' all` shows where modules are read from.",
        Tags = ["vendor", "goflags"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var mod = snapshot.Workspace.GoMod;
        if (mod is null || BuildMode.Workspace(snapshot) || snapshot.Workspace.Vendor is null)
        {
            yield break;
        }

        var flag = Facts.ModFlag(snapshot);
        if (flag is "mod" or "readonly")
        {
            yield return Descriptor.Finding(
                $"GOFLAGS sets -mod={flag} (from {Facts.GoFlagsSource(snapshot)}), so builds ignore vendor/ and read modules from the module cache, downloading what is missing.",
                $"GOFLAGS -mod={flag}") with
            {
                Location = new Location(snapshot.Workspace.Vendor.File, 1),
                Evidence = [new Evidence("GOFLAGS", Facts.GoFlags(snapshot)), new Evidence("vendor/modules.txt", $"{snapshot.Workspace.Vendor.Modules.Count} modules")],
                Fixes =
                [
                    .. SettingFixes.SetGoFlag(snapshot, "mod", null, $"Drop -mod={flag} from GOFLAGS, so builds use vendor/",
                        "Projects that relied on it must set -mod themselves.", remove: true),
                    Fix.Run("Build from vendor/ for one command", "go build -mod=vendor ./...", "None; the setting is unchanged for other commands."),
                ],
            };
        }
        else if (flag is null && BuildMode.Vendor(snapshot))
        {
            yield return Descriptor.Finding(
                $"Builds use vendor/ (go {mod.Go} in go.mod and a vendor/ folder, no -mod flag): go.mod changes take effect only after `go mod vendor`, and nothing is downloaded.",
                "vendor mode") with
            {
                Location = new Location(mod.File, mod.GoLine > 0 ? mod.GoLine : null),
                Evidence = [new Evidence("go.mod go", mod.Go ?? ""), new Evidence("vendor/modules.txt", $"{snapshot.Workspace.Vendor.Modules.Count} modules"), new Evidence("GOFLAGS", Facts.GoFlags(snapshot))],
                Fixes =
                [
                    Fix.Run("Refresh vendor/ after changing go.mod", "go mod vendor", "Rewrites vendor/; review the diff."),
                    Fix.Run("Use the module cache for one command", "go build -mod=mod ./...", "Downloads modules (needs network)."),
                ],
            };
        }
    }
}
