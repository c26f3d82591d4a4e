using System.ComponentModel;
using System.Diagnostics;
using GoBuildRules.Core.Diagnostics;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>
/// The one place the tool starts programs. Every run has a deadline; on expiry the whole process
/// tree is killed, so a `go` that waits on a stalled proxy cannot hold the scan.
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    /// <summary>Children still running; killed (whole trees) if the tool exits first, e.g. after a signal.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Process, bool> running = new();

    private volatile bool exiting;

    public ProcessRunner()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            exiting = true;
            foreach (var child in running.Keys)
            {
                Kill(child);
            }
        };
    }

    public async Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
    {
        using var span = Timing.Start($"process: {Path.GetFileName(request.FileName)} {string.Join(' ', request.Arguments.Take(2))}");
        var stopwatch = Stopwatch.StartNew();
        var psi = new ProcessStartInfo(request.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = request.WorkingDirectory ?? "",
        };
        foreach (var argument in request.Arguments)
        {
            psi.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in request.Environment)
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

        // A cancelled scan starts nothing more: a child started now could outlive the tool.
        if (cancellationToken.IsCancellationRequested || exiting)
        {
            return new ProcessResult(ProcessOutcome.TimedOut, -1, "", "not started: the scan was cancelled", stopwatch.Elapsed);
        }

        // No time left: starting a child only to kill it costs the scan a fork, an exec and a kill it does not have.
        if (request.Timeout <= TimeSpan.Zero)
        {
            return new ProcessResult(ProcessOutcome.TimedOut, -1, "", "not started: no time was left before the deadline", stopwatch.Elapsed);
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            if (!process.Start())
            {
                return new ProcessResult(ProcessOutcome.FailedToStart, -1, "", "the process did not start", stopwatch.Elapsed);
            }
        }
        catch (Win32Exception e) when (e.NativeErrorCode == 2)
        {
            return new ProcessResult(ProcessOutcome.NotFound, -1, "", e.Message, stopwatch.Elapsed);
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(ProcessOutcome.FailedToStart, -1, "", e.Message, stopwatch.Elapsed);
        }

        running.TryAdd(process, true);
        if (exiting)
        {
            Kill(process);
        }

        try
        {
            return await WaitAsync(process, request, stopwatch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            running.TryRemove(process, out _);
        }
    }

    private static async Task<ProcessResult> WaitAsync(Process process, ProcessRequest request, Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        // A child that reads stdin must see EOF, never wait for a person.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.Timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            var partial = await DrainAsync(stdout, stderr, DrainAfterKill).ConfigureAwait(false);
            return new ProcessResult(ProcessOutcome.TimedOut, -1, partial.Out, partial.Err, stopwatch.Elapsed);
        }

        var output = await DrainAsync(stdout, stderr).ConfigureAwait(false);
        return new ProcessResult(ProcessOutcome.Exited, process.ExitCode, output.Out, output.Err, stopwatch.Elapsed);
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!OperatingSystem.IsLinux() || !KillTree(process.Id))
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// The child and its descendants, found through /proc/PID/task/TID/children, each killed with
    /// SIGKILL. Process.Kill(entireProcessTree) reads every process on the machine to find them, which
    /// on a loaded machine takes long enough to break the scan's deadline. The child is stopped first so
    /// that it cannot start another while its tree is read. False when /proc has no children files.
    /// </summary>
    private static bool KillTree(int pid)
    {
        if (!File.Exists($"/proc/{pid}/task/{pid}/children"))
        {
            return false;
        }

        _ = Watch.Native.Kill(pid, SIGSTOP);
        var tree = new List<int> { pid };
        for (var i = 0; i < tree.Count && tree.Count < MaxTree; i++)
        {
            tree.AddRange(ChildrenOf(tree[i]));
        }

        foreach (var p in tree)
        {
            _ = Watch.Native.Kill(p, Watch.Native.SIGKILL);
        }

        return true;
    }

    private const int SIGSTOP = 19;

    /// <summary>Bounds the walk of a tree that forks faster than it is read.</summary>
    private const int MaxTree = 4096;

    private static IEnumerable<int> ChildrenOf(int pid)
    {
        var children = new List<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                foreach (var field in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (int.TryParse(field, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var child))
                    {
                        children.Add(child);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone meanwhile: its children, if any, were re-parented and are read from there no more.
        }

        return children;
    }

    /// <summary>
    /// After a kill the whole tree is gone and the pipes close at once; a grandchild that left the tree
    /// (setsid) may keep them open, and the scan's deadline must not wait for it.
    /// </summary>
    private static readonly TimeSpan DrainAfterKill = TimeSpan.FromMilliseconds(100);

    private static async Task<(string Out, string Err)> DrainAsync(Task<string> stdout, Task<string> stderr, TimeSpan? bound = null)
    {
        var both = Task.WhenAll(stdout, stderr);
        await Task.WhenAny(both, Task.Delay(bound ?? TimeSpan.FromMilliseconds(500))).ConfigureAwait(false);
        return (stdout.IsCompletedSuccessfully ? stdout.Result : "", stderr.IsCompletedSuccessfully ? stderr.Result : "");
    }
}
