namespace GoBuildRules.Core.IO;

/// <summary>
/// Replaces a file of the user's (gobuildrules.json, gobuildrules.lock.json) in one rename: a
/// reader sees the old text or the new, never half of one, and a failure leaves the old file.
/// </summary>
public static class AtomicFile
{
    /// <exception cref="InputFileException">The file or its folder cannot be written; nothing changed.</exception>
    public static void WriteAllText(string path, string text, string what)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new InputFileException($"cannot write {what} {full}: it is a directory");
        }

        if (File.Exists(full) && !RegularFile.Is(full))
        {
            throw new InputFileException($"cannot write {what} {full}: it is not a regular file");
        }

        if (File.Exists(full))
        {
            // The rename below would replace a read-only file too; the user made it read-only.
            try
            {
                using (new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
                {
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputFileException($"cannot write {what} {full}: {e.Message}");
            }
        }

        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            if (!OperatingSystem.IsWindows() && File.Exists(full))
            {
                File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            }

            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputFileException($"cannot write {what} {full}: {e.Message}");
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort; the temp file is hidden and named after its target.
            }
        }
    }
}
