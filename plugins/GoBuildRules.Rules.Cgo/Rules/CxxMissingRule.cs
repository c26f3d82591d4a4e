using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Rules;

public sealed class CxxMissingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBCGO004",
        "C++ sources in a cgo package, but the C++ compiler (CXX) is missing",
        "cgo",
        Severity.Error,
        "A package that imports \"C\" has .cc/.cpp/.cxx/.mm files and `go env CXX` cannot be run.",
        "cmd/go compiles the C++ (and Objective-C++) files of a cgo package with the compiler named by `go env CXX` (g++, or clang++ on macOS and the BSDs) and links with it. A system with only a C compiler (gcc without g++) builds pure C cgo packages but fails on these with 'exec: \"g++\": executable file not found in $PATH'.")
    {
        HelpMarkdown = "Confirm with `go env CXX` and `command -v \"$(go env CXX)\"`. Install the C++ compiler or point CXX at one.",
        Tags = ["cgo", "c++", "compiler"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (CgoView.Of(snapshot) is not { CgoOn: true } view || view.Facts.Cxx.IsUsable)
        {
            yield break;
        }

        var cgoDirs = view.NeedingFiles.GroupBy(f => Folder(f.Path)).ToDictionary(g => g.Key, g => g.ToList());
        var cxxSources = snapshot.Repository.Go.NativeSources
            .Where(s => s.Kind is FileKinds.Cxx or FileKinds.ObjCxx)
            .Where(s => cgoDirs.ContainsKey(Folder(s.Path)) && BuildConstraints.MatchFileName(System.IO.Path.GetFileName(s.Path), view.Target))
            .ToList();
        if (cxxSources.Count == 0)
        {
            yield break;
        }

        var cxx = view.Facts.Cxx;
        var packages = cxxSources.Select(s => Folder(s.Path)).Distinct().ToList();
        var goFiles = packages.SelectMany(p => cgoDirs[p]).ToList();
        var evidence = view.BaseEvidence(includeCxx: true);
        evidence.Add(new Evidence("C++ sources", string.Join(", ", cxxSources.Take(5).Select(s => s.Path + (s.Vendor ? " (vendor)" : ""))) + (cxxSources.Count > 5 ? $" and {cxxSources.Count - 5} more" : "")));
        view.AddUsageEvidence(evidence, goFiles);

        var fixes = new List<Fix>();
        if (view.InstalledAlternative(cxx: true, except: cxx.ResolvedPath) is { } alternative && view.PointAt(cxx, alternative) is { Count: > 0 } point)
        {
            fixes.AddRange(point);
        }
        else
        {
            fixes.Add(view.InstallCompiler(cxx: true));
        }

        fixes.Add(Fix.Run("Build without cgo, once, to see whether the module can do without it", "CGO_ENABLED=0 go build -o /dev/null ./...", CgoView.NoCgoRiskUsing));

        var problem = cxx.Status switch
        {
            CompilerStatus.NotExecutable => $"{cxx.ResolvedPath} is not executable",
            CompilerStatus.Found => $"{cxx.ResolvedPath} fails to run ({cxx.ProbeError})",
            CompilerStatus.NotConfigured => "is empty",
            _ => cxx.Program is { } p && p.Contains('/') ? $"{p} does not exist" : $"\"{cxx.Program}\" is not on PATH",
        };
        yield return Descriptor.Finding(
            $"{cxxSources.Count} C++ source file(s) in {packages.Count} cgo package(s) ({string.Join(", ", packages.Select(p => p.Length == 0 ? "." : p))}) need the C++ compiler, but CXX {problem}: `go build` fails {(cxx.Status == CompilerStatus.Found ? $"with the errors {cxx.Program} prints" : $"with 'exec: \"{cxx.Program ?? cxx.Configured}\": executable file not found'")}.",
            "CXX") with
        {
            Location = view.PrimaryLocation(goFiles),
            Evidence = evidence,
            Fixes = fixes,
        };
    }

    private static string Folder(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }
}
