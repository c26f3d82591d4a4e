using System.Collections.Frozen;
using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

/// <summary>What several rules need: the pack's facts, anchors in go.mod / go.sum, the -mod flag, shell quoting.</summary>
internal static class Facts
{
    public static ModCacheFacts? Of(Snapshot s) => s.GetExtension<ModCacheFacts>(ModCacheFacts.Key);

    /// <summary>Environment findings are anchored to the module line of go.mod, or go.mod itself.</summary>
    public static Location? ModuleLine(Snapshot s) =>
        s.Workspace.GoMod is { } mod ? new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null) : null;

    /// <summary>The go.mod require line of a module, else its first go.sum line, else the module line.</summary>
    public static Location? Requirement(Snapshot s, string module, string? version = null)
    {
        var mod = s.Workspace.GoMod;
        var require = mod?.Requires.FirstOrDefault(r => r.Path == module)
            ?? mod?.Requires.FirstOrDefault(r => mod.Replaces.Any(x => x.OldPath == r.Path && x.NewPath == module));
        if (mod is not null && require is not null)
        {
            return new Location(mod.File, require.Line);
        }

        var sum = s.Workspace.GoSum;
        var line = sum?.Entries.FirstOrDefault(e => e.Path == module && (version is null || e.Version == version))
            ?? sum?.Entries.FirstOrDefault(e => e.Path == module);
        return sum is not null && line is not null ? new Location(sum.File, line.Line) : ModuleLine(s);
    }

    /// <summary>The -mod of GOFLAGS ("vendor", "mod", "readonly"), as the host parsed GOFLAGS (<see cref="GoFlagList.Mod"/>); null for go's default.</summary>
    public static string? ModFlag(Snapshot s) => s.GoSettings.Flags.Mod;

    public static string GoFlags(Snapshot s) => s.GoSettings.Flags.Raw;

    /// <summary>Where GOFLAGS comes from (the host's provenance, which the fixes follow): the environment or the GOENV file (`go env -w`).</summary>
    public static string GoFlagsSource(Snapshot s) =>
        s.GoSettings.Setting("GOFLAGS") switch
        {
            { Source: SettingSource.Environment } => "environment variable GOFLAGS",
            { Source: SettingSource.EnvFile, Line: { } line } => $"{s.GoSettings.EnvFile.Path} line {line} (go env -w)",
            { Source: SettingSource.EnvFile } => "the GOENV file (go env -w)",
            _ => "go env",
        };

    /// <summary>A folder to suggest for a moved cache: under a writable local HOME, else under a writable TMPDIR.</summary>
    public static string SuggestedFolder(ModCacheFacts facts, string name)
    {
        var home = facts.Locations.FirstOrDefault(l => l.Role == "HOME" && l.Writable && !l.ReadOnlyMount && !Network.IsNetwork(l.FileSystemType));
        if (home is not null)
        {
            return home.Path.TrimEnd('/') + "/.cache/" + name;
        }

        var tmp = facts.Locations.FirstOrDefault(l => l.Role == "TMPDIR" && l.Writable && !l.ReadOnlyMount && !Network.IsNetwork(l.FileSystemType));
        return tmp is not null ? tmp.Path.TrimEnd('/') + "/" + name : "/var/tmp/" + name;
    }
}

internal static class Network
{
    private static readonly FrozenSet<string> Types = new[]
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "gpfs", "vboxsf", "prl_fs", "vmhgfs", "davfs", "sshfs",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Filesystems reached over a network or a hypervisor channel, where flock is slow, partial or absent.</summary>
    public static bool IsNetwork(string? type) =>
        type is not null && (Types.Contains(type) || type.StartsWith("fuse.", StringComparison.Ordinal) && type != "fuse.lxcfs");
}

internal static class EntryFixes
{
    /// <summary>Deletes one module version from the cache (download metadata and extracted tree) and fetches it again.</summary>
    public static Fix RemoveOne(string modCache, string module, string version)
    {
        var prefix = ModulePaths.DownloadPrefix(modCache, module, version);
        var tree = ModulePaths.ExtractedDirectory(modCache, module, version);
        return Fix.Run(
            $"Delete only {module}@{version} from the module cache and download it again",
            $"chmod -R u+w {Fix.ShellQuote(tree)} 2>/dev/null; rm -rf {Fix.ShellQuote(tree)} {Fix.ShellQuote(prefix)}.* && go mod download {Fix.ShellQuote($"{module}@{version}")}",
            "Cheap: one module version is fetched again (needs the proxy or VCS to be reachable). A build running at the same moment that uses this version may fail; run it again.") with
        {
            // One entry of one module: bounded, and an applier moves it aside so it can be put back.
            Applicability = FixApplicability.Automatic,
            Removes = [tree, .. CacheEntryFiles.Select(ext => prefix + ext)],
            Steps = [["go", "mod", "download", $"{module}@{version}"]],
            // go mod download with a module argument records the module's hashes in go.sum.
            Rewrites = ["go.sum"],
        };
    }

    /// <summary>The words of: delete go.sum's lines for module@version (sed, the path escaped for a basic regex), then download it again.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> DropSumLinesAndDownload(string sumFile, string module, string version) =>
    [
        ["sed", "-i", $"\\#^{SedLiteral(module)} {SedLiteral(version)}[ /]#d", sumFile],
        ["go", "mod", "download", $"{module}@{version}"],
    ];

    /// <summary>Text matched literally inside a sed basic regular expression delimited by '#'.</summary>
    private static string SedLiteral(string text) =>
        string.Concat(text.Select(c => c is '\\' or '.' or '*' or '[' or ']' or '^' or '$' or '#' ? "\\" + c : c.ToString()));

    /// <summary>The files cmd/go keeps per module version under cache/download (modfetch's cache), leftovers included.</summary>
    private static readonly string[] CacheEntryFiles = [".info", ".mod", ".zip", ".ziphash", ".partial", ".tmp"];

    /// <summary>Never automatic: it costs every project on the machine a full download; applied (moved aside) only when named.</summary>
    public static Fix CleanModCache(string modCache) => Fix.Run(
        "Delete the whole module cache (last resort, when many entries are damaged)",
        "go clean -modcache",
        "Expensive: every module of every project on this machine is downloaded again on the next build (minutes and network traffic; impossible offline). Prefer deleting the single damaged entry.") with
    {
        Applicability = FixApplicability.OnlyWhenNamed,
        Removes = [modCache],
        Steps = [],
    };
}
