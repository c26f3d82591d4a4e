namespace GoBuildRules.Rules.CloudEnv.Collection;

/// <summary>One line of /proc/self/mountinfo.</summary>
internal sealed record MountEntry(string Root, string MountPoint, string FileSystem, string SuperOptions);

internal static class Mounts
{
    /// <summary>Parses /proc/self/mountinfo text; malformed lines are skipped.</summary>
    public static IReadOnlyList<MountEntry> ParseMountInfo(string text)
    {
        var entries = new List<MountEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mountpoint options [optional fields…] - fstype source superoptions
            var fields = line.Split(' ');
            var dash = Array.IndexOf(fields, "-");
            if (fields.Length < 7 || dash < 6 || dash + 3 > fields.Length)
            {
                continue;
            }

            entries.Add(new MountEntry(Unescape(fields[3]), Unescape(fields[4]), fields[dash + 1], dash + 3 < fields.Length ? fields[dash + 3] : ""));
        }

        return entries;
    }

    /// <summary>The mount holding a path: the longest mount point that is a prefix of it (later mounts win ties).</summary>
    public static MountEntry? Find(IReadOnlyList<MountEntry> mounts, string path)
    {
        MountEntry? best = null;
        foreach (var m in mounts)
        {
            if (IsUnder(path, m.MountPoint) && (best is null || m.MountPoint.Length >= best.MountPoint.Length))
            {
                best = m;
            }
        }

        return best;
    }

    public static bool IsUnder(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\'))
        {
            return field;
        }

        var sb = new System.Text.StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).ToArray().All(c => c is >= '0' and <= '7'))
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
}
