using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Rules;

public sealed class EventsDoNotCrossMountRule : IRule
{
    /// <summary>File systems that bring a host folder into a VM or container; changes made on the other side raise no inotify event here.</summary>
    public static readonly IReadOnlyDictionary<string, string> DroppingFileSystems = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["9p"] = "9p (WSL2 /mnt/c drives, Colima, Rancher Desktop, Lima)",
        ["drvfs"] = "drvfs (WSL Windows drives)",
        ["grpcfuse"] = "gRPC FUSE (Docker Desktop for Mac/Windows bind mounts)",
        ["fuse.grpcfuse"] = "gRPC FUSE (Docker Desktop bind mounts)",
        ["fakeowner"] = "fakeowner (Docker Desktop bind mounts)",
        ["osxfs"] = "osxfs (old Docker Desktop for Mac bind mounts)",
        ["virtiofs"] = "virtiofs (Docker Desktop, Colima, Rancher Desktop, Podman machine)",
        ["fuse.sshfs"] = "sshfs (Colima, Lima, remote folders)",
        ["vboxsf"] = "vboxsf (VirtualBox / Vagrant shared folders)",
        ["nfs"] = "NFS",
        ["nfs4"] = "NFS",
        ["cifs"] = "SMB/CIFS",
        ["smb3"] = "SMB",
    };

    public RuleDescriptor Descriptor { get; } = new(
        "GBVND004",
        "The repository is on a VM or network mount where file events do not cross",
        "watchers",
        Severity.Warning,
        "The workspace lives on a bind or network mount (9p, gRPC FUSE, fakeowner, virtiofs, sshfs, NFS…); edits made on the other side of it raise no inotify event in here.",
        "inotify reports changes made through this kernel only. When the repository is a Docker Desktop, WSL2, Colima or Rancher Desktop bind mount of a host folder, or a network share, edits saved by an editor on the host reach the files but raise no event inside the VM or container: air, reflex, CompileDaemon, watchexec and gopls silently miss them and serve stale builds. Polling watchers (air's poll = true, watchexec --poll, CompileDaemon -polling) see them at the cost of CPU; moving the repository into the VM's own file system fixes it and makes builds faster too.")
    {
        HelpMarkdown = "Confirm with `stat -f -c %T .` or `findmnt -T .`, then edit a file from the host and watch whether the watcher reacts.",
        Tags = ["watchers", "docker", "wsl", "mounts"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null || Support.WorkspaceMount(snapshot) is not { } mount || !DroppingFileSystems.TryGetValue(mount.FileSystem, out var what))
        {
            yield break;
        }

        // Which configured watchers poll (and so see host edits) and which rely on inotify.
        var watchers = new List<(string Name, Location Where, bool Polls)>();
        foreach (var air in f.Air)
        {
            var poll = air.Get("build.poll");
            watchers.Add(($"air ({air.File})", new Location(air.File, poll?.Line ?? air.Get("build.cmd")?.Line ?? 1), poll?.Values.FirstOrDefault() == "true"));
        }

        foreach (var cmd in f.WatcherCommands)
        {
            var polls = cmd.Tool switch
            {
                "CompileDaemon" => cmd.Arguments.Any(a => a is "-polling" or "--polling" or "-polling=true"),
                "watchexec" => cmd.Arguments.Any(a => a == "--poll" || a.StartsWith("--poll=", StringComparison.Ordinal)),
                _ => false, // reflex has no polling mode
            };
            watchers.Add(($"{cmd.Tool} ({cmd.File}:{cmd.Line})", new Location(cmd.File, cmd.Line), polls));
        }

        if (watchers.Count > 0 && watchers.All(w => w.Polls))
        {
            yield break;
        }

        var blind = watchers.Where(w => !w.Polls).ToList();
        var evidence = new List<Evidence>
        {
            new("mount point", mount.MountPoint),
            new("file system", $"{mount.FileSystem}: {what}"),
            new("source", mount.Source),
        };
        evidence.AddRange(blind.Select(w => new Evidence("watcher without polling", w.Name)));

        var fixes = new List<Fix>();
        foreach (var air in f.Air)
        {
            fixes.Add(Fix.EditFile(air.File, "poll = true and poll_interval = 500  (under [build])", "Make air poll instead of waiting for inotify events",
                "Polling stats every watched file each interval: more CPU and up to poll_interval ms of delay; exclude vendor/ and node_modules/ to keep it cheap."));
        }

        fixes.Add(Fix.Run("Or run watchexec in polling mode (CompileDaemon: -polling)", "watchexec --poll 500ms -e go -- go run .",
            "Polling costs CPU in proportion to the files watched."));
        fixes.Add(Fix.Run("Move the repository into the VM's or container's own file system (e.g. ~/src inside WSL2 or a named volume) and edit it there",
            "git clone <url> ~/src/<repo>", "Host tools see the files only through the VM's share (\\\\wsl$ or a volume); builds get faster too."));

        yield return Descriptor.Finding(
            blind.Count > 0
                ? $"The repository is on a {mount.FileSystem} mount ({mount.MountPoint}); {blind[0].Name} relies on inotify, which never hears of edits made on the host side: rebuilds will silently not happen."
                : $"The repository is on a {mount.FileSystem} mount ({mount.MountPoint}): file watchers and gopls inside this VM or container will not see edits made on the host side.",
            $"mount:{mount.MountPoint}") with
        {
            Severity = blind.Count > 0 ? Severity.Warning : Severity.Note,
            Location = blind.Count > 0 ? blind[0].Where : Support.Module(snapshot),
            Evidence = evidence,
            Fixes = fixes,
        };
    }
}
