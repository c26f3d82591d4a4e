using GoBuildRules.Core.IO;
using GoBuildRules.Reporting;

namespace GoBuildRules.Cli;

/// <summary>
/// Writes the reports of one run as a transaction. Every target is checked before anything is
/// rendered (distinct paths, an existing writable folder, not a directory); every report is then
/// written to a temporary file in its target's folder, and only when all of them (and any device
/// or pipe target) were written are the temporary files renamed over the targets, one atomic
/// rename each. A failure or a signal before that leaves every previous file as it was.
/// </summary>
internal static class AtomicOutputs
{
    /// <summary>A checked destination: null File is standard output; Stream is a device or pipe written in place.</summary>
    public sealed record Target(string? File, string? FullPath, bool Stream);

    /// <summary>Checks every destination before any work is done.</summary>
    /// <exception cref="UsageException">Two reports share a file, or a file cannot be written.</exception>
    public static IReadOnlyList<Target> Check(IEnumerable<string?> files)
    {
        var comparer = OperatingSystem.IsLinux() ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;
        var seen = new Dictionary<string, string>(comparer);
        var targets = new List<Target>();
        foreach (var file in files)
        {
            if (file is null)
            {
                targets.Add(new Target(null, null, Stream: false));
                continue;
            }

            string full;
            try
            {
                full = Path.GetFullPath(file);
                // Replace the file a link points to, not the link.
                if (File.Exists(full) && new FileInfo(full).LinkTarget is not null && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } linked)
                {
                    full = linked.FullName;
                }
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or NotSupportedException)
            {
                throw new UsageException($"cannot write {file}: {e.Message}");
            }

            if (!seen.TryAdd(full, file))
            {
                throw new UsageException($"{file} is given for two reports ({seen[full]} and {file} are the same file); give each format its own file");
            }

            if (Directory.Exists(full))
            {
                throw new UsageException($"cannot write {file}: it is a directory");
            }

            var dir = Path.GetDirectoryName(full);
            if (dir is null || !Directory.Exists(dir))
            {
                throw new UsageException($"cannot write {file}: folder {dir} does not exist");
            }

            var stream = File.Exists(full) && !RegularFile.Is(full);
            if (!stream)
            {
                // The only honest check that the folder takes a new file is making one.
                var probe = TempPathFor(full);
                try
                {
                    using (File.Create(probe, 1, FileOptions.DeleteOnClose))
                    {
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot write {file}: folder {dir} is not writable ({e.Message})");
                }
            }

            targets.Add(new Target(file, full, stream));
        }

        return targets;
    }

    /// <summary>Writes rendered reports: files atomically and together, standard output last.</summary>
    public static void Commit(Output output, IReadOnlyList<(Target Target, string Text)> reports, CancellationToken ct)
    {
        var temps = new List<(string Temp, Target Target)>();
        void Cleanup(object? sender, EventArgs e)
        {
            foreach (var (temp, _) in temps)
            {
                TryDelete(temp);
            }
        }

        // A forced exit after a signal skips finally blocks but runs ProcessExit handlers.
        AppDomain.CurrentDomain.ProcessExit += Cleanup;
        var committed = false;
        try
        {
            foreach (var (target, text) in reports.Where(r => r.Target.FullPath is not null && !r.Target.Stream))
            {
                ct.ThrowIfCancellationRequested();
                var temp = TempPathFor(target.FullPath!);
                temps.Add((temp, target));
                Write(target, temp, text, keepModeOf: target.FullPath!);
            }

            foreach (var (target, text) in reports.Where(r => r.Target.Stream))
            {
                ct.ThrowIfCancellationRequested();
                Write(target, target.FullPath!, text, keepModeOf: null);
            }

            ct.ThrowIfCancellationRequested();
            foreach (var (temp, target) in temps)
            {
                try
                {
                    File.Move(temp, target.FullPath!, overwrite: true);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new UsageException($"cannot write {target.File}: {e.Message}");
                }
            }

            committed = true;
        }
        finally
        {
            AppDomain.CurrentDomain.ProcessExit -= Cleanup;
            if (!committed)
            {
                Cleanup(null, EventArgs.Empty);
            }
        }

        foreach (var (_, text) in reports.Where(r => r.Target.FullPath is null))
        {
            output.WriteStdout(text);
        }
    }

    private static void Write(Target target, string path, string text, string? keepModeOf)
    {
        try
        {
            using (var stream = new FileStream(path, keepModeOf is null ? FileMode.Open : FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(text);
                writer.Flush();
                if (keepModeOf is not null)
                {
                    stream.Flush(flushToDisk: true);
                }
            }

            if (keepModeOf is not null && !OperatingSystem.IsWindows() && File.Exists(keepModeOf))
            {
                File.SetUnixFileMode(path, File.GetUnixFileMode(keepModeOf));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot write {target.File}: {e.Message}");
        }
    }

    private static string TempPathFor(string full) =>
        Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.gobuildrules-{Guid.NewGuid():N}.tmp");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: the temp file is hidden and named after the tool.
        }
    }
}
