using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class DefenderScanRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBENV009",
        "Windows Defender scans the Go caches in real time",
        "windows",
        Severity.Warning,
        "Defender's real-time protection scans every file the go command writes to GOCACHE and the module cache, which makes builds and downloads several times slower.",
        "A Go build writes and reads thousands of small files in GOCACHE, and a module download extracts thousands into GOMODCACHE (under GOPATH). With real-time protection on and no exclusion for those folders, Defender opens and scans each of them as it is written or run, so builds on Windows crawl and antivirus CPU use spikes during `go build`. Only a Windows snapshot holds this fact; elsewhere the rule is silent.")
    {
        HelpMarkdown = "In PowerShell: `Get-MpPreference | Select DisableRealtimeMonitoring, ExclusionPath` (exclusions are visible to administrators only); Task Manager shows 'Antimalware Service Executable' busy during a build.",
        Tags = ["windows", "antivirus", "performance"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var defender = CloudEnvPack.Facts(snapshot)?.Defender;
        if (defender is not { RealTimeMonitoringEnabled: true })
        {
            yield break;
        }

        var folders = new[] { "GOCACHE", "GOMODCACHE", "GOPATH" }
            .Select(v => (Variable: v, Path: snapshot.GoEnv(v) ?? snapshot.Env(v)))
            .Where(x => !string.IsNullOrWhiteSpace(x.Path))
            .SelectMany(x => x.Variable == "GOPATH" ? x.Path!.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => (x.Variable, Path: p)) : [(x.Variable, x.Path!)])
            .ToList();
        var scanned = folders.Where(f => !defender.ExclusionPaths.Any(e => Under(f.Path, e))).ToList();
        // GOMODCACHE normally sits under GOPATH: one exclusion of GOPATH covers both, so name GOPATH alone.
        scanned = scanned.Where(f => !(f.Variable == "GOMODCACHE" && scanned.Any(g => g.Variable == "GOPATH" && Under(f.Path, g.Path)))).ToList();
        if (scanned.Count == 0)
        {
            yield break;
        }

        var names = string.Join(", ", scanned.Select(f => $"{f.Variable} ({f.Path})"));
        var message = defender.ExclusionsVisible
            ? $"Defender real-time protection is on and does not exclude {names}: every file go writes there is scanned, which slows builds and module downloads."
            : $"Defender real-time protection is on; its exclusions are visible to administrators only, so whether {names} are excluded could not be checked. If they are not, every file go writes there is scanned.";
        var add = string.Join(",", scanned.Select(f => $"'{f.Path}'").Distinct());
        yield return Descriptor.Finding(message, "Defender real-time scanning") with
        {
            Severity = defender.ExclusionsVisible ? Descriptor.DefaultSeverity : Severity.Note,
            Location = Anchors.Module(snapshot),
            Evidence =
            [
                new Evidence("real-time protection", "on"),
                new Evidence("exclusions", defender.ExclusionsVisible ? (defender.ExclusionPaths.Count == 0 ? "(none)" : string.Join("; ", defender.ExclusionPaths)) : "not visible without administrator rights"),
                .. scanned.Select(f => new Evidence(f.Variable, f.Path)),
            ],
            Fixes =
            [
                .. SettingFixes.Set(snapshot, "GOCACHE", @"D:\go\cache", "Move the build cache to a Dev Drive, which Defender scans in performance mode (Windows 11)",
                    "Needs a Dev Drive (a ReFS volume, Settings › System › Storage › Dev Drives) at D:; scanning is deferred, not switched off."),
                .. SettingFixes.Set(snapshot, "GOMODCACHE", @"D:\go\mod", "Move the module cache to the Dev Drive too",
                    "Every module is downloaded again once into the new folder."),
                Fix.Run("Exclude the Go folders from real-time scanning (elevated PowerShell)",
                    $"Add-MpPreference -ExclusionPath {add}",
                    "Malware written into those folders, for example in a downloaded module, is no longer caught as it is written; company policy may forbid exclusions."),
            ],
        };
    }

    private static bool Under(string path, string folder)
    {
        static string Norm(string p) => p.Replace('/', '\\').TrimEnd('\\').ToLowerInvariant();
        var p = Norm(path);
        var f = Norm(folder);
        return f.Length > 0 && (p == f || p.StartsWith(f + "\\", StringComparison.Ordinal));
    }
}
