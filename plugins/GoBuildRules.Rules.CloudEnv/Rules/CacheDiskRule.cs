using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class CacheDiskRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBENV003",
        "GOCACHE or GOMODCACHE is on an ephemeral file system",
        "cache",
        Severity.Warning,
        "A Go cache lives in memory or in a container's throw-away layer.",
        "The build cache (GOCACHE) and the module cache (GOMODCACHE) make repeated builds fast only while they survive. On tmpfs they are lost at reboot and, in a container, count against its memory limit; in a container's writable overlay layer they vanish with the container, so every run downloads every module and recompiles everything. (A nearly full cache disk is GBMOD002's finding.)")
    {
        HelpMarkdown = "`go env GOCACHE GOMODCACHE`, then `df -hT` on both paths; `du -sh` on them shows how big they are.",
        Tags = ["cache", "disk", "container"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (CloudEnvPack.Facts(snapshot) is not { } facts)
        {
            yield break;
        }

        var inContainer = facts.Container?.InContainer == true;
        // The file system is the host's mount table's (Snapshot.Mounts); how full the disk is and whether the folder
        // can be written are the ModCache pack's probe (GBMOD001/GBMOD002), so this pack probes nothing itself.
        foreach (var variable in (string[])["GOCACHE", "GOMODCACHE"])
        {
            var path = snapshot.GoSettings.Value(variable);
            if (path is "" or "off" || !path.StartsWith('/') || snapshot.MountHolding(path) is not { } mount)
            {
                continue;
            }

            var fs = mount.FileSystem;
            string? problem = null;
            if (fs is "tmpfs" or "ramfs")
            {
                problem = $"is on {fs}: it lives in memory, is lost at reboot{(inContainer ? " and counts against the container's memory limit" : "")}";
            }
            else if (fs is "overlay" or "overlayfs" or "aufs" && inContainer)
            {
                problem = $"is in the container's writable {fs} layer: it is thrown away with the container, so each new container downloads and compiles everything again";
            }

            if (problem is null)
            {
                continue;
            }

            var evidence = new List<Evidence> { new(variable, path), new("file system", fs), new("mount point", mount.MountPoint) };
            if (facts.Container is { InContainer: true } c) evidence.Add(new Evidence("container", $"{c.Runtime} ({string.Join(", ", c.Markers)})"));

            var volume = variable == "GOCACHE" ? "go-build-cache:/root/.cache/go-build" : "go-mod-cache:/go/pkg/mod";
            yield return Descriptor.Finding($"{variable} ({path}) {problem}.", variable) with
            {
                Location = Anchors.Variable(facts, variable, "GOPATH") ?? Anchors.Module(snapshot),
                Evidence = evidence,
                Fixes =
                [
                    Fix.Run($"Mount a persistent volume at {variable} when starting the container (Docker shown)",
                        $"docker run -v {volume} IMAGE",
                        "The volume grows without bound: prune it now and then (`go clean -cache` or `go clean -modcache`)."),
                    .. SettingFixes.Set(snapshot, variable, variable == "GOCACHE" ? "/var/cache/go-build" : "/var/cache/go-mod",
                        $"Point {variable} at a folder on a persistent disk with room",
                        "The folder must exist and be writable by every user that builds; the first build there starts cold."),
                ],
            };
        }
    }
}
