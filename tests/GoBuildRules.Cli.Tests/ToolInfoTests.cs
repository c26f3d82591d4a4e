using GoBuildRules.Tests.Shared;

namespace GoBuildRules.CommandLine.Tests;

/// <summary>What the tool says about itself: version, help, and a rule page in the terminal.</summary>
public sealed class ToolInfoTests : IDisposable
{
    private readonly TempFolder temp = new("cli-info");

    public ToolInfoTests() => temp.Write("go.mod", "module example.com/m\n\ngo 1.19\n");

    [Fact]
    public void Version_names_the_tool_the_sdk_it_hosts_and_the_bundled_packs()
    {
        var r = Cli.Run("--version");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^gobuildrules \d+\.\d+\.\d+", lines[0]);
        Assert.Matches(@"^GoBuildRules\.Sdk 1\.\d+\.\d+ \(loads packs built against GoBuildRules\.Sdk 1\.x\)$", lines[1]);
        Assert.Equal("bundled packs:", lines[2]);
        var bundled = Directory.GetDirectories(Path.Combine(GoBuildRules.Testing.RepoPaths.Root(), "plugins"))
            .Where(d => Directory.GetFiles(d, "*.csproj").Length > 0).Select(Path.GetFileName).ToList();
        Assert.All(bundled, id => Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^  {System.Text.RegularExpressions.Regex.Escape(id!)} \d+\.\d+\.\d+")));
    }

    [Fact]
    public void Trace_timings_name_every_phase_on_stderr_only_when_asked()
    {
        var quiet = Cli.Run(["scan", "--offline", "--fail-on", "never"], temp.Path);
        Assert.True(quiet.ExitCode == 0, quiet.ToString());
        Assert.DoesNotContain("timing:", quiet.Stderr);

        var traced = Cli.Run(["scan", "--offline", "--fail-on", "never"], temp.Path, new Dictionary<string, string?> { ["GOBUILDRULES_TRACE_TIMINGS"] = "1" });
        Assert.True(traced.ExitCode == 0, traced.ToString());
        Assert.DoesNotContain("timing:", traced.Stdout);
        var lines = traced.Stderr.Split('\n').Where(l => l.StartsWith("gobuildrules: timing: ", StringComparison.Ordinal)).ToList();
        foreach (var phase in new[]
        {
            "start-up until Main", "cli: build the host", "scan: load packs", "pack load: GoBuildRules.Rules.Toolchain",
            "process: go env", "core: repository walk", "core: live processes", "collect: core facts",
            "collector: GoBuildRules.Rules.Vendor", "collect: go oracle", "process: go list", "rule: GBGO001",
            "scan: rules", "scan: render and write the reports", "process until exit", "JIT: ",
        })
        {
            Assert.Contains(lines, l => l.Contains(phase, StringComparison.Ordinal));
        }

        Assert.All(lines.Where(l => !l.Contains("JIT: ", StringComparison.Ordinal)), l => Assert.Matches(@" \+\d+ ms, +\d+ ms, cpu +\d+ ms(, jit +\d+)?$", l));
    }

    [Fact]
    public void Help_has_a_description_line_and_sub_command_help_its_own_usage()
    {
        var root = Cli.Run("--help");
        Assert.True(root.ExitCode == 0, root.ToString());
        Assert.StartsWith("Usage: gobuildrules [command]", root.Stdout);
        Assert.Contains("Finds why `go build`", root.Stdout);

        // Each group's help has its usage and its own description line, not the tool's.
        foreach (var (group, line) in new[] { ("rules", "Inspect the rules of the installed packs"), ("packs", "Install, restore, update, list and remove rule packs") })
        {
            var help = Cli.Run(group, "--help");
            Assert.True(help.ExitCode == 0, help.ToString());
            Assert.StartsWith($"Usage: gobuildrules {group} [command]\n\n{line}", help.Stdout);
            Assert.DoesNotContain("Finds why", help.Stdout);
        }

        // A command's own help keeps its own line.
        var list = Cli.Run("rules", "list", "--help");
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Contains("\n\nList every rule of every loaded pack\n", list.Stdout);
    }

    [Fact]
    public void Rules_explain_renders_the_page_without_markup_or_a_repeated_summary()
    {
        var r = Cli.Run(["rules", "explain", "GBNET002"], temp.Path);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("GBNET002: A GOPROXY entry accepts the connection and never answers\n", r.Stdout);
        Assert.DoesNotContain("**", r.Stdout);
        Assert.DoesNotContain("```", r.Stdout);
        Assert.DoesNotContain("## ", r.Stdout);
        Assert.DoesNotContain("Pack:", r.Stdout);
        Assert.Contains("\nWhat it means\n", r.Stdout);
        Assert.Contains("\n    timeout 60 go mod download -x", r.Stdout);
        // The rule's short description is not printed above the page that says the same at length.
        Assert.DoesNotContain("A module proxy connects but sends no HTTP response", r.Stdout);
    }

    public void Dispose() => temp.Dispose();
}
