namespace GoBuildRules.Tests.Shared;

/// <summary>A scratch folder for one test, deleted afterwards (read-only files included).</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder(string prefix = "gbr")
    {
        Path = Directory.CreateTempSubdirectory(prefix + "-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file below the folder, creating parent folders.</summary>
    public string Write(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            // Links are skipped, not followed: a test may plant a symlink loop.
            var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
            foreach (var f in Directory.EnumerateFileSystemEntries(Path, "*", options))
            {
                // The module cache is written read-only by go.
                if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(f, File.GetUnixFileMode(f) | UnixFileMode.UserWrite | UnixFileMode.UserRead | UnixFileMode.UserExecute);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
