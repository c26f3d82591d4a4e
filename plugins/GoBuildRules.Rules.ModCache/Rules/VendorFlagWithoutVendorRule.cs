using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class VendorFlagWithoutVendorRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD009",
        "GOFLAGS=-mod=vendor but there is no vendor/modules.txt",
        "vendoring",
        Severity.Error,
        "GOFLAGS asks for vendor mode in a module that has no vendor/modules.txt.",
        "With -mod=vendor the go command loads every dependency from vendor/ and never looks at the module cache or the network. Without vendor/modules.txt it stops with 'inconsistent vendoring' (listing every requirement as not marked explicit) or 'cannot find module providing package … import lookup disabled by -mod=vendor'. The flag usually comes from a `go env -w GOFLAGS=-mod=vendor` set for another project, or from CI settings copied from a vendored repository.")
    {
        HelpMarkdown = "`go env GOFLAGS` and `cat \"$(go env GOENV)\"` show where the flag comes from; `ls vendor/modules.txt` whether the module is vendored.",
        Tags = ["vendor", "goflags"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var mod = snapshot.Workspace.GoMod;
        if (mod is null || Facts.ModFlag(snapshot) != "vendor" || snapshot.Workspace.Vendor is not null || BuildMode.Workspace(snapshot))
        {
            yield break;
        }

        var source = Facts.GoFlagsSource(snapshot);
        var fixes = new List<Fix>(SettingFixes.SetGoFlag(snapshot, "mod", null, "Drop -mod=vendor from GOFLAGS",
            "Other projects that relied on -mod=vendor from it must set it themselves.", remove: true, goEnv: FixApplicability.Automatic));

        fixes.Add(Fix.Run("Or vendor the module so the flag has something to read", "go mod vendor",
            "Adds a vendor/ tree to the repository that must be refreshed with every go.mod change."));
        yield return Descriptor.Finding(
            $"GOFLAGS contains -mod=vendor (from {source}) but {mod.Module ?? "this module"} has no vendor/modules.txt: builds stop with 'inconsistent vendoring' or 'import lookup disabled by -mod=vendor'.",
            "GOFLAGS -mod=vendor") with
        {
            Location = Facts.ModuleLine(snapshot),
            Evidence =
            [
                new Evidence("GOFLAGS", Facts.GoFlags(snapshot)),
                new Evidence("set in", source),
                new Evidence("vendor/", BuildMode.VendorDirectory(snapshot) ? "exists, without modules.txt" : "missing"),
            ],
            Fixes = fixes,
        };
    }
}
