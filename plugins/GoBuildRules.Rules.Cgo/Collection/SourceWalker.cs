using System.Diagnostics;
using GoBuildRules.Rules.Cgo.Facts;

namespace GoBuildRules.Rules.Cgo.Collection;

/// <param name="MaxEntries">Files and folders looked at before the walk stops.</param>
/// <param name="MaxDuration">Wall time before the walk stops.</param>
/// <param name="MaxListedNativeSources">C/C++/… files listed by name; the rest are only counted.</param>
/// <param name="MaxGoBytes">How much of one .go file is read: imports come first, so the head is enough.</param>
internal sealed record WalkLimits(int MaxEntries, TimeSpan MaxDuration, int MaxListedNativeSources = 300, int MaxGoBytes = 256 * 1024)
{
    public static WalkLimits Default { get; } = new(50_000, TimeSpan.FromSeconds(2));
}

/// <summary>
/// Walks one module the way `go build ./...` sees it: skips testdata, folders starting with '.' or
/// '_', nested modules (folders with their own go.mod) and symlinked folders (go does not follow
/// them either, and they may loop); walks vendor/ but marks what comes from it. Stops at the caps
/// and says so.
/// </summary>
internal static class SourceWalker
{
    private static readonly Dictionary<string, NativeKind> NativeExtensions = new(StringComparer.Ordinal)
    {
        [".c"] = NativeKind.C,
        [".cc"] = NativeKind.Cxx,
        [".cpp"] = NativeKind.Cxx,
        [".cxx"] = NativeKind.Cxx,
        [".m"] = NativeKind.ObjectiveC,
        [".mm"] = NativeKind.ObjectiveCxx,
        [".S"] = NativeKind.Assembly,
        [".sx"] = NativeKind.Assembly,
        [".h"] = NativeKind.Header,
        [".hh"] = NativeKind.Header,
        [".hpp"] = NativeKind.Header,
        [".hxx"] = NativeKind.Header,
    };

    public static SourceWalk Walk(string root, WalkLimits limits, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var cgoFiles = new List<CgoGoFile>();
        var native = new List<NativeSource>();
        var nested = new List<string>();
        var unreadable = new List<string>();
        int dirs = 0, files = 0, symlinked = 0, notListed = 0;
        string? truncated = null;

        var pending = new Stack<string>();
        pending.Push("");
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0, ReturnSpecialDirectories = false };

        while (pending.Count > 0 && truncated is null)
        {
            var relativeDir = pending.Pop();
            var fullDir = relativeDir.Length == 0 ? root : Path.Combine(root, relativeDir);
            dirs++;
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(fullDir).EnumerateFileSystemInfos("*", options).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (unreadable.Count < 20) unreadable.Add(relativeDir.Length == 0 ? "." : relativeDir);
                continue;
            }

            var subdirs = new List<string>();
            foreach (var entry in entries)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    truncated = "the collection deadline was reached";
                    break;
                }

                if (dirs + files >= limits.MaxEntries)
                {
                    truncated = $"more than {limits.MaxEntries} files and folders";
                    break;
                }

                if (clock.Elapsed > limits.MaxDuration)
                {
                    truncated = $"the walk took longer than {limits.MaxDuration.TotalSeconds:0.#} s";
                    break;
                }

                var name = entry.Name;
                var relative = relativeDir.Length == 0 ? name : relativeDir + "/" + name;
                if (name.StartsWith('.') || name.StartsWith('_'))
                {
                    continue;
                }

                if (entry is DirectoryInfo dir)
                {
                    if (name == "testdata") continue;
                    if (dir.LinkTarget is not null)
                    {
                        symlinked++;
                        continue;
                    }

                    if (File.Exists(Path.Combine(dir.FullName, "go.mod")))
                    {
                        if (nested.Count < 50) nested.Add(relative);
                        continue;
                    }

                    subdirs.Add(relative);
                    continue;
                }

                files++;
                var vendor = relative.StartsWith("vendor/", StringComparison.Ordinal);
                var ext = Path.GetExtension(name);
                if (ext == ".go")
                {
                    var file = ReadGoFile((FileInfo)entry, relative, vendor, limits.MaxGoBytes, unreadable);
                    if (file is not null) cgoFiles.Add(file);
                }
                else if (NativeExtensions.TryGetValue(ext, out var kind))
                {
                    if (native.Count < limits.MaxListedNativeSources) native.Add(new NativeSource(relative, kind) { Vendor = vendor });
                    else notListed++;
                }
            }

            // Depth-first in name order, so that a cut walk is at least a stable prefix.
            for (var i = subdirs.Count - 1; i >= 0; i--) pending.Push(subdirs[i]);
        }

        return new SourceWalk
        {
            DirectoriesVisited = dirs,
            FilesVisited = files,
            Truncated = truncated is not null,
            TruncatedReason = truncated,
            SymlinkedDirectoriesSkipped = symlinked,
            NestedModulesSkipped = nested,
            CgoFiles = cgoFiles,
            NativeSources = native,
            NativeSourcesNotListed = notListed,
            Unreadable = unreadable,
        };
    }

    private static CgoGoFile? ReadGoFile(FileInfo info, string relative, bool vendor, int maxBytes, List<string> unreadable)
    {
        try
        {
            // Zero length also covers FIFOs and other special files, which would block a read.
            if (info.Length == 0) return null;
            string text;
            using (var stream = new FileStream(info.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan))
            using (var reader = new StreamReader(stream))
            {
                var buffer = new char[Math.Min(maxBytes, (int)Math.Min(info.Length, int.MaxValue))];
                var read = reader.ReadBlock(buffer, 0, buffer.Length);
                text = new string(buffer, 0, read);
            }

            // Cheap filter: without the string "C" there is no import "C".
            if (!text.Contains("\"C\"", StringComparison.Ordinal)) return null;
            var header = GoHeaderScanner.Scan(text);
            if (header.ImportCLine is not { } line) return null;
            return new CgoGoFile(relative, line)
            {
                Package = header.Package,
                Vendor = vendor,
                Test = info.Name.EndsWith("_test.go", StringComparison.Ordinal),
                GoBuild = header.GoBuild,
                PlusBuild = header.PlusBuild,
                Directives = header.Directives,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (unreadable.Count < 20) unreadable.Add(relative);
            return null;
        }
    }
}
