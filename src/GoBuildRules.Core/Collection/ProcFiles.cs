namespace GoBuildRules.Core.Collection;

/// <summary>Reads of /proc that a vanished process or a denied file turn into null: the one helper of the live-process reader and watch.</summary>
internal static class ProcFiles
{
    /// <summary>A /proc file's text, or null when it cannot be read (the process ended, another user's).</summary>
    public static string? Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Where a /proc link (cwd, exe, fd/N) points, or null.</summary>
    public static string? Link(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
