using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Rules;

public sealed class CgoSilentlyDisabledRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBCGO002",
        "Go turned cgo off by itself while the code needs it",
        "cgo",
        Severity.Error,
        "CGO_ENABLED is not set, Go chose 0, and files importing \"C\" are then excluded from the build.",
        "When CGO_ENABLED is not set, Go decides: since Go 1.20 it turns cgo off when CC is not set and the default C compiler (gcc, or clang on macOS and the BSDs) is not on PATH, and every version turns it off when cross-compiling (GOOS/GOARCH differ from the host). Files importing \"C\" carry an implicit `cgo` build constraint, so they silently drop out of the build: the error is 'build constraints exclude all Go files in …' or undefined symbols, never a word about the compiler.")
    {
        HelpMarkdown = "Confirm with `go env CGO_ENABLED CC` and `CGO_ENABLED=1 go build ./...`, which then names the real problem.",
        Tags = ["cgo", "compiler", "build-constraints"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (CgoView.Of(snapshot) is not { } view
            || view.CgoEnabled is not { Effective: "0", IsExplicit: false }
            || !view.UsesCgo)
        {
            yield break;
        }

        var facts = view.Facts;
        var cc = facts.Cc;
        var ccSource = view.SourceOf(cc);
        var cross = facts.Target.IsCrossCompiling;
        // Go >= 1.20 looks up its *default* compiler when the CC environment variable is unset, even
        // when CC is set with go env -w: a configured CC does not keep cgo on if gcc/clang is missing.
        var defaultName = Collection.CgoCollector.DefaultCompiler("CC", facts.Target.Goos);
        var defaultMissing = ccSource == SettingSource.Default
            ? cc.Status != CompilerStatus.Found
            : snapshot.Tool(defaultName)?.Status is ToolStatus.NotFound or ToolStatus.NotExecutable;
        var noCompiler = !cross && view.GoMinor is >= 20 && ccSource != SettingSource.Environment && defaultMissing;
        if (!cross && !noCompiler)
        {
            yield break;
        }

        var why = cross
            ? $"Go turns cgo off by default when cross-compiling ({facts.Target.HostGoos}/{facts.Target.HostGoarch} → {facts.Target.Goos}/{facts.Target.Goarch})"
            : ccSource == SettingSource.Default
                ? $"Go {snapshot.Go.Version} turned cgo off because CC is not set and the default C compiler \"{defaultName}\" is not on PATH"
                : $"Go {snapshot.Go.Version} turned cgo off because the default C compiler \"{defaultName}\" is not on PATH (with the CC environment variable unset Go checks its default, not CC={cc.Configured} from the go env file)";
        var evidence = view.BaseEvidence();
        view.AddUsageEvidence(evidence);
        // What removes the cause comes first; the one-off build that makes go name the real problem last.
        var fixes = new List<Fix>();
        if (cross)
        {
            var triple = Triples.SuggestedTriple(facts.Target.Goos, facts.Target.Goarch);
            if (triple is not null)
            {
                fixes.Add(Fix.Run($"Cross-compile with cgo and a C cross compiler for {facts.Target.Goos}/{facts.Target.Goarch}",
                    $"CGO_ENABLED=1 CC={triple}-gcc GOOS={facts.Target.Goos} GOARCH={facts.Target.Goarch} go build -o /dev/null ./...",
                    $"Needs {triple}-gcc installed (Debian: {Triples.DebianPackage(facts.Target.Goos, facts.Target.Goarch) ?? "a cross gcc package"}) and C libraries for the target."));
            }
        }
        else
        {
            var explicitCgo = SettingFixes.Set(snapshot, "CGO_ENABLED", "1",
                ccSource == SettingSource.Default
                    ? "Make cgo explicit, so a missing compiler is an error instead of missing files"
                    : $"Turn cgo on explicitly: Go then builds with CC={cc.Configured} instead of looking for {defaultName}",
                "Builds of modules that do not need cgo then also require a C compiler (net and os/user are built with cgo).");
            if (ccSource == SettingSource.Default)
            {
                fixes.Add(view.InstallCompiler(cxx: false));
                fixes.AddRange(explicitCgo);
            }
            else
            {
                fixes.AddRange(explicitCgo);
                fixes.Add(view.InstallCompiler(cxx: false));
            }
        }

        fixes.Add(Fix.Run("Ask for cgo explicitly once, so the build names the real problem", "CGO_ENABLED=1 go build -o /dev/null ./...",
            "None; the build fails loudly (e.g. 'C compiler \"gcc\" not found') instead of dropping files."));

        yield return Descriptor.Finding(
            $"CGO_ENABLED is not set and {why}. The {view.NeedingFiles.Count} file(s) importing \"C\" ({CgoView.FileList(view.NeedingFiles)}) are then excluded by build constraints: `go build` fails with 'build constraints exclude all Go files in …' or with undefined symbols, not with a compiler error.",
            "CGO_ENABLED") with
        {
            Location = view.PrimaryLocation(),
            Evidence = evidence,
            Fixes = fixes,
        };
    }
}
