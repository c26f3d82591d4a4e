namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>Finds the mount holding a path in /proc/mounts (the longest mount point above it).</summary>
internal static class MountTable
{
    public static MountFact? Find(string mountsFile, string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(mountsFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        MountFact? best = null;
        foreach (var line in lines)
        {
            var f = line.Split(' ');
            if (f.Length < 4)
            {
                continue;
            }

            var point = Unescape(f[1]);
            var under = point == "/" || path == point || path.StartsWith(point + "/", StringComparison.Ordinal);
            // Later lines shadow earlier ones on the same point (over-mounts), so >= keeps the last.
            if (under && (best is null || point.Length >= best.MountPoint.Length))
            {
                best = new MountFact(point, f[2], Unescape(f[0]), f[3]);
            }
        }

        return best;
    }

    // /proc/mounts escapes space, tab, newline and backslash as octal.
    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
