using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Analysis;

/// <summary>
/// The questions every Cgo rule asks of a snapshot, answered once: is cgo on, which files need it
/// for the target, where to point a finding, what to show as evidence and which install command fits.
/// </summary>
internal sealed class CgoView
{
    private CgoView(Snapshot snapshot, CgoFacts facts)
    {
        Snapshot = snapshot;
        Facts = facts;
        CgoEnabled = CgoEnabledSetting.Of(snapshot);
        GoMinor = GoVersion.TryParse(snapshot.Go.Version, out var v) && v.Value.Major == 1 ? v.Value.Minor : null;
        Target = new BuildContext(facts.Target.Goos, facts.Target.Goarch, CgoEnabled: true, GoMinor);
        NeedingFiles = facts.Sources.CgoFiles.Where(f => BuildConstraints.MatchFile(f, Target)).ToList();
    }

    public Snapshot Snapshot { get; }

    public CgoFacts Facts { get; }

    public CgoEnabledSetting CgoEnabled { get; }

    public int? GoMinor { get; }

    /// <summary>The target with the cgo tag set: the files that need cgo are those that build when it is on.</summary>
    public BuildContext Target { get; }

    /// <summary>Files importing "C" that the target would build if cgo were on (own and vendored, tests included).</summary>
    public IReadOnlyList<CgoGoFile> NeedingFiles { get; }

    public bool UsesCgo => NeedingFiles.Count > 0;

    public bool CgoOn => CgoEnabled.Effective == "1";

    public static CgoView? Of(Snapshot snapshot) =>
        snapshot.GetExtension<CgoFacts>(CgoPack.PackId) is { } facts ? new CgoView(snapshot, facts) : null;

    /// <summary>The import "C" line of the first own (non-vendor, non-test) file that needs cgo; else go.mod's go line.</summary>
    public Location? PrimaryLocation(IEnumerable<CgoGoFile>? among = null)
    {
        var files = (among ?? NeedingFiles).ToList();
        var first = files.FirstOrDefault(f => !f.Vendor && !f.Test) ?? files.FirstOrDefault(f => !f.Vendor) ?? files.FirstOrDefault();
        return first is not null ? new Location(first.Path, first.ImportLine) : GoModLocation(Snapshot);
    }

    public static Location? GoModLocation(Snapshot s) =>
        s.Workspace.GoMod is { } mod
            ? new Location(mod.File, mod.GoLine > 0 ? mod.GoLine : mod.ModuleLine > 0 ? mod.ModuleLine : null)
            : null;

    /// <summary>"a.go:3, b.go:7 (vendor) and 4 more".</summary>
    public static string FileList(IEnumerable<CgoGoFile> files, int max = 5)
    {
        var list = files.ToList();
        var shown = list.Take(max).Select(f => $"{f.Path}:{f.ImportLine}{(f.Vendor ? " (vendor)" : "")}");
        var text = string.Join(", ", shown);
        return list.Count > max ? $"{text} and {list.Count - max} more" : text;
    }

    public string CgoEnabledText()
    {
        var e = CgoEnabled;
        var value = e.Effective ?? "unknown";
        return e.IsExplicit
            ? $"{value} (set explicitly: CGO_ENABLED={e.ExplicitValue} {ExplicitWhere()})"
            : $"{value} (not set; Go's default)";
    }

    /// <summary>"in the environment" or "in the go env file /home/u/.config/go/env".</summary>
    public string ExplicitWhere() =>
        CgoEnabled.ExplicitSource is "environment" or null ? "in the environment" : $"in the go env file {CgoEnabled.ExplicitSource}";

    /// <summary>Where CC or CXX comes from, as the host resolved it (<see cref="GoSettings"/>).</summary>
    public SettingSource SourceOf(CompilerProbe c) => Snapshot.GoSettings.Setting(c.Variable)?.Source ?? SettingSource.Default;

    /// <summary>"environment", "go env file /home/u/.config/go/env" or "default".</summary>
    public string SourceText(CompilerProbe c) => SourceOf(c) switch
    {
        SettingSource.Environment => "environment",
        SettingSource.EnvFile => Snapshot.GoSettings.EnvFile.Path is { } path ? "go env file " + path : "go env file",
        _ => "default",
    };

