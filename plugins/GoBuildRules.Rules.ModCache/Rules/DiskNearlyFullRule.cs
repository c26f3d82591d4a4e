using GoBuildRules.Rules.Shared;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class DiskNearlyFullRule : IRule
{
    /// <summary>Below this the next module download or link of a big binary can fail.</summary>
    public const long LowBytes = 1L << 30;

    /// <summary>Below this the filesystem is effectively full for a Go build.</summary>
    public const long CriticalBytes = 256L << 20;

    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD002",
        "The disk under a cache or temp folder is nearly full",
        "cache",
        Severity.Warning,
        "Less than 1 GiB (or under 5% and under 10 GiB) is free where GOMODCACHE, GOCACHE, GOTMPDIR or TMPDIR live.",
        "A Go build writes compiled packages to GOCACHE, the linker writes the binary through GOTMPDIR, and `go mod download` stores zips and extracted trees in GOMODCACHE. On a full disk these fail with 'no space left on device', sometimes in the middle of a download, which leaves .partial or .tmp leftovers in the module cache (see GBMOD004).")
    {
        HelpMarkdown = "Check with `df -h \"$(go env GOCACHE)\" \"$(go env GOMODCACHE)\" \"${TMPDIR:-/tmp}\"` and `du -sh \"$(go env GOCACHE)\"`.",
        Tags = ["cache", "disk"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        if (Facts.Of(snapshot) is not { } facts)
        {
            yield break;
        }

        var low = facts.Locations
            .Where(l => l.Role != "HOME" && l.FreeBytes is { } free && l.TotalBytes is > 0 && IsLow(free, l.TotalBytes.Value))
            .GroupBy(l => l.MountPoint ?? l.Path);
        foreach (var mount in low)
        {
            var first = mount.First();
            var free = first.FreeBytes!.Value;
            var roles = mount.Select(l => l.Role).Distinct().ToList();
            var fixes = new List<Fix>();
            if (roles.Contains("GOTMPDIR") || roles.Contains("TMPDIR"))
            {
                var bigger = facts.Locations.Where(l => l.Role != "HOME" && (l.MountPoint ?? l.Path) != mount.Key && l.Writable && l.FreeBytes > LowBytes * 4)
                    .OrderByDescending(l => l.FreeBytes).FirstOrDefault();
                fixes.AddRange(SettingFixes.Set(snapshot, "GOTMPDIR", bigger is null ? "/path/on/a/larger/disk/go-tmp" : bigger.Path.TrimEnd('/') + "/go-tmp",
                    "Point go's scratch folder at a larger disk", "None for the build; the folder must exist and be writable."));
            }

            if (roles.Contains("GOCACHE"))
            {
                fixes.Add(Fix.Run("Empty the build cache", "go clean -cache",
                    "Safe but slow once: the next builds and tests of every project compile from scratch."));
            }

            if (roles.Contains("GOMODCACHE"))
            {
                // Manual here: an applier moves the cache aside to keep it undoable, which frees no space.
                fixes.Add(EntryFixes.CleanModCache(first.Path) with { Applicability = FixApplicability.Manual });
            }

            yield return Descriptor.Finding(
                $"Only {ByteSize.Format(free)} of {ByteSize.Format(first.TotalBytes!.Value)} is free on {mount.Key}, which holds {string.Join(", ", roles)}: builds and downloads can fail with 'no space left on device'.",
                mount.Key) with
            {
                Severity = free < CriticalBytes ? Severity.Error : Severity.Warning,
                Location = Facts.ModuleLine(snapshot),
                Evidence =
                [
                    new Evidence("mount point", mount.Key),
                    new Evidence("free", ByteSize.Format(free)),
                    new Evidence("size", ByteSize.Format(first.TotalBytes!.Value)),
                    .. mount.Select(l => new Evidence(l.Role, l.Path)),
                ],
                Fixes = fixes,
            };
        }
    }

    public static bool IsLow(long free, long total) =>
        free < LowBytes || (free < total / 20 && free < 10 * LowBytes);
}
