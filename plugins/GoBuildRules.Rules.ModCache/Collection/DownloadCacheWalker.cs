using System.Diagnostics;
using System.IO.Enumeration;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>
/// Walks GOMODCACHE/cache/download (the metadata: .info, .mod, .zip, .ziphash, .lock, .partial),
/// never the extracted module trees, under an entry and a time budget. Only leftovers are kept,
/// so memory stays flat however big the cache is.
/// </summary>
public static class DownloadCacheWalker
{
    // A fresh instance per walk: EnumerationOptions is mutable, so it is not shared.
    private static EnumerationOptions Options() => new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        ReturnSpecialDirectories = false,
        // Skipping hidden or system entries would cost a stat per entry; nothing in the cache is hidden.
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
        var schedStart = ThreadSchedStat();
        var leftovers = new List<CacheLeftover>();
        var omitted = 0;
        long files = 0, dirs = 0, versions = 0;
        string? cut = null;
        var pending = new Stack<string>();
        pending.Push(root);
        var versionFlags = new Dictionary<string, int>(StringComparer.Ordinal);
        var options = Options();

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
            var isVersionFolder = dir.EndsWith("/@v", StringComparison.Ordinal) || dir.EndsWith("\\@v", StringComparison.Ordinal);
            var module = isVersionFolder
                ? ModulePaths.Unescape(Path.GetRelativePath(root, Path.GetDirectoryName(dir)!).Replace('\\', '/'))
                : "";
            versionFlags.Clear();
            var atRoot = dir == root;

            // The work happens in the predicate, on the entry's name as a span: only folders to descend
            // into and leftovers become strings, so a million ordinary files allocate almost nothing.
            var enumerable = new FileSystemEnumerable<string>(dir, (ref FileSystemEntry e) => e.FileName.ToString(), options)
            {
                ShouldIncludePredicate = (ref FileSystemEntry e) =>
                {
                    if (cut is not null)
                    {
                        return false;
                    }

                    if (e.IsDirectory)
                    {
                        dirs++;
                    }
                    else
                    {
                        files++;
                    }

                    if (((files + dirs) & 1023) == 0)
                    {
                        cut = ct.IsCancellationRequested ? "the scan's deadline was reached"
                            : clock.Elapsed > budget.WalkTime ? $"the walk's time budget of {budget.WalkTime.TotalSeconds:0.##} s ran out"
                            : null;
                    }

                    if (cut is null && files + dirs > budget.EntryBudget)
                    {
                        cut = $"the walk's budget of {budget.EntryBudget:N0} entries ran out";
                    }

                    if (cut is not null)
                    {
                        return false;
                    }

                    if (e.IsDirectory)
                    {
                        // sumdb holds checksum-database tiles, not module downloads.
                        return !(atRoot && e.FileName.SequenceEqual("sumdb"));
                    }

                    if (isVersionFolder)
                    {
                        Observe(ref e, dir, module);
                    }

                    return false;
                },
            };

            foreach (var sub in enumerable)
            {
                pending.Push(Path.Combine(dir, sub));
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

        void Observe(ref FileSystemEntry e, string dir, string module)
        {
            var name = e.FileName;
            if (name.EndsWith(".tmp", StringComparison.Ordinal))
            {
                var text = name.ToString();
                Keep(LeftoverKind.TempFile, module, VersionOfTemp(text), Path.Combine(dir, text));
                return;
            }

            var dot = name.LastIndexOf('.');
            if (dot <= 0 || name.StartsWith("list", StringComparison.Ordinal))
            {
                return;
            }

            var version = name[..dot];
            var ext = name[(dot + 1)..];
            var flag = ext switch
            {
                "zip" => Zip,
                "ziphash" => Ziphash,
                "lock" => Lock,
                _ => None,
            };
            var lookup = versionFlags.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(version, out var have))
            {
                if ((have | flag) != have)
                {
                    lookup[version] = have | flag;
                }
            }
            else
            {
                versions++;
                lookup[version] = flag;
            }

            if (ext is "partial")
            {
                Keep(LeftoverKind.Partial, module, ModulePaths.Unescape(version.ToString()), Path.Combine(dir, name.ToString()));
            }
            else if (ext is "info" or "mod" && e.Length == 0)
            {
                // The only stat of the walk: two of every five files, to find the empty ones.
                Keep(ext is "info" ? LeftoverKind.EmptyInfo : LeftoverKind.EmptyMod, module, ModulePaths.Unescape(version.ToString()), Path.Combine(dir, name.ToString()));
            }
        }

        var schedEnd = ThreadSchedStat();
        return scan with
        {
            Exists = true,
            CpuMilliseconds = schedStart is { } a && schedEnd is { } b ? (b.OnCpu - a.OnCpu) / 1_000_000 : null,
            RunQueueMilliseconds = schedStart is { } c && schedEnd is { } d ? (d.Waiting - c.Waiting) / 1_000_000 : null,
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

    /// <summary>
    /// Nanoseconds this thread ran on a CPU and waited for one (Linux /proc/thread-self/schedstat), so
    /// that the walk's facts tell its own cost apart from a busy machine's. The walk runs on one thread.
    /// </summary>
    private static (long OnCpu, long Waiting)? ThreadSchedStat()
    {
        try
        {
            var f = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
            return f.Length >= 2 && long.TryParse(f[0], System.Globalization.CultureInfo.InvariantCulture, out var cpu) && long.TryParse(f[1], System.Globalization.CultureInfo.InvariantCulture, out var wait) ? (cpu, wait) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

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
