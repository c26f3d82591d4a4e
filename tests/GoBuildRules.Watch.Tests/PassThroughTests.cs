using System.Diagnostics;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Watch.Tests;

/// <summary>A build that does not stall behaves exactly as without watch.</summary>
[Collection("watch")]
public sealed class PassThroughTests
{
    private const string Hello = """
        package main

        import (
        	"fmt"
        	"os"
        )

        func main() {
        	fmt.Println("to stdout")
        	fmt.Fprintln(os.Stderr, "to stderr")
        	os.Exit(3)
        }
        """;

    [Fact]
    public void Healthy_go_build_passes_output_and_exit_code_through_byte_for_byte()
    {
        using var m = new GoModule();
        m.Write("main.go", Hello);
        m.Write("lib/lib.go", "package lib\n\nfunc F() int { return 1 }\n");

        // -n prints every command go would run ($WORK stays literal): a long, deterministic stderr.
        var bare = m.Bare(GoToolchain.Path, "build", "-n", "-a", "./...");
        var watched = m.Watch("--", "go", "build", "-n", "-a", "./...");
        Assert.Equal(0, bare.ExitCode);
        Assert.True(bare.Stderr.Length > 1000, bare.ToString());
        Assert.Equal(bare.ExitCode, watched.ExitCode);
        Assert.Equal(bare.Stdout, watched.Stdout);
        Assert.Equal(bare.Stderr, watched.Stderr);

        var built = m.Watch("--", "go", "build", "-o", m.Combine("app"), ".");
        Assert.Equal(0, built.ExitCode);
        Assert.Equal("", built.Stdout + built.Stderr);
        Assert.False(Directory.Exists(m.Combine("diagnose")), "a healthy build leaves no diagnose folder");

        // The program's own streams and exit code, through `go run`.
        var bareRun = m.Bare(GoToolchain.Path, "run", ".");
        var watchedRun = m.Watch("--", "go", "run", ".");
        Assert.Equal(1, bareRun.ExitCode); // go run reports a non-zero exit as 1
        Assert.Equal(bareRun.ExitCode, watchedRun.ExitCode);
        Assert.Equal(bareRun.Stdout, watchedRun.Stdout);
        Assert.Equal(bareRun.Stderr, watchedRun.Stderr);

        var direct = m.Watch("--", m.Combine("app"));
        Assert.Equal(3, direct.ExitCode);
        Assert.Equal("to stdout\n", direct.Stdout);
        Assert.Equal("to stderr\n", direct.Stderr);
    }

    [Fact]
    public void Failing_build_keeps_go_s_message_and_exit_code()
    {
        using var m = new GoModule();
        m.Write("main.go", "package main\n\nfunc main() { undefined() }\n");
        var bare = m.Bare(GoToolchain.Path, "build", "./...");
        var watched = m.Watch("--", "go", "build", "./...");
        Assert.NotEqual(0, bare.ExitCode); // 2 in go 1.19: cmd/go exits 2 when a package fails to build
        Assert.Contains("undefined: undefined", bare.Stderr);
        Assert.Equal(bare.ExitCode, watched.ExitCode);
        Assert.Equal(bare.Stderr, watched.Stderr);
        Assert.Equal(bare.Stdout, watched.Stdout);
    }

    [Fact]
    public void Missing_command_is_127_and_a_file_that_cannot_be_executed_is_126()
    {
        using var m = new GoModule();
        var missing = m.Watch("--", "no-such-command-gbr");
        Assert.Equal(127, missing.ExitCode);
        Assert.Contains("no-such-command-gbr: command not found", missing.Stderr);
        Assert.DoesNotContain("   at ", missing.Stderr);

        var script = m.Write("build.sh", "#!/bin/sh\necho hi\n");
        var notExecutable = m.Watch("--", script);
        Assert.Equal(126, notExecutable.ExitCode);
        Assert.Contains("not executable", notExecutable.Stderr);

        var folder = m.Watch("--", m.Root);
        Assert.Equal(126, folder.ExitCode);
    }

    [Fact]
    public void Bad_options_are_usage_errors()
    {
        using var m = new GoModule();
        var noCommand = m.Watch();
        Assert.Equal(2, noCommand.ExitCode);
        Assert.Contains("needs a command", noCommand.Stderr);
        var badDuration = m.Watch("--stall", "soon", "--", "true");
        Assert.Equal(2, badDuration.ExitCode);
        Assert.Contains("--stall soon is not a duration", badDuration.Stderr);
    }

    [Fact]
    public void A_terminal_stays_a_terminal()
    {
        using var m = new GoModule();
        // script(1) gives watch a pseudo-terminal; the command must see one on stdout and stderr.
        var inner = $"dotnet {Cli.ToolAssembly} watch -- sh -c 'test -t 1 && test -t 2 && echo ON-A-TERMINAL'";
        var result = m.Bare("script", "-qec", inner, "/dev/null");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ON-A-TERMINAL", result.Stdout);
    }

    [Fact]
    public void A_long_build_with_steady_cpu_or_output_is_not_a_stall()
    {
        using var m = new GoModule();
        m.Write("spin/main.go", """
            package main

            import "time"

            func main() {
            	end := time.Now().Add(6 * time.Second)
            	n := 0
            	for time.Now().Before(end) {
            		n++
            	}
            	println("spun", n > 0)
            }
            """);
        m.Write("talk/main.go", """
            package main

            import (
            	"fmt"
            	"time"
            )

            func main() {
            	for i := 0; i < 12; i++ {
            		fmt.Println("step", i)
            		time.Sleep(500 * time.Millisecond)
            	}
            }
            """);
        Assert.Equal(0, m.Bare(GoToolchain.Path, "build", "-o", m.Combine("bin") + "/", "./...").ExitCode);

        var spin = m.Watch("--stall", "2s", "--", m.Combine("bin", "spin"));
        Assert.Equal(0, spin.ExitCode);
        Assert.Contains("spun true", spin.Stderr);

        var talk = m.Watch("--stall", "2s", "--", m.Combine("bin", "talk"));
        Assert.Equal(0, talk.ExitCode);
        Assert.Contains("step 11", talk.Stdout);
        Assert.False(Directory.Exists(m.Combine("diagnose")));
    }
}
