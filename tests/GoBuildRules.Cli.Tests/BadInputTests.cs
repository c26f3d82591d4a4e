using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.CommandLine.Tests;

/// <summary>Bad input gets one clear line on stderr and its documented exit code, never a stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder temp = new("cli");

    public BadInputTests() => temp.Write("go.mod", "module example.com/m\n\ngo 1.19\n");

    private static void AssertOneLineError(CliResult r, int exitCode, string fragment)
    {
        Assert.True(exitCode == r.ExitCode, r.ToString());
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, r.ToString());
        Assert.Contains(fragment, lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
        Assert.DoesNotContain("Exception", r.Stderr + r.Stdout);
    }

    [Fact]
    public void Malformed_snapshot_json() =>
        AssertOneLineError(Cli.Run("scan", "--from", temp.Write("bad.json", "{ \"go\": [1, 2")), 2, "bad.json is not a valid snapshot");

    [Fact]
    public void Missing_snapshot_file() =>
        AssertOneLineError(Cli.Run("scan", "--from", temp.Combine("nope.json")), 2, "nope.json does not exist");

    [Fact]
    public void Path_that_does_not_exist() =>
        AssertOneLineError(Cli.Run("scan", "--path", temp.Combine("missing")), 2, "does not exist");

    [Fact]
    public void Path_that_is_a_file() =>
        AssertOneLineError(Cli.Run("scan", "--path", temp.Combine("go.mod")), 2, "is a file, not a folder");

    [Theory]
    [InlineData("--fail-on", "sometimes", "--fail-on sometimes is not one of")]
    [InlineData("--timeout", "-1", "--timeout -1 is out of range")]
    [InlineData("--format", "pdf", "--format pdf is not one of")]
    public void Bad_option_values(string option, string value, string message) =>
        AssertOneLineError(Cli.Run("scan", "--path", temp.Path, option, value), 2, message);

    [Fact]
    public void Unknown_option_is_a_usage_error() =>
        AssertOneLineError(Cli.Run("scan", "--no-such-option"), 2, "gobuildrules: error: unknown option --no-such-option");

    [Fact]
    public void A_mistyped_option_gets_a_suggestion() =>
        AssertOneLineError(Cli.Run("scan", "--fromat", "md"), 2, "gobuildrules: error: unknown option --fromat; did you mean --format?");

    [Fact]
    public void An_option_without_its_value_is_in_the_same_error_style() =>
        AssertOneLineError(Cli.Run("scan", "--path"), 2, "gobuildrules: error: option '--path' requires a value");

    [Fact]
    public void No_go_on_path_is_a_finding_not_a_crash()
    {
        // PATH keeps only a folder without go; dotnet itself is started by absolute path.
        var empty = Directory.CreateDirectory(temp.Combine("emptybin")).FullName;
        var r = Cli.Run(["scan", "--path", temp.Path, "--format", "json", "--offline"], environment: new Dictionary<string, string?> { ["PATH"] = empty });

        Assert.True(r.ExitCode == 1, r.ToString());
        using var report = JsonDocument.Parse(r.Stdout);
        var ids = report.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToList();
        Assert.Contains("GBGO001", ids);
        Assert.Equal("NotFound", report.RootElement.GetProperty("snapshot").GetProperty("goStatus").GetString());
    }

    [Fact]
    public void Go_env_that_never_returns_is_a_finding_within_the_deadline()
    {
        // A go that hangs the way a toolchain download through a stalled proxy does.
        var bin = Directory.CreateDirectory(temp.Combine("hangbin")).FullName;
        var fake = Path.Combine(bin, "go");
        File.WriteAllText(fake, "#!/bin/sh\nif [ \"$1\" = version ]; then echo 'go version go1.21.0 linux/amd64'; exit 0; fi\nexec sleep 600\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        // 5 s: go must get over a second before the scan may call it hung (GoFacts.CutShort).
        var r = Cli.Run(["scan", "--path", temp.Path, "--format", "json", "--offline", "--timeout", "5"],
            environment: new Dictionary<string, string?> { ["PATH"] = bin + ":/usr/bin:/bin" });

        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(15), r.ToString());
        Assert.Contains("\"GBGO002\"", r.Stdout);
    }

    public void Dispose() => temp.Dispose();
}
