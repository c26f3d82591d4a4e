using System.Text;
using Microsoft.Win32.SafeHandles;

namespace GoBuildRules.Core.Watch;

/// <summary>
/// Copies what the command writes to a pipe on to watch's own stdout or stderr, byte for byte, and
/// keeps the tail (and, while a goroutine dump is being taken, everything) for the capture. Used only
/// for a stream that is not a terminal: a terminal is inherited as is, so go still sees a terminal.
/// </summary>
internal sealed class OutputTee
{
    private const int TailBytes = 64 * 1024;
    private const int MaxCaptureBytes = 8 * 1024 * 1024;

    private readonly object gate = new();
    private readonly byte[] tail = new byte[TailBytes];
    private readonly List<Thread> pumps = [];
    private long tailLength;
    private MemoryStream? capture;

    public DateTimeOffset LastWrite { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Starts copying <paramref name="readFd"/> (this process's end of a pipe) to <paramref name="target"/>.</summary>
    public void Pump(int readFd, Stream target)
    {
        var thread = new Thread(() => Copy(readFd, target)) { IsBackground = true, Name = "watch output" };
        pumps.Add(thread);
        thread.Start();
    }

    private void Copy(int readFd, Stream target)
    {
        using var source = new FileStream(new SafeFileHandle(readFd, ownsHandle: true), FileAccess.Read, bufferSize: 0);
        var buffer = new byte[16 * 1024];
        var targetOpen = true;
        while (true)
        {
            int n;
            try
            {
                n = source.Read(buffer, 0, buffer.Length);
            }
            catch (IOException)
            {
                return;
            }

            if (n <= 0)
            {
                return;
            }

            if (targetOpen)
            {
                try
                {
                    target.Write(buffer, 0, n);
                    target.Flush();
                }
                catch (IOException)
                {
                    // Our reader went away (`watch … | head`): the command would have had SIGPIPE
                    // writing to it directly; closing our end gives it EPIPE/SIGPIPE on its next write.
                    targetOpen = false;
                    return;
                }
            }

            Record(buffer.AsSpan(0, n));
        }
    }

    private void Record(ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            LastWrite = DateTimeOffset.UtcNow;
            capture?.Write(data.Length <= MaxCaptureBytes - capture.Length ? data : data[..(int)Math.Max(0, MaxCaptureBytes - capture.Length)]);
            foreach (var b in data.Length > TailBytes ? data[^TailBytes..] : data)
            {
                tail[tailLength++ % TailBytes] = b;
            }
        }
    }

    /// <summary>From now on keep every byte, until <see cref="EndCapture"/>.</summary>
    public void BeginCapture()
    {
        lock (gate)
        {
            capture = new MemoryStream();
        }
    }

    /// <summary>How many bytes the capture holds now: a position to cut it at later.</summary>
    public int Mark()
    {
        lock (gate)
        {
            return (int)(capture?.Length ?? 0);
        }
    }

    public byte[] EndCapture()
    {
        lock (gate)
        {
            var bytes = capture?.ToArray() ?? [];
            capture = null;
            return bytes;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines written, decoded as UTF-8.</summary>
    public IReadOnlyList<string> Tail(int lines)
    {
        byte[] bytes;
        lock (gate)
        {
            var length = (int)Math.Min(tailLength, TailBytes);
            bytes = new byte[length];
            var start = tailLength - length;
            for (var i = 0; i < length; i++)
            {
                bytes[i] = tail[(start + i) % TailBytes];
            }
        }

        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\n');
        var all = text.Length == 0 ? [] : text.Split('\n');
        // The first line may be cut in the middle once the buffer has wrapped.
        return all.Skip(Math.Max(tailLength > TailBytes ? 1 : 0, all.Length - lines)).ToList();
    }

    /// <summary>Waits until every writer has closed its end (EOF) or <paramref name="within"/> has passed.</summary>
    public void Drain(TimeSpan within)
    {
        var deadline = DateTimeOffset.UtcNow + within;
        foreach (var t in pumps)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            t.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }
}
