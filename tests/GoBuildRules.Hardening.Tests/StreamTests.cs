namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// A closed or full stdout or stderr (`>&amp;-`, `2>&amp;-`, `>/dev/full`) never hangs the tool and
/// never throws: the exit code still tells the outcome, and files asked for are still written.
/// </summary>
public sealed class StreamTests
{
    public static TheoryData<string, string, int> Cases() => new()
    {
        // An error path with stderr closed used to hang forever.
        { "bad option, stderr closed", "2>&-", 2 },
        { "bad option, stdout and stderr closed", ">&- 2>&-", 2 },
        { "bad option, stderr full", "2>/dev/full", 2 },
        { "replay, stdout closed", ">&-", 0 },
        { "replay, stdout full", ">/dev/full", 0 },
        { "replay, stdout full, stderr closed", ">/dev/full 2>&-", 0 },
        { "replay with an error finding, stdout closed", ">&-", 1 },
        { "replay with an error finding, stdout full", ">/dev/full", 1 },
        { "live scan, both closed", ">&- 2>&-", 0 },
        { "snapshot to a full stdout", ">/dev/full", 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Closed_or_full_streams_keep_the_exit_code(string name, string redirections, int exit)
    {
        using var w = new Workspace();
        var snapshot = w.Combine("snapshot.json");
        if (name.Contains("error finding", StringComparison.Ordinal))
        {
            // go not found is an error finding of the Toolchain pack.
            w.Write("s2.json", Workspace.ValidSnapshot.Replace("\"status\": \"found\"", "\"status\": \"notFound\""));
            snapshot = w.Combine("s2.json");
        }

        string[] args = name switch
        {
            _ when name.StartsWith("bad option", StringComparison.Ordinal) => ["scan", "--timeout", "-5"],
            _ when name.StartsWith("live scan", StringComparison.Ordinal) => ["scan", "--offline", "--fail-on", "never", "--format", "console", "--format", $"json={w.Combine("r.json")}"],
            _ when name.StartsWith("snapshot", StringComparison.Ordinal) => ["snapshot", "--offline"],
            _ => ["scan", "--from", snapshot, "--format", "console", "--format", $"json={w.Combine("r.json")}"],
        };
        var r = w.Run(args, redirections: redirections);
        Assert.True(r.ExitCode == exit, $"{name}\n{r}");
        Harness.AssertNoStackTrace(r);
        if (args.Contains("console"))
        {
            Assert.True(File.Exists(w.Combine("r.json")), "the file report is written whatever happens to stdout");
        }
    }
}
