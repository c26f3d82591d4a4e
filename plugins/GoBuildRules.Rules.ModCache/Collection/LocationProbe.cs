using System.Runtime.InteropServices;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>Existence, writability, filesystem and free space of one folder, without writing to it.</summary>
public static partial class LocationProbe
{
    public sealed record Mount(string Source, string MountPoint, string Type, bool ReadOnly);

    /// <summary>Reads /proc/mounts; empty when it cannot be read (not Linux, no /proc).</summary>
    public static IReadOnlyList<Mount> ReadMounts(string file = "/proc/mounts")
    {
        try
        {
            return File.Exists(file) ? ParseMounts(File.ReadAllText(file)) : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static IReadOnlyList<Mount> ParseMounts(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(f => f.Length >= 4)
            .Select(f => new Mount(Unescape(f[0]), Unescape(f[1]), f[2], f[3].Split(',').Contains("ro")))
            .ToList();

    /// <summary>The mount holding the path: the longest mount point that contains it (the last one mounted wins).</summary>
    public static Mount? MountOf(string path, IReadOnlyList<Mount> mounts)
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
        var mount = MountOf(existing, mounts);
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
            FileSystemType = mount?.Type,
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

    private static string Unescape(string field) =>
        field.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
