using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Collection;

/// <summary>
/// The module's cgo use, from the scan's repository index (<see cref="Snapshot.Repository"/>, which
/// already follows go's package walk: no testdata, '.'/'_' folders, nested modules or symbolic
/// links). The pack does not walk: it only reads the head of each file the index says imports "C",
/// for its build constraints and #cgo directives.
/// </summary>
internal static class CgoSources
{
    /// <summary>How much of one .go file is read: imports come first, so the head is enough.</summary>
    private const int MaxGoBytes = 256 * 1024;

    public static CgoSourceFacts From(RepositoryIndex index, string root, CancellationToken ct)
    {
        var unreadable = new List<string>();
        var files = new List<CgoGoFile>();
        string? cutShort = null;
        foreach (var file in index.Go.CgoFiles)
        {
            if (ct.IsCancellationRequested)
            {
                cutShort = "the collection deadline was reached";
                break;
            }

            if (Read(root, file, unreadable) is { } read) files.Add(read);
        }

        return new CgoSourceFacts { CgoFiles = files, Unreadable = unreadable.Take(20).ToList(), CutShort = cutShort };
    }

    private static CgoGoFile? Read(string root, CgoFileRef file, List<string> unreadable)
    {
        var full = Path.Combine(root, file.Path);
        try
        {
            var info = new FileInfo(full);
            // Zero length also covers FIFOs and other special files, which would block a read.
            if (!info.Exists || info.Length == 0) return null;
            string text;
            using (var stream = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 4096, FileOptions.SequentialScan))
            using (var reader = new StreamReader(stream))
            {
                var buffer = new char[Math.Min(MaxGoBytes, (int)Math.Min(info.Length, int.MaxValue))];
                var read = reader.ReadBlock(buffer, 0, buffer.Length);
                text = new string(buffer, 0, read);
            }

            var header = GoHeaderScanner.Scan(text);
            // The file changed since the walk and no longer imports "C".
            if (header.ImportCLine is not { } line) return null;
            return new CgoGoFile(file.Path, line)
            {
                Package = header.Package,
                Vendor = file.Vendor,
                Test = file.Path.EndsWith("_test.go", StringComparison.Ordinal),
                GoBuild = header.GoBuild,
                PlusBuild = header.PlusBuild,
                Directives = header.Directives,
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            unreadable.Add(file.Path);
            return null;
        }
    }
}
