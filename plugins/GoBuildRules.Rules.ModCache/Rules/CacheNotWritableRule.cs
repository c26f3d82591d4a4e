using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class CacheNotWritableRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD001",
        "A cache, temp folder or HOME is not writable",
        "cache",
        Severity.Error,
        "GOMODCACHE, GOCACHE, GOTMPDIR, TMPDIR or HOME cannot be written by this user, or sits on a read-only filesystem.",
        "The go command writes downloaded modules to GOMODCACHE, compiled packages to GOCACHE and scratch files to GOTMPDIR (default TMPDIR). When one of them is owned by another user (a cache filled once with sudo), or lives on a read-only mount (a container image layer, a read-only bind mount), builds fail with 'permission denied' or 'read-only file system', or `go mod download` fails while `go build` of cached code still works. HOME matters because the default GOCACHE, GOMODCACHE (via GOPATH) and GOENV live under it.")
    {
        HelpMarkdown = "Check with `go env GOMODCACHE GOCACHE GOTMPDIR` and `touch \"$(go env GOCACHE)/x\"`; `grep \" $(df --output=target \"$(go env GOCACHE)\" | tail -1) \" /proc/mounts` shows whether the mount is `ro`.",
        Tags = ["cache", "permissions"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (Facts.Of(snapshot) is not { } facts)
        {
            yield break;
        }

        // A probe that timed out knows nothing about writability; GBMOD003 and GBMOD014 report the hung mount.
        foreach (var l in facts.Locations.Where(l => !l.Writable && !l.ProbeTimedOut))
        {
            var where = l.Exists ? l.Path : $"{l.Path} (missing; its parent {l.NearestExisting} is where go would create it)";
            var why = l.ReadOnlyMount ? $"the filesystem mounted at {l.MountPoint} is read-only" : l.NotWritableReason ?? "permission denied";
            var effect = l.Role switch
            {
                "GOMODCACHE" => "`go mod download` and any build that needs a module not yet in the cache fail",
                "GOCACHE" => "every `go build` and `go test` fails: the build cache is required",
                "GOTMPDIR" or "TMPDIR" => "`go build` cannot create its work directory and fails before compiling",
                _ => "the default GOCACHE, GOMODCACHE and GOENV under it cannot be created or written",
            };
            var evidence = new List<Evidence>
            {
                new(l.Role, l.Path),
                new("exists", l.Exists ? "yes" : "no"),
                new("not writable because", why),
            };
            if (l.FileSystemType is not null) evidence.Add(new Evidence("filesystem", $"{l.FileSystemType} mounted at {l.MountPoint}{(l.ReadOnlyMount ? " (ro)" : "")}"));

            yield return Descriptor.Finding($"{l.Role} {where} is not writable: {why}. So {effect}.", l.Role) with
            {
                Severity = l.Role == "HOME" ? Severity.Warning : Severity.Error,
                Location = Facts.ModuleLine(snapshot),
                Evidence = evidence,
                Fixes = FixesFor(snapshot, l, facts),
            };
        }
    }

    private static List<Fix> FixesFor(Snapshot snapshot, CacheLocation l, ModCacheFacts facts)
    {
        var fixes = new List<Fix>();
        if (!l.ReadOnlyMount && l.Exists)
        {
            fixes.Add(Fix.Run($"Give the folder back to your user (it was probably filled with sudo)",
                $"sudo chown -R \"$(id -u):$(id -g)\" {Fix.ShellQuote(l.Path)}",
                "Changes ownership of everything below it; do not do this on a cache deliberately shared with other users or a CI image."));
        }

        switch (l.Role)
        {
            case "GOMODCACHE":
                fixes.AddRange(SettingFixes.Set(snapshot, "GOMODCACHE", Facts.SuggestedFolder(facts, "go-mod"), "Use a module cache in a writable folder",
                    "Every module is downloaded again into the new folder once (time and network)."));
                break;
            case "GOCACHE":
                fixes.AddRange(SettingFixes.Set(snapshot, "GOCACHE", Facts.SuggestedFolder(facts, "go-build"), "Use a build cache in a writable folder",
                    "The first build afterwards compiles everything from scratch."));
                break;
            case "GOTMPDIR":
                fixes.AddRange(SettingFixes.Unset(snapshot, "GOTMPDIR", "Let go use TMPDIR again", "None if TMPDIR is writable and large enough."));
                break;
            case "TMPDIR":
                fixes.AddRange(SettingFixes.Set(snapshot, "GOTMPDIR", Facts.SuggestedFolder(facts, "go-tmp"), "Give go its own writable scratch folder",
                    "Affects only the go command; other tools still use TMPDIR. The folder must exist."));
                break;
            default:
                fixes.Add(Fix.Run("Point the caches at writable folders for this shell (CI jobs and containers)",
                    ["export", "GOCACHE=/tmp/go-build", "GOMODCACHE=/tmp/go-mod", "GOENV=/tmp/go-env"],
                    "Caches under /tmp are lost at reboot or container exit: later builds start cold."));
                break;
        }

        if (l.ReadOnlyMount && l.MountPoint is not null)
        {
            fixes.Add(Fix.Run("Remount the filesystem read-write (or mount a writable volume there in your container definition)",
                $"sudo mount -o remount,rw {Fix.ShellQuote(l.MountPoint)}",
                "Needs root; a filesystem may be read-only on purpose (a shared image, or remounted read-only after disk errors: check dmesg first)."));
        }

        return fixes;
    }
}
