using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.CommandLine.Tests;

/// <summary>One broken pack or rule never takes the others down, through the real CLI.</summary>
public sealed class PackFailureTests : IDisposable
{
    private readonly TempFolder temp = new("cli-packs");

    [Fact]
    public void A_faulty_pack_and_an_incompatible_pack_are_reported_and_the_other_packs_still_report()
    {
        temp.Write("mod/go.mod", "module example.com/m\n\ngo 1.19\n");
        var packs = TestPacks.Stage(temp.Combine("packs"), TestPacks.Faulty, TestPacks.FutureSdk, TestPacks.JsonOld, TestPacks.JsonNew);
        var empty = Directory.CreateDirectory(temp.Combine("emptybin")).FullName;

        // --timeout counts from the process start: 10 s leaves the JsonOld/JsonNew collectors time even when start-up is slow.
        var r = Cli.Run(["scan", "--path", temp.Combine("mod"), "--packs", packs, "--format", "json", "--offline", "--timeout", "10"],
            environment: new Dictionary<string, string?> { ["PATH"] = empty });

        // GBGO001 (no go on PATH) is an error finding: it decides the exit code.
        Assert.True(r.ExitCode == 1, r.ToString());
        using var report = JsonDocument.Parse(r.Stdout);
        var root = report.RootElement;
        var ids = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("ruleId").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "GBGO001", "GBTF003", "GBTJO001", "GBTJN001" }, ids);
        var notes = root.GetProperty("notifications").EnumerateArray().Select(n => n.GetProperty("message").GetString()!).ToList();
        Assert.Contains(notes, n => n.Contains("GBTF001 crashed"));
        Assert.Contains(notes, n => n.Contains("GBTF002 did not finish"));
        Assert.Contains(notes, n => n.Contains("pack not loaded") && n.Contains("GoBuildRules.Sdk 2.x"));
        var issues = root.GetProperty("snapshot").GetProperty("collectionIssues").EnumerateArray().Select(i => i.GetProperty("message").GetString()!).ToList();
        Assert.Contains(issues, i => i.Contains("did not finish"));
        Assert.Contains(issues, i => i.Contains("collector exploded"));
    }

    [Fact]
    public void Strict_makes_a_crashed_rule_exit_3_when_no_finding_fails_and_without_it_a_cut_scan_exits_124()
    {
        temp.Write("mod/go.mod", "module example.com/m\n\ngo 1.19\n");
        var packs = TestPacks.Stage(temp.Combine("packs"), TestPacks.Faulty);

        var lenient = Cli.Run("scan", "--path", temp.Combine("mod"), "--packs", packs, "--offline", "--fail-on", "error", "--timeout", "2");
        var strict = Cli.Run("scan", "--path", temp.Combine("mod"), "--packs", packs, "--offline", "--fail-on", "error", "--timeout", "2", "--strict");

        // The faulty pack's collector never returns and one of its rules never answers: the deadline cuts
        // them, so without a failing finding the scan is incomplete (124), never healthy (0).
        Assert.True(lenient.ExitCode == 124, lenient.ToString());
        Assert.True(strict.ExitCode == 3, strict.ToString());
        Assert.Contains("GBTF001 crashed", strict.Stdout);
    }

    [Fact]
    public void Rules_list_names_every_pack_and_reports_one_that_failed()
    {
        var packs = TestPacks.Stage(temp.Combine("packs"), TestPacks.NoPack, TestPacks.JsonNew);

        var r = Cli.Run("rules", "list", "--packs", packs);

        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.Contains("GBGO001", r.Stdout);
        Assert.Contains("GBTJN001", r.Stdout);
        Assert.Contains("GoBuildRules.TestPacks.NoPack not loaded", r.Stderr);
    }

    public void Dispose() => temp.Dispose();
}
