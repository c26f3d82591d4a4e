using System.Text.Json;

namespace GoBuildRules.Hardening.Tests;

/// <summary>Reports are written as one transaction: all of them, or none and every previous file as it was.</summary>
public sealed class OutputTransactionTests
{
    [Fact]
    public void All_formats_are_written_together_and_replace_the_previous_reports()
    {
        using var w = new Workspace();
        var r = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", $"json={w.Combine(Workspace.Important)}", "--format", $"md={w.Combine("r.md")}", "--format", $"sarif={w.Combine("r.sarif")}"]);
        Assert.True(r.ExitCode is 0 or 1, r.ToString());
        Harness.AssertNoStackTrace(r);
        using (JsonDocument.Parse(File.ReadAllText(w.Combine(Workspace.Important))))
        {
        }

        Assert.Contains("gobuildrules", File.ReadAllText(w.Combine("r.md")));
        Assert.Empty(Directory.EnumerateFiles(w.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_read_only_report_file_is_refused_before_the_scan_and_left_alone()
    {
        using var w = new Workspace();
        var target = w.Combine(Workspace.Important);
        File.SetUnixFileMode(target, UnixFileMode.UserRead);
        var before = Harness.Hashes(w.Path);
        var r = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", $"json={target}", "--format", $"md={w.Combine("r.md")}"]);
        if (Environment.UserName == "root")
        {
            // root may write a read-only file; then the transaction must simply succeed.
            Assert.True(r.ExitCode is 0 or 1, r.ToString());
            Harness.AssertNoStackTrace(r);
            return;
        }

        Harness.AssertCleanError(r, 2, "cannot write");
        Harness.AssertUnchanged(before, w.Path, r);
    }

    [Fact]
    public void A_link_to_a_report_is_followed_and_stays_a_link()
    {
        using var w = new Workspace();
        File.CreateSymbolicLink(w.Combine("latest.json"), w.Combine(Workspace.Important));
        var r = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", $"json={w.Combine("latest.json")}"]);
        Assert.True(r.ExitCode is 0 or 1, r.ToString());
        Assert.NotNull(new FileInfo(w.Combine("latest.json")).LinkTarget);
        Assert.Contains("\"findings\"", File.ReadAllText(w.Combine(Workspace.Important)));
    }

    [Fact]
    public void A_report_that_is_its_own_input_is_replaced_only_after_it_was_read()
    {
        using var w = new Workspace();
        var first = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", $"json={w.Combine("report.json")}"]);
        Assert.True(first.ExitCode is 0 or 1, first.ToString());
        var r = w.Run(["convert", "--from", w.Combine("report.json"), "--format", $"json={w.Combine("report.json")}"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("\"findings\"", File.ReadAllText(w.Combine("report.json")));
    }

    [Fact]
    public void A_pack_whose_rules_all_crash_is_marked_failed_in_the_console()
    {
        using var w = new Workspace();
        // The Vendor pack's rules read inotify facts; a string where a number belongs makes every one of them throw.
        var snapshot = Workspace.ValidSnapshot.Replace("\"extensions\": {}", """
            "extensions": { "GoBuildRules.Rules.Vendor": { "inotify": { "available": true, "maxUserWatches": "lots" } } }
            """);
        w.Write("crash.json", snapshot);
        var r = w.Run(["scan", "--from", w.Combine("crash.json"), "--format", "console"]);
        Harness.AssertNoStackTrace(r);
        var line = r.Stdout.Split('\n').FirstOrDefault(l => l.Contains("(GoBuildRules.Rules.Vendor ", StringComparison.Ordinal));
        Assert.True(line is not null, r.ToString());
        Assert.StartsWith("[✗]", line);
        Assert.Contains("crashed", line);
        Assert.DoesNotContain("no findings", line);
    }
}
