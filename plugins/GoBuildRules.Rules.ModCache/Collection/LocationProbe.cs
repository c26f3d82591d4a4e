using System.Runtime.InteropServices;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>Existence, writability, filesystem and free space of one folder, without writing to it.</summary>
internal static partial class LocationProbe
{
    public static CacheLocation Probe(string role, string path, IReadOnlyList<Mount> mounts)
    {
        var full = Path.GetFullPath(path);
        var resolved = Resolve(full);
        var exists = Directory.Exists(resolved);
        var existing = resolved;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var (writable, reason) = CanWrite(existing);
        var mount = MountTable.Holding(mounts, existing);
        long? free = null, total = null;
        try
        {
            var drive = new DriveInfo(existing);
            free = drive.AvailableFreeSpace;
            total = drive.TotalSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Free space stays unknown; the rules then say nothing about it.
        }

        return new CacheLocation(role, full)
        {
            Exists = exists,
            Writable = writable,
            NotWritableReason = reason,
            NearestExisting = exists ? null : existing,
            FileSystemType = mount?.FileSystem,
            MountPoint = mount?.MountPoint,
            MountSource = mount is null ? null : GoBuildRules.Sdk.Secrets.Redact(mount.Source),
            ReadOnlyMount = mount?.ReadOnly ?? false,
            FreeBytes = free,
            TotalBytes = total,
        };
    }

    // Symlinked caches (~/.cache -> /mnt/nfs/…) live where the link points.
    private static string Resolve(string path)
    {
        try
        {
            var info = new DirectoryInfo(path);
            return info.Exists && info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path : path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return path;
        }
    }

    private static (bool Writable, string? Reason) CanWrite(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            return (true, null);
        }

        // access(2) answers for this user and this mount (EROFS for a read-only filesystem) without writing.
        const int W_OK = 2, X_OK = 1;
        if (Access(folder, W_OK | X_OK) == 0)
        {
            return (true, null);
        }

        var errno = Marshal.GetLastPInvokeError();
        return (false, Marshal.GetPInvokeErrorMessage(errno));
    }

    [LibraryImport("libc", EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Access(string path, int mode);
}