    public string CompilerText(CompilerProbe c) =>
        $"{c.Configured ?? ""} ({SourceText(c)}; {c.Status switch
        {
            CompilerStatus.Found => "found at " + c.ResolvedPath + (c.Runs == false ? ", but it fails to run" : ""),
            CompilerStatus.NotFound => c.Program is { } p && p.Contains('/') ? "no such file" : "not on PATH",
            CompilerStatus.NotExecutable => c.ResolvedPath + " is not executable",
            _ => "empty",
        }})";

    /// <summary>Evidence every Cgo finding starts with.</summary>
    public List<Evidence> BaseEvidence(bool includeCxx = false)
    {
        var list = new List<Evidence>
        {
            new("CGO_ENABLED", CgoEnabledText()),
            new("CC", CompilerText(Facts.Cc)),
        };
        if (includeCxx) list.Add(new Evidence("CXX", CompilerText(Facts.Cxx)));
        list.Add(new Evidence("GOOS/GOARCH", $"{Facts.Target.Goos}/{Facts.Target.Goarch} (host {Facts.Target.HostGoos}/{Facts.Target.HostGoarch})"));
        if (Snapshot.Go.Version is { } version) list.Add(new Evidence("go version", version));
        return list;
    }

    public void AddUsageEvidence(List<Evidence> evidence, IEnumerable<CgoGoFile>? files = null)
    {
        var list = (files ?? NeedingFiles).ToList();
        var own = list.Where(f => !f.Vendor).ToList();
        var vendored = list.Where(f => f.Vendor).ToList();
        if (own.Count > 0) evidence.Add(new Evidence("files importing \"C\"", FileList(own)));
        if (vendored.Count > 0) evidence.Add(new Evidence("vendored files importing \"C\"", FileList(vendored)));
        if (list.Count == 0) evidence.Add(new Evidence("files importing \"C\"", "none found in the module"));
        var repo = Snapshot.Repository;
        if ((repo.Truncated ? $"the repository walk stopped at the {repo.TruncatedBy}" : Facts.Sources.CutShort) is { } cut)
        {
            evidence.Add(new Evidence("source walk", $"cut short ({cut}); more files may use cgo"));
        }
    }

    /// <summary>The install command for a C (or C++) compiler on the snapshot's host, with its title.</summary>
    public Fix InstallCompiler(bool cxx)
    {
        if (Snapshot.Host.Os == "darwin")
        {
            return Fix.Run("Install the Xcode Command Line Tools (clang and clang++)", "xcode-select --install",
                "Downloads and installs Apple's developer tools (several hundred MB) system-wide; needs an administrator.");
        }

        if (Snapshot.Host.Os == "windows")
        {
            return Fix.Run("Install a MinGW-w64 GCC (e.g. with winget or MSYS2) and put its bin folder on PATH",
                "winget install --id=BrechtSanders.WinLibs.POSIX.UCRT -e",
                "Installs a third-party toolchain system-wide and changes PATH for new shells.");
        }

        return cxx
            ? Fix.Run("Install a C++ compiler (Debian/Ubuntu; Fedora: sudo dnf install gcc-c++; Alpine: apk add g++)", "sudo apt-get install -y g++",
                "Installs packages system-wide (needs root); builds that already work are unaffected.")
            : Fix.Run("Install a C compiler (Debian/Ubuntu; Fedora: sudo dnf install gcc; Alpine: apk add build-base)", "sudo apt-get install -y gcc",
                "Installs packages system-wide (needs root); builds that already work are unaffected.");
    }

    /// <summary>A compiler the core facts found on PATH, to point CC/CXX at instead of installing one.</summary>
    public ToolFact? InstalledAlternative(bool cxx, string? except)
    {
        string[] names = cxx ? ["g++", "clang++", "c++"] : ["gcc", "clang", "cc"];
        return names.Select(n => Snapshot.Tool(n)).FirstOrDefault(t => t is { Status: ToolStatus.Found, Path: not null } && t.Path != except);
    }

    /// <summary>The fixes that point CC/CXX at a compiler that exists, where the variable is set (<see cref="SettingFixes"/>).</summary>
    public IReadOnlyList<Fix> PointAt(CompilerProbe probe, ToolFact alternative) =>
        SettingFixes.Set(Snapshot, probe.Variable, alternative.Path!, $"Point {probe.Variable} at the installed {alternative.Name}",
            $"Builds use {alternative.Path} ({alternative.Version ?? "version unknown"}); if {probe.Configured} was chosen for a reason (a cross compiler, a wrapper), C code is built differently.");

    public const string NoCgoRiskUsing =
        "Every file importing \"C\" is then left out of the build: packages that need them fail with 'build constraints exclude all Go files' or undefined symbols, or lose features that have a pure-Go fallback.";

    public const string NoCgoRiskStd =
        "The net package then uses Go's own DNS resolver (it ignores nsswitch.conf modules such as LDAP, mDNS or systemd-resolved plugins) and os/user reads /etc/passwd and /etc/group directly; binaries become static.";
}

/// <summary>
/// CGO_ENABLED as cmd/go/internal/cfg (go 1.19) decides it: a value of "0" or "1" taken where cfg.Getenv takes it
/// (the host's provenance: the environment, else the GOENV file) is explicit; anything else leaves Go's default
/// (off when cross-compiling; from Go 1.20 also off when the default C compiler is missing).
/// </summary>
/// <param name="Effective">CGO_ENABLED as `go env` reports it ("1" or "0"); null when go did not answer.</param>
/// <param name="ExplicitValue">The value set on purpose ("0" or "1"), or null when go chose the default.</param>
/// <param name="ExplicitSource">Where the explicit value came from: "environment", or the GOENV file's path.</param>
internal sealed record CgoEnabledSetting(string? Effective, string? ExplicitValue, string? ExplicitSource)
{
    public bool IsExplicit => ExplicitValue is not null;

    public static CgoEnabledSetting Of(Snapshot s)
    {
        var setting = s.GoSettings.Setting("CGO_ENABLED");
        var effective = s.GoEnv("CGO_ENABLED") is { Length: > 0 } printed ? printed : null;
        var (value, source) = setting?.Source switch
        {
            SettingSource.Environment => (s.Env("CGO_ENABLED"), "environment"),
            SettingSource.EnvFile => (s.GoSettings.EnvFile.Entry("CGO_ENABLED")?.Value, s.GoSettings.EnvFile.Path),
            _ => (null, null),
        };
        return value is "0" or "1" ? new CgoEnabledSetting(effective, value, source) : new CgoEnabledSetting(effective, null, null);
    }
}
