using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Vendor.Tests;

/// <summary>Real repositories scanned by the real tool: watcher configs and CI files read from disk, findings located.</summary>
public sealed class CliScanTests
{
    [Fact]
    public void Air_config_gitignore_and_ci_of_a_real_repo_are_reported_at_their_lines()
    {
        using var repo = new TempFolder("gbvnd-cli");
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        repo.Write("main.go", "package main\n\nfunc main() {}\n");
        for (var i = 0; i < 80; i++) Directory.CreateDirectory(repo.Combine("vendor", "example.com", "m" + i));
        repo.Write(".gitignore", "bin/\n# deps\n/vendor/\n");
        repo.Write(".github/workflows/ci.yml", "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go test -mod=vendor ./...\n");
        repo.Write(".air.toml", "root = \".\"\n\n[build]\n  cmd = \"go build -o ./tmp/main .\"\n  exclude_dir = [\"assets\", \"tmp\"]\n  include_ext = [\"tpl\", \"html\"]\n");

        var scan = Cli.Run(["scan", "--path", repo.Path, "--format", "json", "--fail-on", "never", "--timeout", "20"], repo.Path);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var findings = Report.Findings(scan);

        var ignored = Assert.Single(findings, f => f.RuleId == "GBVND006");
        Assert.Equal((".gitignore", 3), (ignored.File, ignored.Line));
        Assert.Contains(".github/workflows/ci.yml:7", ignored.Message);
        var exclude = Assert.Single(findings, f => f.RuleId == "GBVND003");
        Assert.Equal((".air.toml", 5), (exclude.File, exclude.Line));
        var ext = Assert.Single(findings, f => f.RuleId == "GBVND005");
        Assert.Equal((".air.toml", 6), (ext.File, ext.Line));
    }

    [Fact]
    public void Vendor_ignored_while_CI_builds_with_mod_vendor_is_an_error_because_go_fails_in_a_fresh_clone()
    {
        using var t = new TempFolder("gbvnd-clone");
        var proxy = FileProxy.Build(t);
        var repo = FileProxy.Consumer(t);
        var env = GoEnvironment.Isolated(t, ["GOFLAGS", "GOWORK", "GO111MODULE", "GONOSUMDB", "GOPRIVATE"], ("GOPROXY", proxy), ("GOSUMDB", "off"));
        Assert.Equal(0, GoToolchain.Run(repo, env, TimeSpan.FromSeconds(60), "mod", "tidy").ExitCode);
        Assert.Equal(0, GoToolchain.Run(repo, env, TimeSpan.FromSeconds(60), "mod", "vendor").ExitCode);
        File.WriteAllText(Path.Combine(repo, ".gitignore"), "/vendor/\n");
        Directory.CreateDirectory(Path.Combine(repo, ".github", "workflows"));
        File.WriteAllText(Path.Combine(repo, ".github", "workflows", "ci.yml"),
            "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: go build -mod=vendor ./...\n");
        Git(repo, "init", "-q");
        Git(repo, "add", "-A");
        Git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "app");

        // CI's build offline (vendoring's promise): it passes here, where vendor/ exists, and fails in
        // what CI checks out.
        var offline = new Dictionary<string, string?>(env) { ["GOPROXY"] = "off" };
        var local = GoToolchain.Run(repo, offline, TimeSpan.FromSeconds(60), "build", "-mod=vendor", "./...");
        Assert.True(local.ExitCode == 0, local.Output);
        var clone = t.Combine("clone");
        Git(t.Path, "clone", "-q", repo, clone);
        Assert.False(Directory.Exists(Path.Combine(clone, "vendor")));
        var ci = GoToolchain.Run(clone, offline, TimeSpan.FromSeconds(60), "build", "-mod=vendor", "./...");
        Assert.NotEqual(0, ci.ExitCode);
        Assert.Contains("inconsistent vendoring", ci.Output);

        var scan = Cli.Run(["scan", "--offline", "--path", repo, "--format", "json", "--timeout", "20"], repo, env);
        var finding = Assert.Single(Report.Findings(scan), f => f.RuleId == "GBVND006");
        Assert.Equal("error", finding.Severity);
        Assert.Equal((".gitignore", 1), (finding.File, finding.Line));
        Assert.True(scan.ExitCode == 1, scan.ToString());
    }

    private static void Git(string dir, params string[] args)
    {
        var r = Machine.Run("git", ["-C", dir, .. args]);
        Assert.True(r.ExitCode == 0, $"git {string.Join(' ', args)}: {r.Output}");
    }

    [Fact]
    public void A_clean_repo_has_no_vendor_findings()
    {
        using var repo = new TempFolder("gbvnd-clean");
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        repo.Write("main.go", "package main\n\nfunc main() {}\n");
        for (var i = 0; i < 80; i++) Directory.CreateDirectory(repo.Combine("vendor", "example.com", "m" + i));
        repo.Write(".github/workflows/ci.yml", "steps:\n  - run: go test -mod=vendor ./...\n");
        repo.Write(".air.toml", "[build]\n  exclude_dir = [\"assets\", \"tmp\", \"vendor\", \"testdata\"]\n  include_ext = [\"go\", \"tpl\"]\n");

        var scan = Cli.Run(["scan", "--path", repo.Path, "--format", "json", "--fail-on", "never", "--timeout", "20"], repo.Path);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var vendor = Report.Findings(scan).Where(f => f.RuleId.StartsWith("GBVND", StringComparison.Ordinal) && f.RuleId is not ("GBVND001" or "GBVND002" or "GBVND004")).ToList();
        Assert.Empty(vendor);
    }
}
