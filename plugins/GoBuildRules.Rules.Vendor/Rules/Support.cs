using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Rules;

internal static class Support
{
    public static VendorFacts? Facts(Snapshot s) => s.GetExtension<VendorFacts>(VendorPack.FactsKey);

    /// <summary>Directories in the top-level vendor/, from the scan's repository walk.</summary>
    public static int VendorDirectories(RepositoryIndex repo) => repo.Vendor?.Directories ?? 0;

    /// <summary>The largest top-level subtrees, then the nested node_modules folders (web/node_modules) apart.</summary>
    public static IEnumerable<SubtreeSize> Largest(RepositoryIndex repo) =>
        repo.Largest.Concat(repo.NodeModules.Where(n => n.Path.Contains('/')).Take(10));

    /// <summary>The mount holding the workspace root, from the snapshot's mount table.</summary>
    public static Mount? WorkspaceMount(Snapshot s) =>
        s.Workspace.Root.Length == 0 ? null : s.MountHolding(Path.TrimEndingDirectorySeparator(Path.GetFullPath(s.Workspace.Root)));

    /// <summary>Machine-wide findings are anchored to the module line of go.mod, or go.mod itself.</summary>
    public static Location? Module(Snapshot s) =>
        s.Workspace.GoMod is { } mod ? new Location(mod.File, mod.ModuleLine > 0 ? mod.ModuleLine : null) : null;

    /// <summary>The watcher setting that decides what is watched, else the module line.</summary>
    public static Location? Watcher(VendorFacts f, Snapshot s)
    {
        foreach (var air in f.Air)
        {
            if (air.Get("build.exclude_dir") is { } e) return new Location(air.File, e.Line);
        }

        if (f.Air.Count > 0) return new Location(f.Air[0].File, 1);
        if (f.Gopls is { } g) return new Location(g.File, g.Line);
        if (f.WatcherCommands.Count > 0) return new Location(f.WatcherCommands[0].File, f.WatcherCommands[0].Line);
        return Module(s);
    }

    public static string Count(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A limit worth raising to: room for the need twice over (IDE plus a watcher), rounded up, at least 524,288.</summary>
    public static long Target(long inUse, long need, long floor) =>
        Math.Max(floor, (inUse + (2 * need) + 65_535) / 65_536 * 65_536);

    public static IEnumerable<Fix> RaiseSysctl(string name, long value, string risk)
    {
        yield return Fix.Run($"Raise fs.inotify.{name} until the next reboot", $"sudo sysctl fs.inotify.{name}={value}", risk + " It lasts until the next reboot.");
        yield return Fix.EditFile("/etc/sysctl.d/90-inotify.conf", $"fs.inotify.{name} = {value}  (then apply it: sudo sysctl --system)",
            $"Keep fs.inotify.{name} raised across reboots", risk + " It applies to every user from now on; in a container the host's value decides.");
    }

    /// <summary>Exclusions for every watcher seen, safest first: they only narrow what is watched.</summary>
    public static IEnumerable<Fix> Exclusions(VendorFacts f, IReadOnlyList<string> dirs)
    {
        var list = string.Join(", ", dirs.Select(d => "\"" + d + "\""));
        foreach (var air in f.Air)
        {
            var current = air.Get("build.exclude_dir")?.Values ?? ["assets", "tmp", "vendor", "testdata"];
            var merged = current.Concat(dirs).Distinct().Select(d => "\"" + d + "\"");
            yield return Fix.EditFile(air.File, $"exclude_dir = [{string.Join(", ", merged)}]  (under [build])", $"Stop air from watching {list}",
                "Edits inside those directories no longer trigger a rebuild; vendor/ changes only with `go mod vendor` anyway.");
        }

        yield return Fix.EditFile(".vscode/settings.json",
            "\"files.watcherExclude\": { " + string.Join(", ", dirs.Select(d => $"\"**/{d}/**\": true")) + " }",
            $"Stop VS Code's file watcher from watching {list}",
            "VS Code no longer notices files changed there by other programs (search and explorer may show stale content).");
    }
}
