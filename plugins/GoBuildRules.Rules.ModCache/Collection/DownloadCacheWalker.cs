using System.Diagnostics;
using System.IO.Enumeration;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>
/// Walks GOMODCACHE/cache/download (the metadata: .info, .mod, .zip, .ziphash, .lock, .partial),
/// never the extracted module trees, under an entry and a time budget. Only leftovers are kept,
/// so memory stays flat however big the cache is.
/// </summary>
public static class DownloadCacheWalker
{
    private static readonly EnumerationOptions Options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
        AttributesToSkip = 0,
    };

    private const int None = 0, Zip = 1, Ziphash = 2, Lock = 4;

    public static DownloadCacheScan Walk(string modCache, ModCacheBudget budget, CancellationToken ct)
    {
        var root = Path.Combine(modCache, "cache", "download");
        var scan = new DownloadCacheScan(root) { EntryBudget = budget.EntryBudget, TimeBudgetMilliseconds = (long)budget.WalkTime.TotalMilliseconds };
        if (!Directory.Exists(root))
        {
            return scan;
        }

        var clock = Stopwatch.StartNew();
        var leftovers = new List<CacheLeftover>();
        var omitted = 0;
        long files = 0, dirs = 0, versions = 0;
        string? cut = null;
        var pending = new Stack<string>();
        pending.Push(root);
        var versionFlags = new Dictionary<string, int>(StringComparer.Ordinal);

        void Keep(LeftoverKind kind, string module, string version, string file)
        {
            if (leftovers.Count < budget.MaxLeftovers)
            {
                leftovers.Add(new CacheLeftover(kind, module, version, Path.GetRelativePath(modCache, file).Replace('\\', '/')));
            }
            else
            {
                omitted++;
            }
        }

        while (pending.Count > 0 && cut is null)
        {
            var dir = pending.Pop();
            var isVersionFolder = Path.GetFileName(dir) == "@v";
            string module = "";
            if (isVersionFolder)
            {
                module = ModulePaths.Unescape(Path.GetRelativePath(root, Path.GetDirectoryName(dir)!).Replace('\\', '/'));
                versionFlags.Clear();
            }

            var entries = new FileSystemEnumerable<(string Name, bool IsDirectory, long Length)>(
                dir,
                (ref FileSystemEntry e) => (e.FileName.ToString(), e.IsDirectory, !e.IsDirectory && IsSmallMetadata(e.FileName) ? e.Length : -1),
                Options);
            foreach (var (name, isDirectory, length) in entries)
            {
                if ((++files + dirs & 1023) == 0)
                {
                    if (ct.IsCancellationRequested)
                    {
                        cut = "the scan's deadline was reached";
                        break;
                    }

                    if (clock.Elapsed > budget.WalkTime)
                    {
                        cut = $"the walk's time budget of {budget.WalkTime.TotalSeconds:0.##} s ran out";
                        break;
                    }
                }

                if (files + dirs > budget.EntryBudget)
                {
                    cut = $"the walk's budget of {budget.EntryBudget:N0} entries ran out";
                    break;
                }

                if (isDirectory)
                {
                    files--;
                    dirs++;
                    // sumdb holds checksum-database tiles, not module downloads.
                    if (!(dir == root && name == "sumdb"))
                    {
                        pending.Push(Path.Combine(dir, name));
                    }

                    continue;
                }

                if (!isVersionFolder)
                {
                    continue;
                }

                if (name.EndsWith(".tmp", StringComparison.Ordinal))
                {
                    Keep(LeftoverKind.TempFile, module, VersionOfTemp(name), Path.Combine(dir, name));
                    continue;
                }

                var dot = name.LastIndexOf('.');
                if (dot <= 0 || name.StartsWith("list", StringComparison.Ordinal))
                {
                    continue;
                }

                var version = name[..dot];
                var ext = name.AsSpan(dot + 1);
                var flag = ext switch
                {
                    "zip" => Zip,
                    "ziphash" => Ziphash,
                    "lock" => Lock,
                    _ => None,
                };
                if (!versionFlags.TryGetValue(version, out var have))
                {
                    versions++;
                }

                versionFlags[version] = have | flag;
                if (ext is "partial")
                {
                    Keep(LeftoverKind.Partial, module, ModulePaths.Unescape(version), Path.Combine(dir, name));
                }
                else if (length == 0 && ext is "info")
                {
                    Keep(LeftoverKind.EmptyInfo, module, ModulePaths.Unescape(version), Path.Combine(dir, name));
                }
                else if (length == 0 && ext is "mod")
                {
                    Keep(LeftoverKind.EmptyMod, module, ModulePaths.Unescape(version), Path.Combine(dir, name));
                }
            }

            if (isVersionFolder && cut is null)
            {
                foreach (var (version, flags) in versionFlags)
                {
                    if ((flags & (Lock | Zip)) == Lock)
                    {
                        Keep(LeftoverKind.OrphanedLock, module, ModulePaths.Unescape(version), Path.Combine(dir, version + ".lock"));
                    }
                    else if ((flags & (Zip | Ziphash)) == Zip)
                    {
                        Keep(LeftoverKind.ZipWithoutHash, module, ModulePaths.Unescape(version), Path.Combine(dir, version + ".zip"));
                    }
                }
            }
        }

        return scan with
        {
            Exists = true,
            FilesSeen = files,
            DirectoriesSeen = dirs,
            VersionsSeen = versions,
            ElapsedMilliseconds = clock.ElapsedMilliseconds,
            Truncated = cut is not null,
            TruncatedReason = cut,
            Leftovers = leftovers,
            LeftoversOmitted = omitted,
        };
    }

    // Only these need a size (an empty one is damage); asking for others would cost a stat each.
    private static bool IsSmallMetadata(ReadOnlySpan<char> name) =>
        name.EndsWith(".info", StringComparison.Ordinal) || name.EndsWith(".mod", StringComparison.Ordinal);

    // "v1.2.3.zip123456.tmp" or "v1.2.3.mod.123.tmp": the version is what precedes .zip/.mod/.info.
    private static string VersionOfTemp(string name)
    {
        foreach (var marker in new[] { ".zip", ".mod", ".info", ".ziphash" })
        {
            var i = name.IndexOf(marker, StringComparison.Ordinal);
            if (i > 0)
            {
                return ModulePaths.Unescape(name[..i]);
            }
        }

        return "";
    }
}
