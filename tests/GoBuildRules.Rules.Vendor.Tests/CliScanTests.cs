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
