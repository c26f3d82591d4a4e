using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Rules;

public sealed class CrossCompilerMismatchRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBCGO003",
        "Cross-compiling with cgo on, but CC builds for another target",
        "cgo",
        Severity.Error,
        "GOOS/GOARCH differ from the host and cgo is on, but the C compiler in CC targets a different platform.",
        "With cgo on, cmd/go compiles the C parts with `go env CC`. When cross-compiling, that must be a compiler for the target (e.g. aarch64-linux-gnu-gcc for linux/arm64); the host's gcc produces host objects and the build fails with unknown-option, assembler or linker errors ('incompatible target', 'file in wrong format'). CC_FOR_TARGET and CC_FOR_${GOOS}_${GOARCH} do not help here: they are read only by make.bash, when Go itself is built, to bake in the default CC of that toolchain; `go build` ignores them.")
    {
        HelpMarkdown = "Confirm with `$(go env CC) -dumpmachine` and compare with `go env GOOS GOARCH`. Set CC (and CXX) to a cross compiler for the target, use `zig cc -target …`, or build with CGO_ENABLED=0 if nothing needs cgo.",
        Tags = ["cgo", "cross-compile", "compiler"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (CgoView.Of(snapshot) is not { CgoOn: true } view || !view.Facts.Target.IsCrossCompiling)
        {
            yield break;
        }

        var facts = view.Facts;
        var cc = facts.Cc;
        var (goos, goarch) = (facts.Target.Goos, facts.Target.Goarch);
        var fromArguments = Triples.TargetFromArguments(cc.Arguments);
        var triple = fromArguments ?? cc.DumpMachine;
        if (cc.Status != CompilerStatus.Found || triple is null || Triples.Matches(triple, goos, goarch) != false)
        {
            yield break;
        }

        var evidence = view.BaseEvidence();
        evidence.Add(new Evidence("CC target", fromArguments is not null ? $"{triple} (from the -target argument)" : $"{triple} (from `{cc.Program} -dumpmachine`)"));
        view.AddUsageEvidence(evidence);
        var crossVars = facts.CrossCompilerVariables.Where(kv => kv.Key.StartsWith("CC_FOR_", StringComparison.Ordinal)).ToList();
        foreach (var (name, value) in crossVars)
        {
            evidence.Add(new Evidence(name, value));
        }

        var note = crossVars.Count > 0
            ? $" {string.Join(" and ", crossVars.Select(kv => kv.Key))} {(crossVars.Count == 1 ? "is" : "are")} set, but only make.bash reads {(crossVars.Count == 1 ? "it" : "them")} when Go itself is built; `go build` uses CC."
            : "";

        var fixes = new List<Fix>();
        if (Triples.SuggestedTriple(goos, goarch) is { } suggested)
        {
            var install = Triples.DebianPackage(goos, goarch);
            fixes.Add(Fix.Run($"Use a C cross compiler for {goos}/{goarch}",
                $"CC={suggested}-gcc CXX={suggested}-g++ CGO_ENABLED=1 GOOS={goos} GOARCH={goarch} go build -o /dev/null ./...",
                $"Needs the cross compiler and the target's C libraries installed{(install is null ? "" : $" ({install})")}; binaries link against that sysroot's libc."));
        }

        if (Triples.ZigTarget(goos, goarch) is { } zig)
        {
            fixes.Add(Fix.Run("Or use zig as a cross C compiler",
                $"CC=\"zig cc -target {zig}\" CXX=\"zig c++ -target {zig}\" CGO_ENABLED=1 GOOS={goos} GOARCH={goarch} go build -o /dev/null ./...",
                "Needs zig installed; it bundles libc headers for common targets but not platform SDKs (e.g. macOS frameworks), and some cgo flags behave differently under clang."));
        }

        fixes.Add(Fix.Run("Cross-compile without cgo", $"CGO_ENABLED=0 GOOS={goos} GOARCH={goarch} go build -o /dev/null ./...",
            view.UsesCgo ? CgoView.NoCgoRiskUsing : CgoView.NoCgoRiskStd));

        var message = $"Cross-compiling for {goos}/{goarch} with cgo on (CGO_ENABLED=1), but CC={cc.Configured} builds for {triple}: the C code would be compiled for the wrong platform and the build fails with compiler, assembler or linker errors.{note}";
        yield return Descriptor.Finding(message, "CC") with
        {
            Severity = view.UsesCgo ? Severity.Error : Severity.Warning,
            Location = view.PrimaryLocation(),
            Evidence = evidence,
            Fixes = fixes,
        };
    }
}
