using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Rules;

public sealed class VendorIgnoredButCiUsesItRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBVND006",
        "vendor/ is in .gitignore but CI builds with -mod=vendor",
        "vendor",
        Severity.Error,
        "CI builds with -mod=vendor, but .gitignore keeps vendor/ out of the repository and CI never runs `go mod vendor`.",
        "With -mod=vendor (as a flag or in GOFLAGS) the go command reads dependencies only from vendor/. A vendor/ that .gitignore excludes is never committed, so CI's checkout has none: builds fail with 'cannot find module providing package' or 'inconsistent vendoring', while they pass on the developer's machine where vendor/ exists locally.")
    {
        HelpMarkdown = "Confirm with `git check-ignore -v vendor/modules.txt` and look for -mod=vendor in the CI file named.",
        Tags = ["vendor", "ci"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f?.VendorIgnored is not { } ignored || f.CiModVendor.Count == 0 || f.CiGoModVendor.Count > 0)
        {
            yield break;
        }

        var ci = f.CiModVendor[0];
        yield return Descriptor.Finding(
            $".gitignore:{ignored.Line} ignores vendor/ ({ignored.Text}) but {ci.File}:{ci.Line} builds with -mod=vendor: CI's checkout has no vendor/ and the build fails.",
            "vendor/.gitignore") with
        {
            Location = new Location(".gitignore", ignored.Line),
            Evidence =
            [
                new Evidence(".gitignore", $"line {ignored.Line}: {ignored.Text}"),
                .. f.CiModVendor.Take(3).Select(l => new Evidence($"{l.File}:{l.Line}", l.Text)),
                new Evidence("vendor/ present locally", snapshot.Repository.Vendor is not null || snapshot.Workspace.Vendor is not null ? "yes" : "no"),
            ],
            Fixes =
            [
                Fix.EditFile(ci.File, "- run: go mod vendor   # before the build step", "Recreate vendor/ in CI before building",
                    "CI then downloads modules (needs GOPROXY access) and loses vendoring's offline, reviewed-dependencies guarantee."),
                Fix.Run("Commit vendor/: drop the .gitignore line, then vendor and add it", "go mod vendor && git add vendor",
                    "The repository grows by the size of vendor/, and every dependency bump becomes a large diff."),
                Fix.EditFile(ci.File, "remove -mod=vendor from the build flags and GOFLAGS", "Or build in CI from the module cache",
                    "CI then fetches modules through GOPROXY like any module build; vendor/ stays a local-only convenience."),
            ],
        };
    }
}
