using System.Runtime.InteropServices;
using GoBuildRules.Core.Engine;
using Microsoft.Extensions.Hosting;

namespace GoBuildRules.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM (CI cancellation, `docker stop`, `timeout`) for one command: the
/// first signal cancels <see cref="Token"/>, which every collector, probe, feed request, file read
/// and render observes. Work that cannot observe it (a read blocked in the kernel on a FIFO, a
/// thread of a pack that ignores its token) must not keep the process alive: after
/// <see cref="Grace"/> the process exits anyway. Exit runs the ProcessExit handlers, which kill
/// child processes and delete partial outputs (see ProcessRunner and AtomicOutputs).
/// </summary>
internal sealed class Termination : IDisposable
{
    /// <summary>Well inside the one second the tool promises between a signal and its exit.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(700);

    private readonly CancellationTokenSource cts = new();
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly Action<string> report;
    private Timer? watchdog;
    private int exitCode;

    /// <param name="report">Writes the one line that says why the tool stops.</param>
    public Termination(Action<string> report)
    {
        this.report = report;
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal));
        registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal));
    }

    public CancellationToken Token => cts.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM (128 + the signal number, as shells report it), else null.</summary>
    public int? ExitCode => Volatile.Read(ref exitCode) is var code and > 0 ? code : null;

    private void OnSignal(PosixSignalContext context)
    {
        // The default would kill the process at once, skipping the cleanup of children and partial files.
        context.Cancel = true;
        var code = context.Signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
        if (Interlocked.CompareExchange(ref exitCode, code, 0) != 0)
        {
            return;
        }

        cts.Cancel();
        watchdog = new Timer(_ => ForceExit(), null, Grace, Timeout.InfiniteTimeSpan);
    }

    private void ForceExit()
    {
        report($"{(exitCode == ExitCodes.Terminated ? "terminated (SIGTERM)" : "interrupted")}; work still running was abandoned");
        Environment.Exit(exitCode);
    }

    public void Dispose()
    {
        foreach (var r in registrations)
        {
            r.Dispose();
        }

        watchdog?.Dispose();
        cts.Dispose();
    }
}

/// <summary>
/// Replaces the generic host's console lifetime: <see cref="Termination"/> owns SIGINT and SIGTERM,
/// and the console lifetime's exit handler would hold a forced exit for its shutdown timeout.
/// </summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
