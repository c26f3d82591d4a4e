using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using GoBuildRules.Rules.CloudEnv.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.CloudEnv.Tests;

/// <summary>The real CLI, real git and the real /proc of this machine.</summary>
public sealed class RealEnvironmentTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private const string Workflow = """
        name: build
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-go@v5
                with:
                  go-version-file: go.mod
                  cache: false
              - run: go build ./...
        """;

    [Fact]
    public void Github_actions_variables_are_detected_and_the_workflow_line_is_reported()
    {
        using var repo = new TempFolder("gha");
        WriteModule(repo);
        repo.Write(".github/workflows/build.yml", Workflow);
        var env = IsolatedEnvironment(repo);
        env["GITHUB_ACTIONS"] = "true";
        env["GITHUB_WORKFLOW"] = "build";
        env["RUNNER_OS"] = "Linux";
        env["CI"] = "true";

        var snapshotFile = repo.Combine("snapshot.json");
        var snap = Cli.Run(["snapshot", "--path", repo.Path, "--offline", "--output", snapshotFile], repo.Path, env, Deadline);
        Assert.True(snap.ExitCode == 0, snap.ToString());
        var facts = Snapshot.FromJson(File.ReadAllText(snapshotFile)).GetExtension<CloudEnvFacts>(CloudEnvPack.Id);
        Assert.NotNull(facts);
        Assert.Equal("github-actions", facts.Ci?.Provider);
        Assert.Contains("GITHUB_ACTIONS=true", facts.Ci!.Markers);
        var wf = Assert.Single(facts.Workflows);
        Assert.Equal(".github/workflows/build.yml", wf.File);

        var scan = Cli.Run(["scan", "--path", repo.Path, "--offline", "--format", "json", "--fail-on", "never"], repo.Path, env, Deadline);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var finding = Findings(scan.Stdout).Single(f => f.GetProperty("ruleId").GetString() == "GBENV004");
        var location = finding.GetProperty("location");
        Assert.Equal(".github/workflows/build.yml", location.GetProperty("file").GetString());
        Assert.Equal(LineOf(Workflow, "cache: false"), location.GetProperty("line").GetInt32());
    }

    [Fact]
    public void Without_ci_variables_no_provider_is_claimed()
    {
        using var repo = new TempFolder("noci");
        WriteModule(repo);
        var env = IsolatedEnvironment(repo);
        // Whatever CI runs this test, hide its markers from the tool.
        string[] markers = ["CI", "GITHUB_", "GITLAB_", "JENKINS_", "TF_BUILD", "SYSTEM_", "CIRCLE", "BUILDKITE", "CODEBUILD_", "BUILDER_OUTPUT", "BITBUCKET_", "DRONE", "TEKTON_", "WOODPECKER"];
        foreach (var name in Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(n => markers.Any(m => n.StartsWith(m, StringComparison.Ordinal))))
        {
            env[name] = null;
        }

        var file = repo.Combine("snapshot.json");
        var snap = Cli.Run(["snapshot", "--path", repo.Path, "--offline", "--output", file], repo.Path, env, Deadline);
        Assert.True(snap.ExitCode == 0, snap.ToString());
        var facts = Snapshot.FromJson(File.ReadAllText(file)).GetExtension<CloudEnvFacts>(CloudEnvPack.Id);
        Assert.NotNull(facts);
        // A Tekton step is recognised by its /tekton folder, which no variable hides.
        Assert.Equal(Directory.Exists("/tekton") ? "tekton" : null, facts.Ci?.Provider);
    }

    [Fact]
    public void A_real_depth_1_clone_is_reported_as_shallow()
    {
        using var work = new TempFolder("shallow");
        var origin = work.Combine("origin");
        Directory.CreateDirectory(origin);
        WriteModule(origin);
        Git(origin, "init", "-q");
        Git(origin, "add", ".");
        Git(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        File.AppendAllText(Path.Combine(origin, "main.go"), "\n// two\n");
        Git(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-am", "two");
        var clone = work.Combine("clone");
        Git(work.Path, "clone", "-q", "--depth", "1", "file://" + origin, clone);
        Assert.Equal("true", Git(clone, "rev-parse", "--is-shallow-repository").Trim());

        var scan = Cli.Run(["scan", "--path", clone, "--offline", "--format", "json", "--fail-on", "never"], clone, IsolatedEnvironment(work), Deadline);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var finding = Findings(scan.Stdout).Single(f => f.GetProperty("ruleId").GetString() == "GBENV008");
        Assert.Equal("go.mod", finding.GetProperty("location").GetProperty("file").GetString());
        Assert.DoesNotContain(Findings(scan.Stdout), f => f.GetProperty("ruleId").GetString() == "GBENV008" && f.GetProperty("message").GetString()!.Contains("origin", StringComparison.Ordinal));

        // The origin itself is a full clone: no finding there.
        var full = Cli.Run(["scan", "--path", origin, "--offline", "--format", "json", "--fail-on", "never"], origin, IsolatedEnvironment(work), Deadline);
        Assert.DoesNotContain(Findings(full.Stdout), f => f.GetProperty("ruleId").GetString() == "GBENV008");
    }

    [Fact]
    public void A_checkout_owned_by_another_user_is_reported_and_go_build_really_fails()
    {
        using var work = new TempFolder("owner");
        var repo = work.Combine("repo");
        Directory.CreateDirectory(repo);
        WriteModule(repo);
        Git(repo, "init", "-q");
        Git(repo, "add", ".");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
        var env = IsolatedEnvironment(work);
        var euid = NativeUser.EffectiveUid();
        Assert.NotNull(euid);

        if (euid != 0)
        {
            // Only root can give the folder away; as any other user the same checkout must stay quiet.
            var own = Cli.Run(["scan", "--path", repo, "--offline", "--format", "json", "--fail-on", "never"], repo, env, Deadline);
            Assert.DoesNotContain(Findings(own.Stdout), f => f.GetProperty("ruleId").GetString() == "GBENV007");
            return;
        }

        Run("chown", "-R", "12345:12345", repo);
        var scan = Cli.Run(["scan", "--path", repo, "--offline", "--format", "json", "--fail-on", "never"], repo, env, Deadline);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var finding = Findings(scan.Stdout).Single(f => f.GetProperty("ruleId").GetString() == "GBENV007");
        Assert.Contains("uid 12345", finding.GetProperty("message").GetString());

        // What the finding predicts: git refuses the repository and go build stops at VCS stamping.
        var goEnv = new Dictionary<string, string?>(env) { ["GOFLAGS"] = null };
        var build = GoToolchain.Run(repo, goEnv, Deadline, "build", "-o", work.Combine("app"), ".");
        Assert.False(build.TimedOut);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("error obtaining VCS status", build.Output);
        var fixedBuild = GoToolchain.Run(repo, goEnv, Deadline, "build", "-buildvcs=false", "-o", work.Combine("app"), ".");
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.Output);

        // Any false that strconv.ParseBool accepts turns stamping off (buildvcsFlag.Set), in any GOFLAGS spelling: go
        // builds and the rule stays quiet.
        foreach (var off in new[] { "-buildvcs=0", "--buildvcs=f" })
        {
            var offEnv = new Dictionary<string, string?>(env) { ["GOFLAGS"] = off };
            var offBuild = GoToolchain.Run(repo, offEnv, Deadline, "build", "-o", work.Combine("app"), ".");
            Assert.True(offBuild.ExitCode == 0, off + ": " + offBuild.Output);
            var quiet = Cli.Run(["scan", "--path", repo, "--offline", "--format", "json", "--fail-on", "never"], repo, offEnv, Deadline);
            Assert.True(quiet.ExitCode == 0, quiet.ToString());
            Assert.DoesNotContain(Findings(quiet.Stdout), f => f.GetProperty("ruleId").GetString() == "GBENV007");
        }
    }

    [Fact]
    public void This_machines_cgroup_facts_agree_with_proc()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(new CgroupReader("/").Read(Environment.ProcessorCount, []).Version);
            return;
        }

        var result = new CgroupReader("/").Read(Environment.ProcessorCount, MountTable.ParseMountInfo(File.ReadAllText("/proc/self/mountinfo")));
        Assert.Empty(result.Problems);

        var lines = File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3)).ToList();
        var hasV1 = lines.Any(l => l[1].Split(',').Any(c => c.Length > 0 && !c.StartsWith("name=", StringComparison.Ordinal)));
        Assert.Equal(hasV1, result.Version is "v1" or "hybrid");
        Assert.Equal(!hasV1, result.Version == "v2");

        var cpuinfo = File.ReadAllLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal));
        Assert.Equal(cpuinfo, result.Resources.CpuinfoProcessors);
        Assert.True(Environment.ProcessorCount <= cpuinfo);

        // A reported limit must be what its file says; no limit means the own cgroup's file says none.
        var r = result.Resources;
        if (r.MemoryLimitSource is { } memFile)
        {
            Assert.Equal(long.Parse(File.ReadAllText(memFile).Trim(), CultureInfo.InvariantCulture), r.MemoryLimitBytes);
        }
        else
        {
            var own = hasV1 ? "/sys/fs/cgroup/memory/memory.limit_in_bytes" : "/sys/fs/cgroup/memory.max";
            if (File.Exists(own))
            {
                var text = File.ReadAllText(own).Trim();
                Assert.True(text == "max" || long.Parse(text, CultureInfo.InvariantCulture) >= 1L << 60, $"{own} says {text} but no limit was reported");
            }
        }

        if (r.CpuLimitSource is { } cpuFile)
        {
            Assert.True(r.CpuLimit > 0);
            Assert.True(File.Exists(cpuFile));
        }
        else
        {
            var own = hasV1 ? "/sys/fs/cgroup/cpu/cpu.cfs_quota_us" : "/sys/fs/cgroup/cpu.max";
            if (File.Exists(own))
            {
                var text = File.ReadAllText(own).Trim();
                Assert.True(text == "-1" || text.StartsWith("max", StringComparison.Ordinal), $"{own} says {text} but no CPU limit was reported");
            }
        }
    }

    [Fact]
    public void The_collector_runs_on_this_machine_without_problems()
    {
        using var repo = new TempFolder("collect");
        WriteModule(repo);
        var file = repo.Combine("snapshot.json");
        var snap = Cli.Run(["snapshot", "--path", repo.Path, "--offline", "--output", file], repo.Path, IsolatedEnvironment(repo), Deadline);
        Assert.True(snap.ExitCode == 0, snap.ToString());
        var snapshot = Snapshot.FromJson(File.ReadAllText(file));
        Assert.DoesNotContain(snapshot.CollectionIssues, i => i.Source.StartsWith(CloudEnvPack.Id, StringComparison.Ordinal));
        var facts = snapshot.GetExtension<CloudEnvFacts>(CloudEnvPack.Id);
        Assert.NotNull(facts);
        Assert.Null(facts.Defender);
        if (OperatingSystem.IsLinux())
        {
            var nproc = int.Parse(Run("nproc").Trim(), CultureInfo.InvariantCulture);
            Assert.Equal(nproc, facts.Resources?.AffinityCpus);
            Assert.Equal(File.Exists("/.dockerenv"), facts.Container?.Markers.Contains("/.dockerenv"));
            // GBENV003 reads GOCACHE's file system from the host's mount table; it agrees with the ModCache pack's probe.
            Assert.Equal(repo.Combine("gocache"), snapshot.GoSettings.Value("GOCACHE"));
            var mount = snapshot.MountHolding(repo.Combine("gocache"));
            Assert.NotNull(mount);
            var probed = snapshot.Extensions["GoBuildRules.Rules.ModCache"].GetProperty("locations").EnumerateArray()
                .Single(l => l.GetProperty("role").GetString() == "GOCACHE");
            Assert.Equal(mount.FileSystem, probed.GetProperty("fileSystemType").GetString());
        }
    }

    private static void WriteModule(TempFolder folder) => WriteModule(folder.Path);

    private static void WriteModule(string dir)
    {
        File.WriteAllText(Path.Combine(dir, "go.mod"), "module example.com/app\n\ngo 1.19\n");
        File.WriteAllText(Path.Combine(dir, "main.go"), "package main\n\nfunc main() {}\n");
    }

    /// <summary>HOME, caches and git configuration of the test's own, so the machine's settings do not leak in.</summary>
    private static Dictionary<string, string?> IsolatedEnvironment(TempFolder folder) => new()
    {
        ["HOME"] = folder.Path,
        ["GOCACHE"] = folder.Combine("gocache"),
        ["GOPATH"] = folder.Combine("gopath"),
        ["GOMODCACHE"] = null,
        ["GOFLAGS"] = "-mod=mod",
        ["GOPROXY"] = "off",
        ["GOTOOLCHAIN"] = "local",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GITHUB_ACTIONS"] = null,
    };

    private static IEnumerable<JsonElement> Findings(string reportJson)
    {
        using var doc = JsonDocument.Parse(reportJson);
        return doc.RootElement.GetProperty("findings").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static int LineOf(string text, string needle) =>
        text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(needle, StringComparison.Ordinal)).i + 1;

    private static string Git(string dir, params string[] args) => Run("git", ["-C", dir, .. args]);

    private static string Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish");
        }

        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{program} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
