using System.Diagnostics;
using System.IO.Enumeration;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>
/// Counts the directories a recursive watcher of the repository would add, within a time and an
/// entry budget. Symbolic links are never followed, so a link loop cannot trap it; .git's insides
/// are skipped because watchers ignore them.
/// </summary>
internal static class TreeWalker
{
    public sealed record Budget(int MaxEntries, TimeSpan Time);

    public static readonly Budget Default = new(2_000_000, TimeSpan.FromSeconds(2.5));

    public static DirectoryTreeFacts Walk(string root, Budget budget, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        if (!Directory.Exists(root))
        {
            return new DirectoryTreeFacts();
        }

        var entries = 0;
        string? stop = null;
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            // Symbolic links are skipped from their d_type, without a stat per entry: never followed,
            // so a link loop cannot trap the walk, and 100,000 directories cost no extra syscalls.
            AttributesToSkip = FileAttributes.ReparsePoint,
            ReturnSpecialDirectories = false,
        };

        var walk = new FileSystemEnumerable<string?>(root, Transform, options)
        {
            ShouldIncludePredicate = (ref FileSystemEntry e) =>
            {
                entries++;
                if (stop is null && (entries & 1023) == 0)
                {
                    if (entries >= budget.MaxEntries) stop = $"entry budget of {budget.MaxEntries} entries";
                    else if (sw.Elapsed > budget.Time) stop = $"time budget of {budget.Time.TotalSeconds:0.##} s";
                    else if (ct.IsCancellationRequested) stop = "the scan's deadline";
                }

                return e.IsDirectory || stop is not null;
            },
            ShouldRecursePredicate = (ref FileSystemEntry e) => !(e.FileName is ".git" && e.Directory.Length == root.Length),
        };

        var directories = 1;
        int vendor = 0, nodeModules = 0, testdata = 0;
        var top = new Dictionary<string, int>(StringComparer.Ordinal);
        var modulesRoots = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var rel in walk)
        {
            if (stop is not null)
            {
                break;
            }

            if (rel is null)
            {
                continue;
            }

            directories++;
            var slash = rel.IndexOf('/');
            var first = slash < 0 ? rel : rel[..slash];
            top[first] = top.GetValueOrDefault(first) + 1;
            if (first == "vendor")
            {
                vendor++;
            }

            var nm = rel.IndexOf("node_modules", StringComparison.Ordinal);
            if (nm >= 0 && IsSegment(rel, nm, "node_modules".Length))
            {
                nodeModules++;
                var end = nm + "node_modules".Length;
                var key = rel[..end];
                modulesRoots[key] = modulesRoots.GetValueOrDefault(key) + 1;
            }

            var td = rel.IndexOf("testdata", StringComparison.Ordinal);
            if (td >= 0 && IsSegment(rel, td, "testdata".Length))
            {
                testdata++;
            }
        }

        var largest = top.OrderByDescending(kv => kv.Value).Take(10)
            .Concat(modulesRoots.Where(kv => kv.Key.Contains('/')).OrderByDescending(kv => kv.Value).Take(10))
            .Select(kv => new SubtreeCount(kv.Key, kv.Value))
            .ToList();

        return new DirectoryTreeFacts
        {
            Walked = true,
            Directories = directories,
            Entries = entries,
            VendorDirectories = vendor,
            NodeModulesDirectories = nodeModules,
            TestdataDirectories = testdata,
            Truncated = stop is not null,
            TruncatedBy = stop,
            ElapsedMilliseconds = sw.ElapsedMilliseconds,
            Largest = largest,
        };

        string? Transform(ref FileSystemEntry e)
        {
            if (!e.IsDirectory)
            {
                return null;
            }

            var parent = e.Directory.Length > root.Length ? e.Directory[(root.Length + 1)..] : [];
            return parent.IsEmpty ? e.FileName.ToString() : string.Concat(parent, "/", e.FileName);
        }
    }

    private static bool IsSegment(string rel, int at, int length) =>
        (at == 0 || rel[at - 1] == '/') && (at + length == rel.Length || rel[at + length] == '/');
}
