using System.Globalization;
using System.Runtime.InteropServices;

namespace GoBuildRules.Core.Collection;

/// <summary>
/// A file's identity as /proc/locks prints it (device major:minor and inode), read with statx(2)
/// because .NET exposes neither. statx's struct has one layout on every architecture, unlike stat's.
/// </summary>
internal static partial class FileId
{
    private const int AtFdCwd = -100;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;
    private const int InodeOffset = 32;
    private const int DevMajorOffset = 136;
    private const int DevMinorOffset = 140;

    public static string Format(uint major, uint minor, ulong inode) =>
        string.Create(CultureInfo.InvariantCulture, $"{major}:{minor}:{inode}");

    /// <summary>"major:minor:inode" of the file (symbolic links followed, so /proc/PID/fd/N gives the open file), or null.</summary>
    public static string? Of(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = new byte[StatxSize];
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxIno, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // A C library without statx (glibc before 2.28, some musl builds): locks stay unmapped.
            return null;
        }

        return Format(
            BitConverter.ToUInt32(buffer, DevMajorOffset),
            BitConverter.ToUInt32(buffer, DevMinorOffset),
            BitConverter.ToUInt64(buffer, InodeOffset));
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
