using GoBuildRules.Rules.Shared;
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
        var facts = CloudEnvPack.Facts(snapshot);
        var inContainer = facts?.Container?.InContainer == true;
        foreach (var cache in facts?.Caches ?? [])
        {
            var fs = cache.FileSystem ?? "";
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

            var evidence = new List<Evidence> { new(cache.Variable, cache.Path), new("file system", fs.Length > 0 ? fs : "unknown") };
            if (cache.FreeBytes is { } f) evidence.Add(new Evidence("free", ByteSize.Format(f)));
            if (cache.TotalBytes is { } t) evidence.Add(new Evidence("size", ByteSize.Format(t)));
            if (facts?.Container is { InContainer: true } c) evidence.Add(new Evidence("container", $"{c.Runtime} ({string.Join(", ", c.Markers)})"));

            var volume = cache.Variable == "GOCACHE" ? "go-build-cache:/root/.cache/go-build" : "go-mod-cache:/go/pkg/mod";
            yield return Descriptor.Finding($"{cache.Variable} ({cache.Path}) {problem}.", cache.Variable) with
            {
                Location = Anchors.Variable(facts, cache.Variable, "GOPATH") ?? Anchors.Module(snapshot),
                Evidence = evidence,
                Fixes =
                [
                    Fix.Run($"Mount a persistent volume at {cache.Variable} when starting the container (Docker shown)",
                        $"docker run -v {volume} IMAGE",
                        "The volume grows without bound: prune it now and then (`go clean -cache` or `go clean -modcache`)."),
                    .. SettingFixes.Set(snapshot, cache.Variable, cache.Variable == "GOCACHE" ? "/var/cache/go-build" : "/var/cache/go-mod",
                        $"Point {cache.Variable} at a folder on a persistent disk with room",
                        "The folder must exist and be writable by every user that builds; the first build there starts cold."),
                ],
            };
        }
    }
}
