using System.Runtime.InteropServices;

namespace GoBuildRules.Core.IO;

/// <summary>A file the user named could not be read as what it should be; the message is for the user.</summary>
public sealed class InputFileException(string message) : Exception(message);

/// <summary>
/// Reads a file the user named (config, lock file, snapshot, report, template) the way a regular
/// file should be read: a directory, FIFO or device is refused before it is opened (opening a FIFO
/// blocks, /dev/zero never ends), the size is capped, and the read observes the cancellation token.
/// </summary>
public static class BoundedFile
{
    /// <summary>Far above any real snapshot, report or config, far below what would exhaust memory.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <exception cref="InputFileException">Missing, not a regular file, too large or unreadable.</exception>
    public static string ReadAllText(string path, string what, long maxBytes = DefaultMaxBytes, CancellationToken ct = default)
    {
        Check(path, what);
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
            if (stream.Length > maxBytes)
            {
                throw new InputFileException($"{what} {path} is {stream.Length / (1024 * 1024)} MB, more than the {maxBytes / (1024 * 1024)} MB this tool reads");
            }

            using var reader = new StreamReader(stream);
            var buffer = new char[64 * 1024];
            var text = new System.Text.StringBuilder();
            int read;
            while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                text.Append(buffer, 0, read);
                // The length said at open time may be a lie (a file still growing).
                if (text.Length > maxBytes)
                {
                    throw new InputFileException($"{what} {path} is larger than the {maxBytes / (1024 * 1024)} MB this tool reads");
                }
            }

            return text.ToString();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputFileException($"cannot read {what} {path}: {e.Message}");
        }
    }

    /// <exception cref="InputFileException">The path is missing or not a regular file.</exception>
    public static void Check(string path, string what)
    {
        if (Directory.Exists(path))
        {
            throw new InputFileException($"{what} {path} is a directory, not a file");
        }

        if (!File.Exists(path))
        {
            throw new InputFileException($"{what} {path} does not exist");
        }

        if (!RegularFile.Is(path))
        {
            throw new InputFileException($"{what} {path} is not a regular file (a FIFO, socket or device); give a file");
        }
    }
}

/// <summary>Whether a path is a regular file (after links), without opening it.</summary>
public static class RegularFile
{
    public static bool Is(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(path);
        }

        // .NET has no public API for the file type; the runtime's own native shim has, in a
        // layout that has not changed since .NET Core 1.0 (int32 flags, int32 mode, ...).
        var status = new byte[512];
        if (Stat(path, status) != 0)
        {
            return false;
        }

        const int TypeMask = 0xF000, Regular = 0x8000;
        return (BitConverter.ToInt32(status, 4) & TypeMask) == Regular;
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Stat(string path, byte[] output);
}
