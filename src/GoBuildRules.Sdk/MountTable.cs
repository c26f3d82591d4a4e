namespace GoBuildRules.Sdk;

/// <summary>One line of /proc/mounts: what is mounted where, as which filesystem, with which options.</summary>
internal sealed record Mount(string Source, string MountPoint, string FileSystem, string Options)
{
    public bool ReadOnly => Options.Split(',').Contains("ro");
}

/// <summary>
/// The Linux mount table, for collectors that must say which filesystem holds a folder (NFS, 9p,
/// tmpfs, a read-only overlay…). Reading it is the collector's I/O; parsing and lookup are pure.
/// </summary>
internal static class MountTable
{
    /// <summary>The mounts in <paramref name="file"/>; empty when it cannot be read (not Linux, no /proc).</summary>
    public static IReadOnlyList<Mount> Read(string file = "/proc/mounts")
    {
        try
        {
            return File.Exists(file) ? Parse(File.ReadAllText(file)) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Parses /proc/mounts text ("source point type options dump pass"); short lines are skipped.</summary>
    public static IReadOnlyList<Mount> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(f => f.Length >= 4)
            .Select(f => new Mount(Unescape(f[0]), Unescape(f[1]), f[2], f[3]))
            .ToList();

    /// <summary>The mount holding <paramref name="path"/>: the longest mount point above it; of two on one point, the later (it shadows the earlier).</summary>
    public static Mount? Holding(IReadOnlyList<Mount> mounts, string path)
    {
        Mount? best = null;
        foreach (var m in mounts)
        {
            var contains = m.MountPoint == "/" || path == m.MountPoint || path.StartsWith(m.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal);
            if (contains && (best is null || m.MountPoint.Length >= best.MountPoint.Length))
            {
                best = m;
            }
        }

        return best;
    }

    // The kernel writes space, tab, newline and backslash in these fields as \ooo (octal).
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var sb = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && IsOctal(field, i + 1))
            {
                sb.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                sb.Append(field[i]);
            }
        }

        return sb.ToString();
    }

    private static bool IsOctal(string s, int start) =>
        start + 3 <= s.Length && s.AsSpan(start, 3).IndexOfAnyExceptInRange('0', '7') < 0;
}
