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
        var marker = Path.Combine(Path.GetTempPath(), "gbr-child-" + Guid.NewGuid().ToString("N"));
        // The child shell outlives its parent unless the whole tree is killed.
        var request = new ProcessRequest("/bin/sh", ["-c", $"(sleep 30; touch {marker}) & sleep 30"], TimeSpan.FromMilliseconds(300));

        var result = await runner.RunAsync(request, CancellationToken.None);

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
        var orphans = Process.GetProcessesByName("sleep").Where(p => !p.HasExited && p.StartTime > DateTime.Now.AddSeconds(-10)).ToList();
        Assert.DoesNotContain(orphans, p => File.Exists($"/proc/{p.Id}/cmdline") && File.ReadAllText($"/proc/{p.Id}/cmdline").Contains(marker));
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
