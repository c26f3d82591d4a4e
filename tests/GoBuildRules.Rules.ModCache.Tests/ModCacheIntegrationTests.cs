using System.Diagnostics;
using System.Globalization;
using GoBuildRules.Reporting;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.ModCache.Tests;

/// <summary>
/// The real go command fills a private module cache from a file:// proxy; the tests damage it the way
/// interrupted or corrupted downloads do, then check both what the scan reports and what `go build`
/// really does.
/// </summary>
public sealed class ModCacheIntegrationTests
{
    private const string Lib = "example.com/lib";
    private const string V1 = "v1.0.0";

    private static GoModuleWorld FilledWorld()
    {
        var w = new GoModuleWorld();
        w.Publish(Lib, V1, "package lib\n\nfunc Hello() string { return \"hi\" }\n");
        w.WriteApp((Lib, V1));
        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.True(File.Exists(w.DownloadPrefix(Lib, V1) + ".ziphash"), "go did not fill the module cache");
        return w;
    }

    private static IEnumerable<ReportFinding> Of(Report r, string ruleId) => r.Findings.Where(f => f.RuleId == ruleId);

    [Fact]
    public void Healthy_cache_reports_no_cache_damage_and_builds()
    {
        using var w = FilledWorld();
        var report = w.Scan();
        Assert.DoesNotContain(report.Findings, f => f.RuleId is "GBMOD004" or "GBMOD005" or "GBMOD006" or "GBMOD007" or "GBMOD014");
        Assert.Contains(report.Packs, p => p.Id == "GoBuildRules.Rules.ModCache");
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);
    }

    [Fact]
    public void Truncated_zip_without_extracted_tree_is_an_error_and_go_build_fails_to_unzip()
    {
        using var w = FilledWorld();
        var zip = w.DownloadPrefix(Lib, V1) + ".zip";
        using (var s = new FileStream(zip, FileMode.Open)) s.SetLength(s.Length / 2);
        w.MakeWritable(w.Extracted(Lib, V1));
        Directory.Delete(w.Extracted(Lib, V1), recursive: true);

        var finding = Assert.Single(Of(w.Scan(), "GBMOD005"));
        Assert.Equal(GoBuildRules.Sdk.Severity.Error, finding.Severity);
        Assert.Equal($"{Lib}@{V1}", finding.Subject);
        Assert.Contains("truncated", finding.Message);
        Assert.Contains(finding.Fixes, f => f.Command!.Contains("go mod download example.com/lib@v1.0.0") && !f.Command.Contains("clean"));
        Assert.Contains(finding.Fixes, f => f.Command == "go clean -modcache" && f.Risk.Contains("Expensive"));

        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("not a valid zip file", build.Output);

        // The finding's first fix repairs it.
        RunFix(w, finding.Fixes[0].Command!);
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);
    }

    [Fact]
    public void Altered_ziphash_is_a_checksum_mismatch_and_go_build_fails()
    {
        using var w = FilledWorld();
        var ziphash = w.DownloadPrefix(Lib, V1) + ".ziphash";
        var good = File.ReadAllText(ziphash).Trim();
        var bad = "h1:" + new string('A', 43) + "=";
        File.WriteAllText(ziphash, bad);

        var finding = Assert.Single(Of(w.Scan(), "GBMOD005"));
        Assert.Equal(GoBuildRules.Sdk.Severity.Error, finding.Severity);
        Assert.Contains("checksum mismatch", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Name == "ziphash" && e.Value == bad);
        Assert.Contains(finding.Evidence, e => e.Name == "go.sum" && e.Value.StartsWith(good, StringComparison.Ordinal));
        Assert.Equal("go.sum", finding.Location!.File);

        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("checksum mismatch", build.Output);
    }

    [Fact]
    public void Planted_partial_is_a_note_and_go_build_re_extracts()
    {
        using var w = FilledWorld();
        var partial = w.DownloadPrefix(Lib, V1) + ".partial";
        File.WriteAllText(partial, "");

        var finding = Assert.Single(Of(w.Scan(), "GBMOD004"));
        Assert.Equal(GoBuildRules.Sdk.Severity.Note, finding.Severity);
        Assert.Contains("re-extracts", finding.Message);
        Assert.Contains(finding.Evidence, e => e.Name == "Partial" && e.Value == partial);

        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.False(File.Exists(partial), "go build should have re-extracted the module and removed the .partial marker");
    }

    [Fact]
    public void A_lone_lock_is_not_a_leftover_go_itself_leaves_it_and_downloads_again()
    {
        using var w = FilledWorld();
        var prefix = w.DownloadPrefix(Lib, V1);
        File.Delete(prefix + ".zip");
        File.Delete(prefix + ".ziphash");
        w.MakeWritable(w.Extracted(Lib, V1));
        Directory.Delete(w.Extracted(Lib, V1), recursive: true);

        Assert.True(File.Exists(prefix + ".lock"), "go keeps the download lock file beside the zip");
        Assert.Empty(Of(w.Scan(), "GBMOD004"));

        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Contains("go: downloading example.com/lib v1.0.0", build.Output);
        Assert.True(File.Exists(prefix + ".zip"));
    }

    [Fact]
    public void Zip_without_ziphash_is_reported_and_go_downloads_it_again_when_it_must_extract()
    {
        using var w = FilledWorld();
        var prefix = w.DownloadPrefix(Lib, V1);
        File.Delete(prefix + ".ziphash");
        w.MakeWritable(w.Extracted(Lib, V1));
        Directory.Delete(w.Extracted(Lib, V1), recursive: true);

        var finding = Assert.Single(Of(w.Scan(), "GBMOD004"));
        Assert.Contains(finding.Evidence, e => e.Name == "ZipWithoutHash" && e.Value == prefix + ".zip");
        Assert.Contains("downloads it again", finding.Message);

        // The scan's oracle ran go list offline after the walk, and go repairs the entry from the zip
        // it has (rehash, extract) exactly as the next go build would: nothing is left to download.
        Assert.True(File.Exists(prefix + ".ziphash"));
        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Empty(Of(w.Scan(), "GBMOD004"));
    }

    [Fact]
    public void Go_sum_without_the_zip_line_is_a_missing_entry_and_go_build_says_so()
    {
        using var w = FilledWorld();
        var sum = Path.Combine(w.App, "go.sum");
        File.WriteAllLines(sum, File.ReadAllLines(sum).Where(l => !l.StartsWith($"{Lib} {V1} ", StringComparison.Ordinal)));

        // With the default -mod=readonly the build stops; with this world's -mod=mod it fills go.sum in.
        var readOnly = new Dictionary<string, string?> { ["GOFLAGS"] = "-mod=readonly" };
        var finding = Assert.Single(Of(w.Scan(extraEnv: readOnly), "GBMOD006"));
        Assert.Equal($"{Lib}@{V1}", finding.Subject);
        Assert.Equal(new GoBuildRules.Sdk.Location("go.mod", 6), finding.Location);
        Assert.Empty(Of(w.Scan(), "GBMOD006"));

        var build = w.Go("build", "-mod=readonly", "-o", "/dev/null", ".");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("missing go.sum entry", build.Output);
        Assert.Equal(0, w.Go("build", "-mod=mod", "-o", "/dev/null", ".").ExitCode);
    }

    [Fact]
    public void Conflicting_go_sum_lines_fail_the_build_only_when_the_wrong_one_comes_first()
    {
        using var w = FilledWorld();
        var sum = Path.Combine(w.App, "go.sum");
        var good = File.ReadAllLines(sum);
        var bad = $"{Lib} {V1} h1:{new string('B', 43)}=";
        File.WriteAllLines(sum, [.. good, bad]);

        var latent = Assert.Single(Of(w.Scan(), "GBMOD007"));
        Assert.Equal($"{Lib} {V1}", latent.Subject);
        Assert.Equal(GoBuildRules.Sdk.Severity.Warning, latent.Severity);
        Assert.Equal(3, latent.Location!.Line);
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);

        File.WriteAllLines(sum, [bad, .. good]);
        var broken = Assert.Single(Of(w.Scan(), "GBMOD007"));
        Assert.Equal(GoBuildRules.Sdk.Severity.Error, broken.Severity);
        Assert.Equal(1, broken.Location!.Line);
        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("checksum mismatch", build.Output);
    }

    /// <param name="goflags">A lone -mod= is no flag to go (explicitStringFlag): the default vendor mode stays.</param>
    [Theory]
    [InlineData("")]
    [InlineData("-mod=")]
    public void Vendor_modules_txt_out_of_sync_names_the_module_and_go_build_says_inconsistent_vendoring(string goflags)
    {
        using var w = FilledWorld();
        w.Env["GOFLAGS"] = "";
        var vendor = w.Go("mod", "vendor");
        w.Env["GOFLAGS"] = goflags;
        Assert.True(vendor.ExitCode == 0, vendor.Output);
        w.Publish(Lib, "v1.1.0", "package lib\n");
        w.WriteApp((Lib, "v1.1.0"));

        var report = w.Scan();
        var finding = Assert.Single(Of(report, "GBMOD010"));
        Assert.Equal(Lib, finding.Subject);
        Assert.Contains("vendor/modules.txt has v1.0.0", finding.Message);
        Assert.DoesNotContain(report.Findings, f => f.RuleId == "GBMOD006");

        var build = w.Go("build", "-o", "/dev/null", ".");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("inconsistent vendoring", build.Output);
        Assert.Contains(Lib, build.Output);

        // The finding's first fix syncs vendor/ (go mod vendor alone would stop at the missing go.sum lines).
        RunFix(w, finding.Fixes[0].Command!);
        Assert.Empty(Of(w.Scan(), "GBMOD010"));
        Assert.Equal(0, w.Go("build", "-o", "/dev/null", ".").ExitCode);
    }

    [Fact]
    public void Go_work_in_a_parent_that_does_not_use_the_module_is_reported_and_go_build_refuses()
    {
        using var w = new GoModuleWorld();
        w.Env["GOFLAGS"] = "";
        var parent = Path.Combine(w.Root, "ws");
        var module = Path.Combine(parent, "svc");
        Directory.CreateDirectory(Path.Combine(parent, "other"));
        Directory.CreateDirectory(module);
        File.WriteAllText(Path.Combine(parent, "go.work"), "go 1.19\n\nuse ./other\n");
        File.WriteAllText(Path.Combine(parent, "other", "go.mod"), "module example.com/other\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(module, "go.mod"), "module example.com/svc\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(module, "main.go"), "package main\n\nfunc main() {}\n");

        var finding = Assert.Single(Of(w.Scan(module), "GBMOD012"));
        Assert.Contains(finding.Fixes, f => f.Command == "go work use svc");
        Assert.Contains(finding.Fixes, f => f.Command!.StartsWith("GOWORK=off", StringComparison.Ordinal));

        var build = w.GoIn(module, "build", "-o", "/dev/null", ".");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("not one of the workspace modules", build.Output);
        Assert.Equal(0, w.GoIn(parent, "work", "use", "svc").ExitCode);
        Assert.Empty(Of(w.Scan(module), "GBMOD012"));
    }

    [Fact]
    public void Goflags_mod_mod_inside_a_workspace_is_reported_and_go_build_refuses_it()
    {
        using var w = new GoModuleWorld();
        var module = GoWorkspaces.WithOneModule(w.Root);

        var report = w.Scan(module);
        var finding = Assert.Single(Of(report, "GBMOD015"));
        Assert.Contains("-mod=mod", finding.Message);
        Assert.Empty(Of(report, "GBMOD012"));

        var build = w.GoIn(module, "build", "-o", "/dev/null", ".");
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("-mod may only be set to readonly when in workspace mode", build.Output);

        var offEnv = new Dictionary<string, string?>(w.Env) { ["GOWORK"] = "off" };
        Assert.Equal(0, GoToolchain.Run(module, offEnv, TimeSpan.FromSeconds(90), "build", "-o", "/dev/null", ".").ExitCode);
    }

    /// <summary>
    /// Each way of writing -mod in GOFLAGS against go 1.19 in workspace mode: GBMOD015 fires exactly when go
    /// refuses the -mod value; a GOFLAGS go cannot parse is GBGO007's and a bare -mod go's own message
    /// (the oracle's), never GBMOD015's.
    /// </summary>
    [Theory]
    [InlineData("-mod=mod", true, "-mod may only be set to readonly when in workspace mode")]
    [InlineData("--mod=mod", true, "-mod may only be set to readonly when in workspace mode")]
    [InlineData("-mod=", false, null)]
    [InlineData("-mod=mod -mod=", true, "-mod may only be set to readonly when in workspace mode, but it is set to \"\"")]
    [InlineData("-mod=readonly", false, null)]
    [InlineData("-mod mod", false, "go: parsing $GOFLAGS: non-flag \"mod\"")]
    [InlineData("---mod=mod", false, "go: parsing $GOFLAGS: non-flag \"---mod=mod\"")]
    [InlineData("-mod", false, "flag needs an argument: -mod (from $GOFLAGS)")]
    public void Each_spelling_of_mod_in_GOFLAGS_is_read_as_go_reads_it(string goflags, bool gbmod015, string? goError)
    {
        using var w = new GoModuleWorld();
        w.Env["GOFLAGS"] = goflags;
        var module = GoWorkspaces.WithOneModule(w.Root);

        var build = w.GoIn(module, "build", "-o", "/dev/null", ".");
        Assert.True(goError is null ? build.ExitCode == 0 : build.ExitCode != 0 && build.Output.Contains(goError, StringComparison.Ordinal), build.Output);

        var report = w.Scan(module);
        Assert.Equal(gbmod015, Of(report, "GBMOD015").Any());
        Assert.Equal(goError?.Contains("non-flag", StringComparison.Ordinal) == true, Of(report, "GBGO007").Any());
        Assert.DoesNotContain(report.Findings, f => f.RuleId is "GBMOD009" or "GBMOD011");
    }

    [Fact]
    public void Go_env_w_overrides_are_listed_with_secrets_redacted()
    {
        using var w = FilledWorld();
        var set = w.Go("env", "-w", "GOPRIVATE=corp.example.com", "GOINSECURE=legacy.example.com");
        Assert.True(set.ExitCode == 0, set.Output);
        File.AppendAllText(w.Env["GOENV"]!, "GOPROXY=https://alice:s3cr3tpass@proxy.corp.example.com\n");

        var finding = Assert.Single(Of(w.Scan(), "GBMOD013"));
        Assert.Contains(finding.Evidence, e => e.Value == "GOPRIVATE=corp.example.com");
        Assert.Contains(finding.Fixes, f => f.Command == "go env -u GOPRIVATE");
        Assert.Contains(finding.Evidence, e => e.Value == "GOPROXY=https://REDACTED@proxy.corp.example.com");
        Assert.Contains("GOPROXY", finding.Message);
        Assert.DoesNotContain("s3cr3tpass", string.Join("\n", finding.Evidence.Select(e => e.Value)) + finding.Message);
    }

    [Fact]
    public void A_go_mod_download_stuck_on_a_tarpit_proxy_is_one_stall_finding_naming_its_pid()
    {
        using var w = new GoModuleWorld();
        using var tarpit = new Tarpit();
        w.Env["GOPROXY"] = tarpit.Url;
        w.WriteApp(("example.com/slow", V1));
        using var go = w.Start(GoToolchain.Path, "mod", "download");
        try
        {
            WaitFor(() => tarpit.Accepted > 0 || go.HasExited, "go mod download never reached the tarpit");
            Assert.False(go.HasExited, "go mod download should still be waiting on the tarpit");
            var pid = go.Id.ToString(CultureInfo.InvariantCulture);

            var report = w.Scan(extraEnv: new Dictionary<string, string?> { ["GOBUILDRULES_PROBE_BUDGET"] = "3" });

            // One cause, one finding: the stall names the process; GBMOD008 stays quiet about it.
            var finding = Assert.Single(report.Findings, f => f.Evidence.Any(e => e.Value.StartsWith($"pid {pid}:", StringComparison.Ordinal) || (e.Name == "pid" && e.Value == pid)));
            Assert.Equal("GBNET002", finding.RuleId);
            Assert.Equal(GoBuildRules.Sdk.Severity.Error, finding.Severity);
            Assert.Contains($"127.0.0.1:{tarpit.Port}", finding.Message);
            Assert.Contains($"the GOPROXY entry {tarpit.Url}", finding.Message);
            Assert.Contains("stalled", finding.Message);
            Assert.Contains(finding.Evidence, e => e.Name == "live process" && e.Value == $"pid {pid}: {GoToolchain.Path} mod download");
            Assert.Contains(finding.Evidence, e => e.Name == $"pid {pid} socket" && e.Value.EndsWith($"127.0.0.1:{tarpit.Port} ESTABLISHED", StringComparison.Ordinal));
            Assert.Contains(finding.Evidence, e => e.Name == "probe verdict" && e.Value.StartsWith("stalled", StringComparison.Ordinal));
            Assert.Contains(finding.Fixes, f => f.Command == $"kill {pid}");
            Assert.DoesNotContain(Of(report, "GBMOD008"), f => f.Evidence.Any(e => e.Name == "pid" && e.Value == pid));
        }
        finally
        {
            Stop(go);
        }
    }

    [Fact]
    public void A_go_mod_download_waiting_on_a_lock_that_flock_holds_is_an_error_naming_the_holder_and_killing_it_unblocks_go()
    {
        using var w = new GoModuleWorld();
        w.Publish(Lib, V1, "package lib\n");
        w.WriteApp((Lib, V1));
        var lockFile = w.DownloadPrefix(Lib, V1) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        using var holder = w.Start("flock", lockFile, "sleep", "300");
        System.Diagnostics.Process? go = null;
        try
        {
            WaitFor(() => File.ReadAllText("/proc/locks").Contains($" WRITE {holder.Id} ", StringComparison.Ordinal), "flock never took the lock");
            go = w.Start(GoToolchain.Path, "mod", "download");
            var goPid = go.Id;
            WaitFor(() => File.ReadAllText("/proc/locks").Contains($"-> FLOCK  ADVISORY  WRITE {goPid} ", StringComparison.Ordinal) || go.HasExited, "go mod download never queued on the lock");
            Assert.False(go.HasExited, "go mod download should be blocked on the held lock");

            var (result, report) = w.ScanFailingOn("error");

            Assert.Equal(1, result.ExitCode);
            var finding = Assert.Single(Of(report, "GBMOD016"));
            Assert.Equal(GoBuildRules.Sdk.Severity.Error, finding.Severity);
            Assert.Contains($"go pid {goPid}", finding.Message);
            Assert.Contains($"flock pid {holder.Id}", finding.Message);
            Assert.Contains($"{Lib}@{V1}", finding.Message);
            Assert.Contains(finding.Evidence, e => e.Name == "holder pid" && e.Value == holder.Id.ToString(CultureInfo.InvariantCulture));
            Assert.Contains(finding.Evidence, e => e.Name == "holder command" && e.Value == $"flock {lockFile} sleep 300");
            Assert.Contains(finding.Evidence, e => e.Name == "holder state" && e.Value.StartsWith("S (sleeping)", StringComparison.Ordinal));
            Assert.Contains(finding.Evidence, e => e.Name == "holder age");
            Assert.Contains(finding.Evidence, e => e.Name == "waiting" && e.Value.StartsWith($"pid {goPid}: ", StringComparison.Ordinal));
            // The held .lock is not an interrupted download, and the waiting go is not reported twice.
            Assert.Empty(Of(report, "GBMOD004"));
            Assert.DoesNotContain(Of(report, "GBMOD008"), f => f.Evidence.Any(e => e.Name == "pid" && e.Value == goPid.ToString(CultureInfo.InvariantCulture)));

            // The kill fix (holder and the sleep that shares the locked file) releases the lock, and go finishes.
            var kill = Assert.Single(finding.Fixes, f => f.Command!.StartsWith("kill ", StringComparison.Ordinal));
            Assert.Contains("aborted", kill.Risk);
            RunFix(w, kill.Command!);
            Assert.True(go.WaitForExit(60_000), "go mod download still waits after the kill fix");
            Assert.Equal(0, go.ExitCode);
            Assert.True(File.Exists(w.DownloadPrefix(Lib, V1) + ".zip"));
        }
        finally
        {
            Stop(holder);
            if (go is not null)
            {
                Stop(go);
                go.Dispose();
            }
        }
    }

    [Fact]
    public void A_held_download_lock_of_a_required_module_not_in_the_cache_is_an_error_naming_the_holder_and_go_hangs()
    {
        using var w = new GoModuleWorld();
        w.Publish(Lib, V1, "package lib\n");
        w.WriteApp((Lib, V1));
        var lockFile = w.DownloadPrefix(Lib, V1) + ".lock";
        Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
        using var holder = w.Start("flock", lockFile, "sleep", "300");
        try
        {
            WaitFor(() => File.ReadAllText("/proc/locks").Contains($" WRITE {holder.Id} ", StringComparison.Ordinal), "flock never took the lock");

            // The ground truth: go must take that lock to download the module, and waits for it.
            var download = GoToolchain.Run(w.App, w.Env, TimeSpan.FromSeconds(5), "mod", "download");
            Assert.True(download.TimedOut, "go mod download did not hang on the held lock: " + download.Output);

            var (result, report) = w.ScanFailingOn("error");

            Assert.True(result.ExitCode == 1, result.ToString());
            var error = Assert.Single(Of(report, "GBMOD016"));
            Assert.Equal(GoBuildRules.Sdk.Severity.Error, error.Severity);
            Assert.Contains($"flock pid {holder.Id}", error.Message);
            Assert.Contains($"{Lib}@{V1}", error.Message);
            Assert.Contains(error.Fixes, f => f.Command?.StartsWith("kill ", StringComparison.Ordinal) == true && f.Command.Contains(holder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
            Assert.Empty(Of(report, "GBMOD004"));
        }
        finally
        {
            Stop(holder);
        }
    }

    /// <summary>
    /// A module cache on a read-only mount (a container's image layer, a read-only bind mount): made
    /// with a bind mount inside a private mount namespace of the go and scan processes only, so the
    /// machine's own mounts are never changed.
    /// </summary>
    [Fact]
    public void A_module_cache_on_a_read_only_mount_is_an_error_and_go_mod_download_fails_on_it()
    {
        using var w = new GoModuleWorld();
        w.Publish(Lib, V1, "package lib\n\nfunc Hello() string { return \"hi\" }\n");
        w.WriteApp((Lib, V1));
        Directory.CreateDirectory(w.ModCache);
        var readOnly = MountNamespace.ReadOnly(w.ModCache);

        var download = GoToolchain.RunThrough(readOnly, w.App, w.Env, TimeSpan.FromSeconds(60), "mod", "download");
        Assert.NotEqual(0, download.ExitCode);
        Assert.Contains("read-only file system", download.Output);

        var scan = Cli.Run(["scan", "--format", "json", "--timeout", "30", "--path", w.App], w.App, w.Env, TimeSpan.FromSeconds(90), readOnly);
        Assert.True(scan.ExitCode == 1, scan.ToString());
        var finding = Assert.Single(ReportJson.Deserialize(scan.Stdout).Findings, f => f.RuleId == "GBMOD001");
        Assert.Equal(("GOMODCACHE", GoBuildRules.Sdk.Severity.Error), (finding.Subject, finding.Severity));
        Assert.Contains("read-only", finding.Message);

        // Control: the same download outside the namespace, where the folder is writable, succeeds.
        Assert.Equal(0, w.Go("mod", "download").ExitCode);
    }

    private static void WaitFor(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), failure);
            Thread.Sleep(50);
        }
    }

    private static void Stop(Process p)
    {
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
        }

        p.WaitForExit(10_000);
    }

    private static void RunFix(GoModuleWorld w, string command)
    {
        var psi = new ProcessStartInfo("/bin/sh", ["-c", command]) { WorkingDirectory = w.App, UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (k, v) in w.Env)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), "the fix did not finish");
        Assert.True(p.ExitCode == 0, $"fix failed: {command}\n{err.Result}");
    }
}
