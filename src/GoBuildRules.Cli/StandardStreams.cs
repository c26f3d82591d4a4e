using System.Text;

namespace GoBuildRules.Cli;

/// <summary>
/// Standard output and error that never throw and never hang the tool: a closed stream
/// (`>&-`, `2>&-`), a full device (`>/dev/full`) or a reader that went away turns writes into
/// no-ops, and the exit code still tells the outcome. Installed once, at start-up.
/// </summary>
internal static class StandardStreams
{
    public static void Install()
    {
        Console.SetOut(new GuardedWriter(StandardStream(1, Console.OpenStandardOutput)));
        Console.SetError(new GuardedWriter(StandardStream(2, Console.OpenStandardError)));
    }

    private static TextWriter StandardStream(int fd, Func<Stream> open) =>
        ClosedAtStart(fd) ? TextWriter.Null : new StreamWriter(open(), new UTF8Encoding(false), 4096) { AutoFlush = true };

    /// <summary>
    /// A descriptor the parent closed is reused by the runtime for its own pipes and event
    /// descriptors before Main runs; writing there would feed the runtime's signal pipe (and block
    /// once it is full). Such a pipe has its read end in this process too, while a genuine standard
    /// stream's reader is another process (the runtime does keep write-only duplicates of the real
    /// stdout and stderr, so a shared write end alone proves nothing).
    /// </summary>
    private static bool ClosedAtStart(int fd)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            if (target is null)
            {
                return true;
            }

            if (target.StartsWith("anon_inode:", StringComparison.Ordinal))
            {
                return true;
            }

            if (!target.StartsWith("pipe:", StringComparison.Ordinal))
            {
                return false;
            }

            if (ReadEnd(fd))
            {
                return true;
            }

            foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            {
                if (int.TryParse(Path.GetFileName(entry), out var other) && other != fd
                    && new FileInfo(entry).LinkTarget == target && ReadEnd(other))
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No /proc/self/fd entry: the descriptor is closed.
            return true;
        }
    }

    /// <summary>Whether the descriptor was opened read-only (O_ACCMODE of the octal "flags:" in fdinfo is 0).</summary>
    private static bool ReadEnd(int fd)
    {
        try
        {
            var flags = File.ReadLines($"/proc/self/fdinfo/{fd}").FirstOrDefault(l => l.StartsWith("flags:", StringComparison.Ordinal));
            return flags is not null && Convert.ToInt32(flags["flags:".Length..].Trim(), 8) % 4 == 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }
    }

    private sealed class GuardedWriter(TextWriter inner) : TextWriter
    {
        private bool broken;

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value) => Guard(() => inner.Write(value));

        public override void Write(string? value) => Guard(() => inner.Write(value));

        public override void Write(char[] buffer, int index, int count) => Guard(() => inner.Write(buffer, index, count));

        public override void WriteLine(string? value) => Guard(() => inner.WriteLine(value));

        public override void Flush() => Guard(inner.Flush);

        private void Guard(Action write)
        {
            if (broken)
            {
                return;
            }

            try
            {
                write();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or UnauthorizedAccessException or NotSupportedException)
            {
                broken = true;
            }
        }
    }
}
