namespace GoBuildRules.Sdk;

/// <summary>
/// One line of /proc/self/mountinfo: what is mounted where, as which filesystem, with which options.
/// <paramref name="Options"/> are the per-mount options (ro, nosuid…); <see cref="Root"/> is the
/// folder of the filesystem that the mount shows (a bind mount or a container's cgroup shows a
/// subtree), <see cref="SuperOptions"/> the filesystem's own options (a cgroup v1 hierarchy names
/// its controllers there).
/// </summary>
public sealed record Mount(string Source, string MountPoint, string FileSystem, string Options)
{
    public string Root { get; init; } = "/";

    public string SuperOptions { get; init; } = "";

    public bool ReadOnly => Options.Split(',').Contains("ro");
}

/// <summary>
/// The Linux mount table (proc(5) /proc/self/mountinfo). The host reads it once per scan into
/// <see cref="Snapshot.Mounts"/>; packs look mounts up there. Parsing and lookup are pure.
/// </summary>
internal static class MountTable
{
    /// <summary>Parses /proc/self/mountinfo text; malformed lines are skipped.</summary>
    public static IReadOnlyList<Mount> ParseMountInfo(string text)
    {
        var mounts = new List<Mount>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // id parent major:minor root mountpoint options [optional fields…] - fstype source superoptions
            var fields = line.Split(' ');
            var dash = fields.Length < 7 ? -1 : Array.IndexOf(fields, "-", 6);
            if (dash < 0 || dash + 2 >= fields.Length)
            {
                continue;
            }

            mounts.Add(new Mount(Unescape(fields[dash + 2]), Unescape(fields[4]), fields[dash + 1], fields[5])
            {
                Root = Unescape(fields[3]),
                SuperOptions = dash + 3 < fields.Length ? fields[dash + 3] : "",
            });
        }

        return mounts;
    }

    /// <summary>The mount holding <paramref name="path"/>: the longest mount point above it; of two on one point, the later (it shadows the earlier).</summary>
    public static Mount? Holding(IReadOnlyList<Mount> mounts, string path)
    {
        Mount? best = null;
        foreach (var m in mounts)
        {
            if (IsUnder(path, m.MountPoint) && (best is null || m.MountPoint.Length >= best.MountPoint.Length))
            {
                best = m;
            }
        }

        return best;
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or below it (by whole path segments).</summary>
    public static bool IsUnder(string path, string folder) =>
        folder == "/" || path == folder || path.StartsWith(folder.TrimEnd('/') + "/", StringComparison.Ordinal);

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
