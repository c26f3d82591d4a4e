using GoBuildRules.Core.Collection;
using System.Diagnostics;
using System.Globalization;
using GoBuildRules.Rules.Vendor.Collection;
using GoBuildRules.Rules.Vendor.Rules;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;
using Xunit.Abstractions;

namespace GoBuildRules.Rules.Vendor.Tests;

[Collection("inotify")]
public sealed class InotifyRealTests(ITestOutputHelper output)
{
    private const string WatchesKnob = "/proc/sys/fs/inotify/max_user_watches";

    [Fact]
    public async Task A_real_process_holding_inotify_watches_is_counted_with_its_pid()
    {
        Assert.True(OperatingSystem.IsLinux(), "inotify exists on Linux only; CI runs these tests there");
        using var work = new TempFolder("gbvnd-holder");
        for (var i = 0; i < 36; i++) Directory.CreateDirectory(work.Combine("watched", "d" + (i / 6), "e" + i));
        var exe = BuildHolder(work);

        var psi = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(work.Combine("watched"));
        using var holder = Process.Start(psi)!;
        try
        {
            var ready = await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
            var fields = ready?.Split(' ') ?? [];
            Assert.True(fields is ["ready", _, _], $"holder said: {ready}");
            var pid = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var added = int.Parse(fields[2], CultureInfo.InvariantCulture);
            Assert.Equal(1 + 6 + 36, added);

            var facts = InotifyProbe.Collect("/proc", InotifyProbe.Default, CancellationToken.None);

            var seen = Assert.Single(facts.Holders, h => h.Pid == pid);
            Assert.Equal(added, seen.Watches);
            Assert.Equal(1, seen.Instances);
            Assert.Equal("holder", seen.Command);
            Assert.True(facts.WatchesInUse >= added, $"in use {facts.WatchesInUse} < {added}");
            Assert.True(facts.InstancesInUse >= 1);
        }
        finally
        {
            holder.StandardInput.Close();
            if (!holder.WaitForExit(TimeSpan.FromSeconds(5))) holder.Kill();
        }
    }

    [Fact]
    public void A_vendor_tree_larger_than_a_lowered_max_user_watches_is_a_GBVND001_warning_and_go_still_builds()
    {
        Assert.True(OperatingSystem.IsLinux(), "inotify exists on Linux only; CI runs these tests there");
        using var repo = new TempFolder("gbvnd-sysctl");
        repo.Write("go.mod", "module example.com/big\n\ngo 1.19\n");
        repo.Write("main.go", "package main\n\nfunc main() {}\n");
        for (var i = 0; i < 1500; i++) Directory.CreateDirectory(repo.Combine("vendor", "example.com", "m" + (i / 50), "p" + i));

        var original = File.ReadAllText(WatchesKnob).Trim();
        var inUse = InotifyProbe.Collect("/proc", InotifyProbe.Default, CancellationToken.None).WatchesInUse;
        // Room for the other processes of this user to keep working during the window, but not for the tree.
        var lowered = inUse + 600;
        VendorFacts facts;
        var index = RepositoryWalker.Walk(repo.Path, RepositoryWalkBudget.Default, CancellationToken.None);
        string? refused = lowered < long.Parse(original, CultureInfo.InvariantCulture) ? null : $"the machine's limit {original} is already below {lowered}";
        var changed = false;
        try
        {
            if (refused is null)
            {
                var (code, said) = Machine.Run("sysctl", "-w", $"fs.inotify.max_user_watches={lowered}");
                changed = code == 0 && File.ReadAllText(WatchesKnob).Trim() == lowered.ToString(CultureInfo.InvariantCulture);
                refused = changed ? null : $"sysctl -w exited {code}: {said.Trim()}";
            }

            // Collected while the limit is lowered; the window stays as short as one collection.
            facts = new VendorCollector().Collect(
                new Snapshot { Workspace = new WorkspaceFacts { Root = repo.Path }, Repository = index },
                CancellationToken.None);
        }
        finally
        {
            if (changed)
            {
                var (code, said) = Machine.Run("sysctl", "-w", $"fs.inotify.max_user_watches={original}");
                if (code != 0) File.WriteAllText(WatchesKnob, original);
                output.WriteLine($"restored max_user_watches={original} ({said.Trim()})");
            }
        }

        Assert.Equal(original, File.ReadAllText(WatchesKnob).Trim());
        if (refused is not null)
        {
            output.WriteLine($"LOWERING max_user_watches WAS REFUSED ({refused}); testing the rule on this machine's collected facts with the limit set in the snapshot instead.");
            facts = facts with { Inotify = facts.Inotify with { MaxUserWatches = lowered } };
        }
        else
        {
            output.WriteLine($"max_user_watches lowered to {lowered} (in use {inUse}) and collected");
        }

        Assert.Equal(lowered, facts.Inotify.MaxUserWatches);
        Assert.True(index.Directories > 1500);

        // The rest runs through the real tool: its own snapshot of the repo, with the facts collected in the window.
        var snap = Cli.Run(["snapshot", "--path", repo.Path, "--timeout", "20"], repo.Path);
        Assert.True(snap.ExitCode == 0, snap.ToString());
        var snapshot = Snapshot.FromJson(snap.Stdout).WithExtension(VendorPack.FactsKey, facts);
        var file = repo.Write("snapshot.json", snapshot.ToJson());
        var scan = Cli.Run(["scan", "--from", file, "--format", "json", "--fail-on", "error"], repo.Path);

        var finding = Assert.Single(Report.Findings(scan), f => f.RuleId == "GBVND001");
        // A warning: watchers fail, the go command never uses inotify (no inotify call in cmd/go) and builds.
        Assert.Equal("warning", finding.Severity);
        Assert.Contains("no space left on device", finding.Message);
        var build = GoToolchain.Run(repo.Path, new Dictionary<string, string?> { ["GOFLAGS"] = "", ["GOPROXY"] = "off" }, TimeSpan.FromMinutes(2), "build", "./...");
        Assert.True(build.ExitCode == 0, "go build failed: " + build.Output);
    }

    private static string BuildHolder(TempFolder work)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "testdata", "holder.go");
        var exe = work.Combine("holder");
        var go = GoToolchain.Run(work.Path, new Dictionary<string, string?> { ["GOFLAGS"] = "", ["GO111MODULE"] = "off", ["CGO_ENABLED"] = "0" },
            TimeSpan.FromMinutes(3), "build", "-o", exe, source);
        Assert.True(go.ExitCode == 0, "go build of the watch holder failed: " + go.Output);
        return exe;
    }
}
