using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Rules;

public sealed class CompilerMissingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBCGO001",
        "cgo is enabled but the C compiler (CC) is missing or not executable",
        "cgo",
        Severity.Error,
        "CGO_ENABLED is 1 while the compiler in CC cannot be run, so cgo builds fail.",
        "With CGO_ENABLED=1 (set explicitly, or Go's default on a native build) cmd/go runs the compiler named by `go env CC` for every package that imports \"C\". When that program is not on PATH, does not exist or is not executable, the build stops with 'cgo: C compiler \"…\" not found'. This hits the module's own cgo files and also standard packages such as net and os/user, which are built with cgo when it is enabled.")
    {
        HelpMarkdown = "Confirm with `go env CC CGO_ENABLED` and `command -v \"$(go env CC)\"`. Install a C compiler or point CC at one; only set CGO_ENABLED=0 when no package needs cgo.",
        Tags = ["cgo", "compiler"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (CgoView.Of(snapshot) is not { CgoOn: true } view || view.Facts.Cc.IsUsable)
        {
            yield break;
        }

        var cc = view.Facts.Cc;
        var problem = cc.Status switch
        {
            CompilerStatus.NotExecutable => $"{cc.ResolvedPath} is not executable",
            CompilerStatus.Found => $"{cc.ResolvedPath} fails to run ({cc.ProbeError})",
            CompilerStatus.NotConfigured => "is empty",
            _ => cc.Program is { } p && p.Contains('/') ? $"{p} does not exist" : $"\"{cc.Program}\" is not on PATH",
        };
        var how = view.CgoEnabled.IsExplicit ? "set explicitly " + view.ExplicitWhere() : "Go's default for a native build";
        var symptom = cc.Status == CompilerStatus.Found
            ? $"the errors {cc.Program} prints"
            : $"'cgo: C compiler \"{cc.Program ?? cc.Configured}\" not found'";

        var evidence = view.BaseEvidence();
        view.AddUsageEvidence(evidence);
        if (snapshot.Env("PATH") is { } path) evidence.Add(new Evidence("PATH", path));

        // Point CC at a compiler that is already installed; install one only when there is none.
        var fixes = new List<Fix>();
        if (view.InstalledAlternative(cxx: false, except: cc.ResolvedPath) is { } alternative && view.PointAt(cc, alternative) is { Count: > 0 } point)
        {
            fixes.AddRange(point);
        }
        else
        {
            fixes.Add(view.InstallCompiler(cxx: false));
        }

        if (view.UsesCgo)
        {
            fixes.Add(Fix.Run("Build without cgo, once, to see whether the module can do without it", "CGO_ENABLED=0 go build -o /dev/null ./...", CgoView.NoCgoRiskUsing));
            var finding = Descriptor.Finding(
                $"cgo is on (CGO_ENABLED=1, {how}) but CC {problem}: `go build` fails with {symptom} for the {view.NeedingFiles.Count} file(s) importing \"C\": {CgoView.FileList(view.NeedingFiles)}.",
                "CC") with
            {
                Location = view.PrimaryLocation(),
                Evidence = evidence,
                Fixes = fixes,
            };
            yield return finding;
            yield break;
        }

        fixes.AddRange(SettingFixes.Set(snapshot, "CGO_ENABLED", "0", "Turn cgo off", CgoView.NoCgoRiskStd + " Applies to every module built with this setting, including ones that need cgo.", FixApplicability.OnlyWhenNamed));
        fixes.Add(Fix.Run("Build without cgo, once", "CGO_ENABLED=0 go build -o /dev/null ./...", CgoView.NoCgoRiskStd));
        yield return Descriptor.Finding(
            $"cgo is on (CGO_ENABLED=1, {how}) but CC {problem}. No file of this module imports \"C\", but standard packages such as net and os/user are built with cgo when CGO_ENABLED=1, so building anything that imports them fails with {symptom}.",
            "CC") with
        {
            Severity = Severity.Warning,
            Location = CgoView.GoModLocation(snapshot),
            Evidence = evidence,
            Fixes = fixes,
        };
    }
}
