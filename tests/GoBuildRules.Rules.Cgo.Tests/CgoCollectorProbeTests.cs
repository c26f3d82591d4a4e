using GoBuildRules.Core.Collection;
using System.Collections.Concurrent;
using GoBuildRules.Rules.Cgo.Collection;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Cgo.Tests;

/// <summary>The collector end to end, with a scripted process runner standing in for the compiler.</summary>
public sealed class CgoCollectorProbeTests
{
    private sealed class ScriptedRunner(Func<ProcessRequest, ProcessResult> answer) : IProcessRunner
    {
        public ConcurrentQueue<ProcessRequest> Requests { get; } = new();

        public Task<ProcessResult> RunAsync(ProcessRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            return Task.FromResult(answer(request));
        }
    }

    private static ProcessResult Ok(string stdout) => new(ProcessOutcome.Exited, 0, stdout, "", TimeSpan.Zero);

    private static Snapshot Core(string root, string cc, string hostOs = "linux")
    {
        var goEnv = new Dictionary<string, string>
        {
            ["CC"] = cc, ["CXX"] = "g++", ["CGO_ENABLED"] = "1", ["GOOS"] = "linux", ["GOARCH"] = "arm64",
            ["GOHOSTOS"] = hostOs, ["GOHOSTARCH"] = "amd64", ["GOENV"] = Path.Combine(root, "no-such-env-file"),
        };
        var environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["CC_FOR_linux_arm64"] = "aarch64-linux-gnu-gcc" };
        return new Snapshot
        {
            Host = new HostFacts { Os = hostOs, Arch = "amd64" },
            Go = new GoFacts { Status = ToolStatus.Found, Version = "1.19.8", Env = goEnv },
            Environment = environment,
            // The go settings as the host resolves them, which the collector reads CC and CXX from.
            GoSettings = GoSettingsReader.Read(goEnv, environment),
            Workspace = new WorkspaceFacts { Root = root },
            // The host's walk of the module, which the collector reads its sources from.
            Repository = RepositoryWalker.Walk(root, RepositoryWalkBudget.Default, CancellationToken.None),
        };
    }

    [Fact]
    public async Task Cc_is_asked_for_its_triple_and_version_under_a_short_deadline()
    {
        using var tmp = new TempFolder("cgo-probe");
        tmp.Write("main.go", "package main\n\n// #cgo LDFLAGS: -lm\nimport \"C\"\n");
        var runner = new ScriptedRunner(r => r.Arguments[^1] == "-dumpmachine" ? Ok("x86_64-linux-gnu\n") : Ok("fake cc 1.0\nmore\n"));

        var facts = await new CgoCollector().CollectAsync(new CollectionContext(Core(tmp.Path, "/usr/bin/env -i"), runner, Offline: true), CancellationToken.None);

        Assert.Equal(("x86_64-linux-gnu", "fake cc 1.0", true), (facts.Cc.DumpMachine, facts.Cc.Version, facts.Cc.Runs));
        Assert.Equal(["-i"], facts.Cc.Arguments);
        Assert.All(runner.Requests, r => Assert.InRange(r.Timeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5)));
        Assert.Contains(runner.Requests, r => r.FileName == "/usr/bin/env" && r.Arguments.SequenceEqual(["-i", "-dumpmachine"]));
        Assert.True(facts.Target.IsCrossCompiling);
        Assert.Equal("aarch64-linux-gnu-gcc", facts.CrossCompilerVariables["CC_FOR_linux_arm64"]);
        Assert.Equal("main.go", Assert.Single(facts.Sources.CgoFiles).Path);
        Assert.Null(facts.XcodeSelect);
    }

    [Fact]
    public async Task A_compiler_that_does_not_answer_is_recorded_not_waited_for()
    {
        using var tmp = new TempFolder("cgo-probe");
        var runner = new ScriptedRunner(r => new ProcessResult(ProcessOutcome.TimedOut, -1, "", "", r.Timeout));

        var facts = await new CgoCollector().CollectAsync(new CollectionContext(Core(tmp.Path, "/usr/bin/env"), runner, Offline: true), CancellationToken.None);

        Assert.Equal(CompilerStatus.Found, facts.Cc.Status);
        Assert.Null(facts.Cc.DumpMachine);
        Assert.Contains("did not answer", facts.Cc.ProbeError);
        // A slow compiler is not called broken: that is left unknown.
        Assert.Null(facts.Cc.Runs);
    }

    [Fact]
    public async Task A_compiler_that_fails_both_questions_is_recorded_as_not_running()
    {
        using var tmp = new TempFolder("cgo-probe");
        var runner = new ScriptedRunner(_ => new ProcessResult(ProcessOutcome.Exited, 1, "", "gcc: fatal error: cannot execute 'cc1'\n", TimeSpan.Zero));

        var facts = await new CgoCollector().CollectAsync(new CollectionContext(Core(tmp.Path, "/usr/bin/env"), runner, Offline: true), CancellationToken.None);

        Assert.False(facts.Cc.Runs);
        Assert.False(facts.Cc.IsUsable);
        Assert.Equal("`/usr/bin/env -dumpmachine` exited with 1: gcc: fatal error: cannot execute 'cc1'", facts.Cc.ProbeError);
    }

    [Fact]
    public async Task On_macos_without_command_line_tools_the_usr_bin_stubs_are_not_run()
    {
        using var tmp = new TempFolder("cgo-probe");
        var runner = new ScriptedRunner(r => r.FileName == "xcode-select"
            ? new ProcessResult(ProcessOutcome.Exited, 2, "", "xcode-select: error: unable to get active developer directory\n", TimeSpan.Zero)
            : Ok("should not run"));

        var facts = await new CgoCollector().CollectAsync(new CollectionContext(Core(tmp.Path, "/usr/bin/env", hostOs: "darwin"), runner, Offline: true), CancellationToken.None);

        Assert.Equal(new XcodeSelectProbe { ExitCode = 2, Error = "xcode-select: error: unable to get active developer directory" }, facts.XcodeSelect);
        Assert.Equal("xcode-select", Assert.Single(runner.Requests).FileName);
        Assert.Contains("stubs", facts.Cc.ProbeError);
    }

    [Fact]
    public async Task Facts_round_trip_through_the_snapshot()
    {
        using var tmp = new TempFolder("cgo-probe");
        tmp.Write("lib/x.go", "package lib\n\n/*\n#cgo CFLAGS: -O2\n*/\nimport \"C\"\n");
        tmp.Write("lib/x.cc", "int y;\n");
        var runner = new ScriptedRunner(_ => Ok("x86_64-linux-gnu\n"));
        var core = Core(tmp.Path, "/usr/bin/env");
        var facts = await new CgoCollector().CollectAsync(new CollectionContext(core, runner, Offline: true), CancellationToken.None);

        var back = Snapshot.FromJson(core.WithExtension(CgoPack.PackId, facts).ToJson()).GetExtension<CgoFacts>(CgoPack.PackId)!;

        Assert.Equal(facts.Cc with { Arguments = [] }, back.Cc with { Arguments = [] });
        Assert.Equal(facts.Sources.CgoFiles[0].Directives[0] with { Arguments = [], Conditions = [] }, back.Sources.CgoFiles[0].Directives[0] with { Arguments = [], Conditions = [] });
        Assert.Equal(["-O2"], back.Sources.CgoFiles[0].Directives[0].Arguments);
        // lib/x.cc is a C++ source in the host's index, so CXX was asked too.
        Assert.Contains(runner.Requests, r => r.FileName.EndsWith("g++", StringComparison.Ordinal));
        Assert.Equal(facts.Cxx with { Arguments = [] }, back.Cxx with { Arguments = [] });
        Assert.Equal(facts.Target, back.Target);
    }
}
