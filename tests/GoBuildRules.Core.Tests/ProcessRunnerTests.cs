using System.Diagnostics;
using GoBuildRules.Core.Collection;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Tests;

public sealed class ProcessRunnerTests
{
    private readonly ProcessRunner runner = new();

    [Fact]
    public async Task A_process_past_its_deadline_is_killed_with_its_children()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), "gbr-child-" + Guid.NewGuid().ToString("N"));
        try
        {
            // The background sleep (exec'd, so its pid is the one written) outlives the shell unless the whole tree is killed.
            var request = new ProcessRequest("/bin/sh", ["-c", $"(exec sleep 30) & echo $! > {pidFile}; sleep 30"], TimeSpan.FromSeconds(2));

            var run = runner.RunAsync(request, CancellationToken.None);
            // While the tree runs, the pid written must be the sleep itself, not a subshell around it:
            // otherwise the check below would watch a process the kill never had to reach.
            string? comm = null;
            // (The subshell is named sh until its exec: wait for the exec, within the 2 s deadline.)
            for (var i = 0; i < 100 && comm != "sleep" && !run.IsCompleted; i++)
            {
                if (File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() is { Length: > 0 } written && File.Exists($"/proc/{written}/comm"))
                {
                    comm = File.ReadAllText($"/proc/{written}/comm").Trim();
                }

                if (comm != "sleep")
                {
                    await Task.Delay(20);
                }
            }

            var result = await run;

            Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
            Assert.True(File.Exists(pidFile), "the shell never started its child, so the test proves nothing");
            Assert.Equal("sleep", comm);
            var child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            // Generous harness wait for the kernel to finish the kill; a live child fails the test.
            for (var i = 0; i < 100 && IsRunning(child); i++)
            {
                await Task.Delay(50);
            }

            Assert.False(IsRunning(child), $"child sleep (pid {child}) outlived the killed shell");
        }
        finally
        {
            File.Delete(pidFile);
        }
    }

    /// <summary>Alive and not a zombie (an orphan reparented to a PID 1 that does not reap stays a zombie, which is dead).</summary>
    private static bool IsRunning(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_missing_program_is_an_outcome_not_an_exception()
    {
        var result = await runner.RunAsync(new ProcessRequest("/nonexistent/gcc", ["--version"], TimeSpan.FromSeconds(2)), CancellationToken.None);
        Assert.Equal(ProcessOutcome.NotFound, result.Outcome);
    }

    [Fact]
    public async Task Output_exit_code_and_environment_are_passed()
    {
        var request = new ProcessRequest("/bin/sh", ["-c", "echo \"$GBR_X\"; echo err >&2; exit 3"], TimeSpan.FromSeconds(5))
        {
            Environment = new Dictionary<string, string?> { ["GBR_X"] = "hello" },
        };

        var result = await runner.RunAsync(request, CancellationToken.None);

        Assert.Equal((ProcessOutcome.Exited, 3, "hello\n", "err\n"), (result.Outcome, result.ExitCode, result.StandardOutput, result.StandardError));
    }
}
