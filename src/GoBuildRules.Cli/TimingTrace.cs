using System.Diagnostics;
using GoBuildRules.Core.Diagnostics;

namespace GoBuildRules.Cli;

/// <summary>
/// GOBUILDRULES_TRACE_TIMINGS=1: one stderr line per finished span (<see cref="Timing"/>) with its
/// start since the process started, its wall time, and the process's CPU time and the methods the JIT
/// compiled over it (all threads, so spans that overlap share them). For measuring the scan, not for parsing.
/// </summary>
public sealed class TimingTrace : IDisposable
{
    public const string Variable = "GOBUILDRULES_TRACE_TIMINGS";

    private readonly ActivityListener listener;
    private readonly DateTime processStart;
    private readonly TextWriter writer;
    private readonly Lock gate = new();

    private TimingTrace(TextWriter writer)
    {
        this.writer = writer;
        processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
        Write($"{"start-up until Main",-48} +0 ms, {(DateTime.UtcNow - processStart).TotalMilliseconds,6:0} ms, cpu {Environment.CpuUsage.TotalTime.TotalMilliseconds,6:0} ms");
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == Timing.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStarted = a =>
            {
                a.SetCustomProperty("cpu", Environment.CpuUsage.TotalTime);
                a.SetCustomProperty("jit", System.Runtime.JitInfo.GetCompiledMethodCount());
            },
            ActivityStopped = a =>
            {
                var cpu = Environment.CpuUsage.TotalTime - (a.GetCustomProperty("cpu") as TimeSpan? ?? TimeSpan.Zero);
                var jit = System.Runtime.JitInfo.GetCompiledMethodCount() - (a.GetCustomProperty("jit") as long? ?? 0);
                Write($"{a.OperationName,-48} +{(a.StartTimeUtc - processStart).TotalMilliseconds:0} ms, {a.Duration.TotalMilliseconds,6:0} ms, cpu {cpu.TotalMilliseconds,6:0} ms, jit {jit,5}");
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The trace when the environment asks for it, else null.</summary>
    public static TimingTrace? FromEnvironment(TextWriter writer) =>
        Environment.GetEnvironmentVariable(Variable) == "1" ? new TimingTrace(writer) : null;

    private void Write(string line)
    {
        lock (gate)
        {
            writer.WriteLine($"gobuildrules: timing: {line}");
        }
    }

    public void Dispose()
    {
        Write($"{"process until exit",-48} +0 ms, {(DateTime.UtcNow - processStart).TotalMilliseconds,6:0} ms, cpu {Environment.CpuUsage.TotalTime.TotalMilliseconds,6:0} ms");
        // What ReadyToRun did not precompile: a pack or assembly that is not precompiled shows up here.
        Write($"JIT: {System.Runtime.JitInfo.GetCompiledMethodCount()} methods compiled at run time in {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms");
        listener.Dispose();
    }
}
