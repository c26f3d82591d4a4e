using System.Text;
using System.Text.Json;
using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Rules.Ide.Collection;
using GoBuildRules.Rules.Shared;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Ide.Tests;

public sealed class ParserTests
{
    [Fact]
    public void Jsonc_with_comments_and_trailing_commas_keeps_each_settings_line()
    {
        const string text = """
            // user settings
            {
              /* block
                 comment */
              "go.toolsEnvVars": {
                "GOPROXY": "https://proxy.example.test", // inline
                "GOFLAGS": "-mod=mod",
              },
              "go.buildFlags": ["-tags=a,b", "-v",],
              "gopls": { "build.directoryFilters": ["-node_modules"], },
            }
            """;
        var parse = JsoncFile.Parse(Encoding.UTF8.GetBytes(text));

        Assert.Null(parse.Error);
        JsoncValue At(params string[] path) => parse.Values.Single(v => v.Path.SequenceEqual(path));
        Assert.Equal(5, At("go.toolsEnvVars").Line);
        Assert.Equal(JsonValueKind.Object, At("go.toolsEnvVars").Kind);
        Assert.Equal((6, "https://proxy.example.test"), (At("go.toolsEnvVars", "GOPROXY").Line, At("go.toolsEnvVars", "GOPROXY").Text));
        Assert.Equal(7, At("go.toolsEnvVars", "GOFLAGS").Line);
        Assert.Equal("-v", At("go.buildFlags", "1").Text);
        Assert.Equal(10, At("gopls", "build.directoryFilters", "0").Line);
    }

    [Fact]
    public void A_syntax_error_keeps_what_came_before_and_names_its_line()
    {
        var parse = JsoncFile.Parse(Encoding.UTF8.GetBytes("{\n  \"go.buildTags\": \"dev\"\n  \"go.testTimeout\": \"5s\"\n}\n"));
        Assert.Equal(3, parse.ErrorLine);
        Assert.Contains(parse.Values, v => v.Path.SequenceEqual(["go.buildTags"]) && v.Text == "dev");
        Assert.DoesNotContain(parse.Values, v => v.Path.SequenceEqual(["go.testTimeout"]));
    }

    [Fact]
    public void Idea_xml_settings_keep_component_and_line()
    {
        const string xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <project version="4">
              <component name="GOROOT" url="file:///opt/go1.20" />
              <component name="VgoProject">
                <environment>
                  <map>
                    <entry key="GOFLAGS" value="-mod=mod" />
                    <entry key="GITHUB_TOKEN" value="ghp_abcdefghijklmnop" />
                  </map>
                </environment>
                <proxy>direct</proxy>
                <vendoring-enabled>false</vendoring-enabled>
              </component>
              <component name="GOPATH">
                <option name="urls"><list><option value="file://$PROJECT_DIR$/gopath" /></list></option>
              </component>
              <component name="RunManager">
                <configuration name="app" type="GoApplicationRunConfiguration">
                  <envs><env name="CGO_ENABLED" value="0" /></envs>
                </configuration>
              </component>
            </project>
            """;
        var file = IdeaReader.Read(".idea/workspace.xml", xml);

        Assert.Null(file.Error);
        Assert.Contains(new IdeaSetting("GOROOT", "GOROOT", "file:///opt/go1.20", 3), file.Settings);
        Assert.Contains(new IdeaSetting("VgoProject", "GOFLAGS", "-mod=mod", 7), file.Settings);
        Assert.Contains(new IdeaSetting("VgoProject", "GITHUB_TOKEN", "REDACTED", 8), file.Settings);
        Assert.Contains(new IdeaSetting("VgoProject", "proxy", "direct", 11), file.Settings);
        Assert.Contains(new IdeaSetting("VgoProject", "vendoring-enabled", "false", 12), file.Settings);
        Assert.Contains(new IdeaSetting("GOPATH", "url", "file://$PROJECT_DIR$/gopath", 15), file.Settings);
        Assert.Contains(new IdeaSetting("RunManager", "CGO_ENABLED", "0", 19), file.Settings);
    }

    [Fact]
    public void Collector_reads_a_real_workspace_resolves_paths_and_redacts_secrets()
    {
        using var repo = new TempFolder("gbide-collect");
        repo.Write("go.mod", "module example.com/app\n\ngo 1.19\n");
        repo.Write(".vscode/settings.json", """
            {
              "go.toolsEnvVars": {
                "GOPRIVATE": "${env:GBIDE_TEST_UNSET}",
                "GITHUB_TOKEN": "ghp_abcdefghijklmnop1234",
                "GOPROXY": "https://user:hunter2@proxy.example.test",
              },
              "go.alternateTools": { "go": "${workspaceFolder}/tools/go" },
            }
            """);
        repo.Write(".vscode/launch.json", """
            {
              "configurations": [
                { "name": "attach", "type": "go", "request": "attach",
                  "substitutePath": [ { "from": "${workspaceFolder}/missing", "to": "/app" }, ], },
              ],
            }
            """);
        repo.Write(".github/workflows/ci.yml", "steps:\n  - run: go test -tags 'integration sqlite' ./...\n");
        repo.Write("store/store_test.go", "package store\n\nimport \"testing\"\n\nfunc TestBig(t *testing.T) {\n\tif testing.Short() {\n\t\tt.Skip()\n\t}\n}\n");
        var env = new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/home/dev", ["GOPRIVATE"] = "corp.example" };

        // The core facts the host would give the collector: the real repository walk and CI discovery.
        var facts = new IdeCollector(n => env.GetValueOrDefault(n)).Collect(
            repo.Path, RepositoryWalker.Walk(repo.Path, RepositoryWalkBudget.Default, CancellationToken.None), CiDiscovery.Read(new Dictionary<string, string>(), repo.Path, WorkspaceReader.FindGitTopLevel(repo.Path)), CancellationToken.None);

        var settings = facts.VsCode.Single(f => f.Kind == "settings");
        Assert.Null(settings.Error);
        Assert.Equal("REDACTED", settings.Values.Single(v => v.Path[^1] == "GITHUB_TOKEN").Text);
        Assert.DoesNotContain("hunter2", settings.Values.Single(v => v.Path[^1] == "GOPROXY").Text);
        var reference = Assert.Single(facts.EnvReferences);
        Assert.Equal(("GBIDE_TEST_UNSET", false, 3), (reference.Name, reference.Set, reference.Line));
        var alt = facts.Paths.Single(p => p.Setting == "go.alternateTools.go");
        Assert.Equal((7, false), (alt.Line, alt.Exists));
        Assert.Equal(Path.Combine(repo.Path, "tools", "go"), alt.Resolved);
        var sub = facts.Paths.Single(p => p.Setting == "substitutePath.from");
        Assert.Equal((4, false), (sub.Line, sub.Exists));
        Assert.Equal("corp.example", facts.Shell["GOPRIVATE"]);
        var ci = Assert.Single(facts.Ci);
        Assert.Equal(["integration", "sqlite"], ci.Tags);
        Assert.Equal((1, "store/store_test.go", 6), (facts.Tests.ShortGuards, facts.Tests.ExampleFile, facts.Tests.ExampleLine));
    }
}
