using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.CommandLine.Tests;

public sealed class SnapshotReplayTests : IDisposable
{
    private readonly TempFolder temp = new("cli-replay");

    private static IReadOnlyList<string> Findings(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("findings").EnumerateArray()
            .Where(f => !LiveStateRules.Ids.Contains(f.GetProperty("ruleId").GetString()!))
            .Select(f => f.GetProperty("ruleId").GetString() + "|" + f.GetProperty("subject").GetString() + "|" + f.GetProperty("message").GetString())
            .Order(StringComparer.Ordinal).ToList();
    }

    [Fact]
    public void Snapshot_then_scan_from_gives_the_live_findings_and_the_snapshot_round_trips()
    {
        temp.Write("mod/go.mod", "module example.com/m\n\ngo 1.19\n\nrequire (\n\tgithub.com/pkg/errors v0.9.1\n");
        var env = new Dictionary<string, string?> { ["PATH"] = Directory.CreateDirectory(temp.Combine("emptybin")).FullName };

        var live = Cli.Run(["scan", "--path", temp.Combine("mod"), "--format", "json", "--offline"], environment: env);
        var snap = Cli.Run(["snapshot", "--path", temp.Combine("mod"), "--offline", "--output", temp.Combine("snap.json")], environment: env);
        var replay = Cli.Run("scan", "--from", temp.Combine("snap.json"), "--format", "json");

        Assert.True(snap.ExitCode == 0, snap.ToString());
        Assert.True(live.ExitCode == 1 && replay.ExitCode == 1, live + "\n" + replay);
        Assert.NotEmpty(Findings(live.Stdout));
        Assert.Equal(Findings(live.Stdout), Findings(replay.Stdout));
        Assert.Contains("\"source\": \"replay\"", replay.Stdout);
        // GBGO003: the unterminated require block is reported with its line.
        Assert.Contains(Findings(replay.Stdout), f => f.StartsWith("GBGO003|", StringComparison.Ordinal));
    }

    [Fact]
    public void Version_and_markdown_output()
    {
        var version = Cli.Run("--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"\d+\.\d+\.\d+", version.Stdout);
        var help = Cli.Run("scan", "--help");
        Assert.True(help.ExitCode == 0 && help.Stdout.Contains("--fail-on"), help.ToString());

        temp.Write("mod/go.mod", "module example.com/m\n\ngo 1.19\n");
        var md = Cli.Run("scan", "--path", temp.Combine("mod"), "--offline", "--format", "md", "--output", temp.Combine("r.md"));
        Assert.True(md.ExitCode == 0, md.ToString());
        Assert.StartsWith("## gobuildrules", File.ReadAllText(temp.Combine("r.md")));
    }

    public void Dispose() => temp.Dispose();
}
