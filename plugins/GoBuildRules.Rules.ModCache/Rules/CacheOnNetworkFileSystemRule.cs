using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class CacheOnNetworkFileSystemRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD003",
        "A cache lives on a network or shared filesystem",
        "cache",
        Severity.Warning,
        "GOMODCACHE, GOCACHE, GOTMPDIR or TMPDIR is on NFS, SMB, 9p, a FUSE mount or a VM shared folder.",
        "The go command serialises module downloads with flock on GOMODCACHE/cache/lock and one .lock file per module version, and the build cache does many small writes and renames. On NFS without a working lock daemon flock blocks forever or fails with 'no locks available'; on SMB, 9p (WSL2 /mnt/c, Docker Desktop bind mounts) and FUSE every small file costs a network round trip, so builds crawl. A build that 'hangs' in a flock call on such a mount is this.")
    {
        HelpMarkdown = "`stat -f -c %T \"$(go env GOMODCACHE)\"` names the filesystem type; `cat /proc/PID/wchan` of a stuck go process shows whether it waits in the kernel's lock code.",
        Tags = ["cache", "nfs", "hang"],
    };

    // HOME on NFS is common and harmless when the caches themselves are elsewhere.
    private static bool IsCacheRole(string role) => role is "GOMODCACHE" or "GOCACHE" or "GOTMPDIR" or "TMPDIR";

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (Facts.Of(snapshot) is not { } facts)
        {
            yield break;
        }

        foreach (var l in facts.Locations.Where(l => IsCacheRole(l.Role) && Network.IsNetwork(l.FileSystemType)))
        {
            var nfs = l.FileSystemType!.StartsWith("nfs", StringComparison.Ordinal);
            var variable = l.Role == "TMPDIR" ? "GOTMPDIR" : l.Role;
            var name = l.Role switch { "GOMODCACHE" => "go-mod", "GOCACHE" => "go-build", _ => "go-tmp" };
            var target = LocalFolder(facts, name);
            yield return Descriptor.Finding(
                $"{l.Role} {l.Path} is on a {l.FileSystemType} filesystem ({l.MountSource} at {l.MountPoint}): "
                + (l.ProbeTimedOut ? $"it did not even answer a stat within the scan's probe time: the mount is hung right now, and every go command that touches {l.Role} blocks with it. "
                   : "")
                + (nfs ? "go's flock on the cache can block forever or fail when NFS locking does not work, and every small file is a network round trip."
                       : "every small file the go command writes is a network round trip, and file locks may be slow or unsupported."),
                l.Role) with
            {
                Severity = l.ProbeTimedOut ? Severity.Error : Severity.Warning,
                Location = Facts.ModuleLine(snapshot),
                Evidence =
                [
                    new Evidence(l.Role, l.Path),
                    new Evidence("filesystem", l.FileSystemType!),
                    new Evidence("mounted from", l.MountSource ?? ""),
                    new Evidence("mount point", l.MountPoint ?? ""),
                    new Evidence("probe", l.ProbeTimedOut ? "timed out (hung mount)" : "answered"),
                ],
                Fixes =
                [
                    .. SettingFixes.Set(snapshot, variable, target, $"Move {variable} to a local disk",
                        l.Role == "GOMODCACHE"
                            ? "Modules are downloaded again once into the new folder; machines that shared the network cache no longer share downloads."
                            : l.Role == "GOCACHE" ? "The first build afterwards compiles from scratch; the cache is no longer shared." : "None; the folder must exist."),
                ],
            };
        }
    }

    // HOME when it is local (caches survive reboots there), else /var/tmp (not cleaned at boot like /tmp).
    private static string LocalFolder(ModCacheFacts facts, string name)
    {
        var home = facts.Locations.FirstOrDefault(l => l.Role == "HOME" && l.Writable && !l.ProbeTimedOut && !Network.IsNetwork(l.FileSystemType) && l.FileSystemType is not ("tmpfs" or null));
        return home is null ? "/var/tmp/" + name : home.Path.TrimEnd('/') + "/.cache/" + name;
    }
}
