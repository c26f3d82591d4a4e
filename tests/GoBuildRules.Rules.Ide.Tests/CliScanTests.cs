using System.Text.Json.Nodes;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Ide.Tests;

/// <summary>The real tool on real workspaces: VS Code files parsed as VS Code does, findings at the setting's line.</summary>
public sealed class CliScanTests
{
    private static readonly Dictionary<string, string?> Terminal = new()
    {
        // The value a terminal has; the scans run --offline, so nothing probes it.
        ["GOPROXY"] = "https://proxy.golang.org,direct",
        ["GOFLAGS"] = null,
        ["GBIDE_TEST_UNSET"] = null,
    };

    [Fact]
    public void Settings_with_comments_and_trailing_commas_are_reported_at_the_settings_line_without_secrets()
    {
        using var repo = new TempFolder("gbide-cli");
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        repo.Write("main.go", "package main\n\nfunc main() {}\n");
        repo.Write(".vscode/settings.json", """
            // Team settings: keep in sync with CI
            {
              /* the Go extension */
              "go.useLanguageServer": true,
              "go.toolsEnvVars": {
                "GITHUB_TOKEN": "ghp_doNotLeakThis0123456789", // used by private modules
                "GOPROXY": "https://goproxy.example.test", // corp mirror
              },
              "go.testTimeout": "5s",
            }
            """);

        var scan = Cli.Run(["scan", "--offline", "--path", repo.Path, "--format", "json", "--fail-on", "never", "--timeout", "20"], repo.Path, Terminal);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var findings = Report.Findings(scan);

        var proxy = Assert.Single(findings, f => f.RuleId == "GBIDE001");
        Assert.Equal((".vscode/settings.json", 7), (proxy.File, proxy.Line));
        Assert.Contains("GOPROXY=https://goproxy.example.test", proxy.Message);
        var timeout = Assert.Single(findings, f => f.RuleId == "GBIDE004");
        Assert.Equal((".vscode/settings.json", 9), (timeout.File, timeout.Line));
        Assert.DoesNotContain(findings, f => f.RuleId == "GBIDE010");
        Assert.DoesNotContain("ghp_doNotLeakThis", scan.Stdout);

        var snapshot = Cli.Run(["snapshot", "--offline", "--path", repo.Path, "--timeout", "20"], repo.Path, Terminal);
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        Assert.DoesNotContain("ghp_doNotLeakThis", snapshot.Stdout);
    }

    [Fact]
    public void A_broken_settings_file_and_a_missing_goland_goroot_are_located()
    {
        using var repo = new TempFolder("gbide-broken");
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        repo.Write(".vscode/settings.json", "{\n  \"go.buildTags\": \"dev\"\n  \"go.toolsEnvVars\": { \"GOFLAGS\": \"-mod=mod\" }\n}\n");
        repo.Write(".idea/workspace.xml", "<?xml version=\"1.0\"?>\n<project version=\"4\">\n  <component name=\"GOROOT\" url=\"file:///nonexistent/sdk/go1.20\" />\n</project>\n");

        var scan = Cli.Run(["scan", "--offline", "--path", repo.Path, "--format", "json", "--fail-on", "never", "--timeout", "20"], repo.Path, Terminal);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        var findings = Report.Findings(scan);

        var syntax = Assert.Single(findings, f => f.RuleId == "GBIDE010");
        Assert.Equal((".vscode/settings.json", 3), (syntax.File, syntax.Line));
        var goroot = Assert.Single(findings, f => f.RuleId == "GBIDE008");
        Assert.Equal((".idea/workspace.xml", 3), (goroot.File, goroot.Line));
        // The editor fails, go build does not (docs/accuracy.md): a warning.
        Assert.Equal("warning", goroot.Severity);
    }

    [Fact]
    public void Gopls_on_a_huge_tree_reads_the_scans_repository_index()
    {
        using var repo = new TempFolder("gbide-huge");
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        repo.Write(".vscode/settings.json", "{\n  \"gopls\": {\n    \"build.directoryFilters\": [\"-vendor\"],\n  },\n}\n");
        for (var i = 0; i < 30; i++) Directory.CreateDirectory(repo.Combine("data", "d" + i));

        var snap = Cli.Run(["snapshot", "--offline", "--path", repo.Path, "--timeout", "20"], repo.Path, Terminal);
        Assert.True(snap.ExitCode == 0, snap.ToString());
        var root = JsonNode.Parse(snap.Stdout)!;
        var tree = root["repository"]!;
        Assert.True(tree["directories"]!.GetValue<int>() > 30, "the host's walk counted the real tree");
        Assert.False(root["extensions"]![IdePack.FactsKey]!.AsObject().ContainsKey("tree"), "the Ide pack does not walk the tree itself");

        // Scale the count up to a monorepo's (bench/vendor-walk.sh scans a real 100,000-directory tree);
        // the Ide rule reads nothing but the snapshot's repository index.
        tree["directories"] = 25_000;
        tree["largest"] = JsonNode.Parse("""[{ "path": "data", "directories": 24000, "files": 0 }]""");
        var file = repo.Write("snapshot.json", root.ToJsonString());
        var scan = Cli.Run(["scan", "--from", file, "--format", "json", "--fail-on", "never"], repo.Path, Terminal);
        Assert.True(scan.ExitCode == 0, scan.ToString());

        var huge = Assert.Single(Report.Findings(scan), f => f.RuleId == "GBIDE006");
        Assert.Equal((".vscode/settings.json", 3), (huge.File, huge.Line));
        Assert.Contains("data/", huge.Message);
    }
}
