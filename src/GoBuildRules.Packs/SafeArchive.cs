using System.IO.Compression;

namespace GoBuildRules.Packs;

/// <summary>
/// Reads a .nupkg as an untrusted zip. Every entry is checked before anything is written: an entry
/// that climbs out of the target (zip slip), an absolute or drive-rooted path, a symbolic link or an
/// oversized archive refuses the whole package.
/// </summary>
public static class SafeArchive
{
    /// <summary>Generous for rule packs (which are kilobytes) while stopping zip bombs.</summary>
    public const long MaxExtractedBytes = 512L * 1024 * 1024;

    private static readonly string[] PackagingMetadata = ["[Content_Types].xml", "_rels/", "package/", ".signature.p7s"];

    /// <summary>The entries to extract, or a <see cref="PackException"/> naming the first unsafe one.</summary>
    public static IReadOnlyList<ZipArchiveEntry> Validate(ZipArchive zip, string packageName)
    {
        var entries = new List<ZipArchiveEntry>();
        long total = 0;
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            var problem = Problem(entry);
            if (problem is not null)
            {
                throw new PackRefusedException($"{packageName} refused: entry '{name}' {problem}; nothing was extracted");
            }

            total += entry.Length;
            if (total > MaxExtractedBytes)
            {
                throw new PackRefusedException($"{packageName} refused: it expands to more than {MaxExtractedBytes / (1024 * 1024)} MB");
            }

            if (!PackagingMetadata.Any(m => m.EndsWith('/') ? name.StartsWith(m, StringComparison.OrdinalIgnoreCase) : string.Equals(name, m, StringComparison.OrdinalIgnoreCase))
                && !name.EndsWith('/'))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    private static string? Problem(ZipArchiveEntry entry)
    {
        var name = entry.FullName;
        if (name.Length == 0 || name.Contains('\0'))
        {
            return "has no usable name";
        }

        var unescaped = Uri.UnescapeDataString(name);
        foreach (var n in new[] { name, unescaped })
        {
            if (n.StartsWith('/') || n.StartsWith('\\') || (n.Length > 1 && n[1] == ':') || Path.IsPathRooted(n))
            {
                return "is an absolute path";
            }
        }

        if (unescaped.Split('/', '\\').Any(s => s == "..") || name.Split('/', '\\').Any(s => s == ".."))
        {
            return "climbs out of the package folder (path traversal)";
        }

        // The upper 16 bits of the external attributes carry the Unix mode of entries zipped on Unix.
        var unixType = (entry.ExternalAttributes >> 16) & 0xF000;
        if (unixType == 0xA000)
        {
            return "is a symbolic link";
        }

        if (unixType is not (0 or 0x8000 or 0x4000))
        {
            return "is not a regular file";
        }

        return null;
    }

    /// <summary>Extracts validated entries below <paramref name="target"/>, checking each resolved path once more.</summary>
    public static void Extract(IReadOnlyList<ZipArchiveEntry> entries, string target, string packageName) =>
        Extract(entries, target, packageName, name => name, overwrite: false);

    /// <param name="map">The entry's (unescaped) path inside the target, or null to skip the entry.</param>
    public static void Extract(IReadOnlyList<ZipArchiveEntry> entries, string target, string packageName, Func<string, string?> map, bool overwrite)
    {
        var root = Path.GetFullPath(target) + Path.DirectorySeparatorChar;
        foreach (var entry in entries)
        {
            var relative = map(Uri.UnescapeDataString(entry.FullName).Replace('\\', '/'));
            if (relative is null)
            {
                continue;
            }

            var destination = Path.GetFullPath(Path.Combine(root, relative));
            if (!destination.StartsWith(root, StringComparison.Ordinal))
            {
                throw new PackRefusedException($"{packageName} refused: entry '{entry.FullName}' resolves outside the pack folder");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (File.Exists(destination) && !overwrite)
            {
                continue;
            }

            using var input = entry.Open();
            using var output = new FileStream(destination, FileMode.Create, FileAccess.Write);
            input.CopyTo(output);
        }
    }
}
