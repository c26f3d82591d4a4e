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

    /// <summary>
    /// A snapshot from a tool whose endpoint-verdicts contract is newer: the replay cannot read the verdicts,
    /// so it must say so (one collection line, a collection issue in JSON) instead of reporting without them.
    /// </summary>
    [Theory]
    [InlineData(2, true)]
    [InlineData(1, false)]
    public void Replay_of_facts_in_an_unknown_contract_major_reports_them_as_not_read(int major, bool reported)
    {
        var snapshot = $$"""
            {
              "schemaVersion": 1,
              "go": { "status": "found", "version": "1.19.8", "env": { "GOMODCACHE": "/home/dev/go/pkg/mod", "GOFLAGS": "" } },
              "environment": { "HOME": "/home/dev", "PATH": "/usr/bin" },
              "workspace": { "root": "/src/app", "goMod": { "file": "go.mod", "module": "example.com/app", "moduleLine": 1, "go": "1.19", "goLine": 3 } },
              "extensions": {
                "GoBuildRules.Rules.Network": {
                  "probesSkipped": false,
                  "endpointVerdictsVersion": {{major}},
                  "endpointVerdicts": [ { "variable": "GOPROXY", "entry": "http://10.0.0.5:3128", "verdict": "stalled", "addresses": [ "10.0.0.5:3128" ], "failure": "no HTTP response within 5 s" } ]
                }
              }
            }
            """;
        File.WriteAllText(temp.Combine("snap.json"), snapshot);

        var console = Cli.Run("scan", "--from", temp.Combine("snap.json"), "--fail-on", "never");
        var json = Cli.Run("scan", "--from", temp.Combine("snap.json"), "--fail-on", "never", "--format", "json");

        Assert.True(console.ExitCode == 0 && json.ExitCode == 0, console + "\n" + json);
        var lines = console.Stdout.Split('\n').Where(l => l.Contains("collection: GoBuildRules.Rules.Network", StringComparison.Ordinal)).ToList();
        using var doc = JsonDocument.Parse(json.Stdout);
        var issues = doc.RootElement.GetProperty("snapshot").GetProperty("collectionIssues").EnumerateArray()
            .Where(i => i.GetProperty("source").GetString() == "GoBuildRules.Rules.Network").ToList();
        if (reported)
        {
            Assert.Contains($"contract version {major} and this tool reads version 1", Assert.Single(lines));
            Assert.Contains("left out", Assert.Single(issues).GetProperty("message").GetString());
        }
        else
        {
            Assert.Empty(lines);
            Assert.Empty(issues);
        }
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
