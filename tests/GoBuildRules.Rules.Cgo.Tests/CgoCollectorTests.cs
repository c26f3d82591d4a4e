using GoBuildRules.Core.Collection;
using GoBuildRules.Rules.Cgo.Analysis;
using GoBuildRules.Rules.Cgo.Collection;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Cgo.Tests;

public sealed class CgoCollectorTests
{
    /// <summary>A core snapshot whose go settings the host's own reader resolved (GOENV file included), as a scan has them.</summary>
    private static Snapshot Core(Dictionary<string, string> goEnv, Dictionary<string, string> env) =>
        new()
        {
            Go = new GoFacts { Status = ToolStatus.Found, Version = "1.21.5", Env = goEnv },
            Environment = env,
            Host = new HostFacts { Os = "linux", Arch = "amd64" },
            GoSettings = GoSettingsReader.Read(goEnv, env),
        };

    private static CgoView View(Snapshot core, CompilerProbe? cc = null) =>
        CgoView.Of(core.WithExtension(CgoPack.PackId, new CgoFacts { Cc = cc ?? new CompilerProbe("CC") }))!;

    [Fact]
    public void The_go_env_file_the_host_read_sets_cgo_and_the_compiler_last_line_winning()
    {
        using var tmp = new TempFolder("cgo-goenv");
        var path = tmp.Write("goenv", "CGO_ENABLED=1\nCC=clang -fcolor\nCGO_ENABLED=0\nCGO_LDFLAGS_ALLOW=-Wl,.*\nGOPROXY=https://u:secret@proxy.example\n");
        var core = Core(new() { ["CGO_ENABLED"] = "0", ["GOENV"] = path }, []);

        var setting = CgoEnabledSetting.Of(core);
        Assert.Equal(("0", "0", path), (setting.Effective, setting.ExplicitValue, setting.ExplicitSource));
        var target = new BuildTarget { Goos = "linux", Goarch = "amd64", HostGoos = "linux", HostGoarch = "amd64" };
        var cc = CgoCollector.Resolve("CC", target, core, "/nonexistent");
        Assert.Equal(("clang -fcolor", "clang"), (cc.Configured, cc.Program));
        Assert.Equal("go env file " + path, View(core, cc).SourceText(cc));
    }

    [Fact]
    public void Cgo_enabled_is_explicit_when_the_environment_sets_0_or_1()
    {
        var setting = CgoEnabledSetting.Of(Core(new() { ["CGO_ENABLED"] = "1" }, new() { ["CGO_ENABLED"] = "1" }));
        Assert.Equal(("1", "1", "environment"), (setting.Effective, setting.ExplicitValue, setting.ExplicitSource));
    }

    [Fact]
    public void Cgo_enabled_reported_by_go_alone_is_the_default()
    {
        var setting = CgoEnabledSetting.Of(Core(new() { ["CGO_ENABLED"] = "0" }, []));
        Assert.Equal("0", setting.Effective);
        Assert.False(setting.IsExplicit);
    }

    [Fact]
    public void A_value_other_than_0_or_1_in_the_environment_hides_the_file_and_counts_as_unset()
    {
        using var tmp = new TempFolder("cgo-goenv-odd");
        var path = tmp.Write("goenv", "CGO_ENABLED=0\n");
        var odd = CgoEnabledSetting.Of(Core(new() { ["CGO_ENABLED"] = "1", ["GOENV"] = path }, new() { ["CGO_ENABLED"] = "yes" }));
        Assert.False(odd.IsExplicit);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Compiler_is_split_and_resolved_on_path()
    {
        using var tmp = new TempFolder("cgo-cc");
        var cc = tmp.Write("bin/my-cc", "#!/bin/sh\n");
        File.SetUnixFileMode(cc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        tmp.Write("bin/not-exec-cc", "x");
        var path = tmp.Combine("bin");
        var target = new BuildTarget { Goos = "linux", Goarch = "amd64", HostGoos = "linux", HostGoarch = "amd64" };

        var fromEnv = Core(new() { ["CC"] = "'my-cc' -m64" }, new() { ["CC"] = "my-cc -m64" });
        var found = CgoCollector.Resolve("CC", target, fromEnv, path);
        Assert.Equal((CompilerStatus.Found, "my-cc", "environment"), (found.Status, found.Program, View(fromEnv, found).SourceText(found)));
        Assert.Equal(["-m64"], found.Arguments);
        Assert.Equal(cc, found.ResolvedPath);

        var notExec = CgoCollector.Resolve("CC", target, Core(new() { ["CC"] = "not-exec-cc" }, []), path);
        Assert.Equal(CompilerStatus.NotExecutable, notExec.Status);

        var byDefault = Core(new() { ["CXX"] = "g++" }, []);
        var missing = CgoCollector.Resolve("CXX", target, byDefault, path);
        Assert.Equal((CompilerStatus.NotFound, "default"), (missing.Status, View(byDefault).SourceText(missing)));
    }

    [Fact]
    public void Without_go_the_default_compiler_follows_cmd_go()
    {
        Assert.Equal("clang", CgoCollector.DefaultCompiler("CC", "darwin"));
        Assert.Equal("clang++", CgoCollector.DefaultCompiler("CXX", "freebsd"));
        Assert.Equal("gcc", CgoCollector.DefaultCompiler("CC", "linux"));
    }
}
