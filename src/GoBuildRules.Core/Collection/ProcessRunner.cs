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
            var partial = await DrainAsync(stdout, stderr).ConfigureAwait(false);
            return new ProcessResult(ProcessOutcome.TimedOut, -1, partial.Out, partial.Err, stopwatch.Elapsed);
        }

        var output = await DrainAsync(stdout, stderr).ConfigureAwait(false);
        return new ProcessResult(ProcessOutcome.Exited, process.ExitCode, output.Out, output.Err, stopwatch.Elapsed);
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    // Grandchildren may keep the pipes open after a kill; never wait on them for long.
    private static async Task<(string Out, string Err)> DrainAsync(Task<string> stdout, Task<string> stderr)
    {
        var both = Task.WhenAll(stdout, stderr);
        await Task.WhenAny(both, Task.Delay(TimeSpan.FromMilliseconds(500))).ConfigureAwait(false);
        return (stdout.IsCompletedSuccessfully ? stdout.Result : "", stderr.IsCompletedSuccessfully ? stderr.Result : "");
    }
}
