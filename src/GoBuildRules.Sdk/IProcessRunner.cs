namespace GoBuildRules.Sdk;

/// <summary>Runs a program with a deadline; never throws for a missing program or a timeout.</summary>
public interface IProcessRunner
{
    Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken);
}

public sealed record ProcessRequest(string FileName, IReadOnlyList<string> Arguments, TimeSpan Timeout)
{
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set (a null value removes the variable) on top of the host's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
}

public enum ProcessOutcome
{
    Exited,
    NotFound,
    TimedOut,
    FailedToStart,
}

public sealed record ProcessResult(ProcessOutcome Outcome, int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    public bool Succeeded => Outcome == ProcessOutcome.Exited && ExitCode == 0;
}
