using GoBuildRules.Rules.Cgo.Collection;
using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Cgo.Tests;

public sealed class CgoCollectorTests
{
    private static Snapshot Core(Dictionary<string, string> goEnv, Dictionary<string, string> env) =>
        new() { Go = new GoFacts { Status = ToolStatus.Found, Version = "1.21.5", Env = goEnv }, Environment = env, Host = new HostFacts { Os = "linux", Arch = "amd64" } };

    [Fact]
    public void The_go_env_file_comes_from_the_snapshots_go_settings_last_line_winning()
    {
        using var tmp = new TempFolder("cgo-goenv");
        var path = tmp.Write("goenv", "CGO_ENABLED=1\nCC=clang -fcolor\nCGO_ENABLED=0\nGOPROXY=https://u:secret@proxy.example\n");
        var core = Core(new() { ["CGO_ENABLED"] = "0", ["GOENV"] = path }, []) with
        {
            GoSettings = new GoSettings { EnvFile = new GoEnvFile(path) { Read = true, Exists = true, Entries = GoEnvFile.Parse(File.ReadAllText(path)) } },
        };

        var file = Assert.Single(CgoCollector.EnvFiles(core));
        Assert.Equal(path, file.Path);
        Assert.Equal("0", file.Values["CGO_ENABLED"]);
        Assert.Equal("clang -fcolor", file.Values["CC"]);
        Assert.DoesNotContain("secret", file.Values["GOPROXY"]);
        Assert.Equal(("0", path), (CgoCollector.CgoEnabled(core, [file]).ExplicitValue, CgoCollector.CgoEnabled(core, [file]).ExplicitSource));
    }

    [Fact]
    public void Cgo_enabled_is_explicit_when_the_environment_sets_0_or_1()
    {
        var core = Core(new() { ["CGO_ENABLED"] = "1" }, new() { ["CGO_ENABLED"] = "1" });
        var setting = CgoCollector.CgoEnabled(core, []);
        Assert.Equal(("1", "1", "environment"), (setting.Effective, setting.ExplicitValue, setting.ExplicitSource));
    }

    [Fact]
    public void Cgo_enabled_from_the_go_env_file_is_explicit_and_names_the_file()
    {
        var core = Core(new() { ["CGO_ENABLED"] = "0" }, []);
        var file = new CgoCollector.EnvFile("/home/u/.config/go/env", new Dictionary<string, string> { ["CGO_ENABLED"] = "0" });
        var setting = CgoCollector.CgoEnabled(core, [file]);
        Assert.Equal(("0", "/home/u/.config/go/env"), (setting.ExplicitValue, setting.ExplicitSource));
    }

    [Fact]
    public void Cgo_enabled_reported_by_go_alone_is_the_default()
    {
        var setting = CgoCollector.CgoEnabled(Core(new() { ["CGO_ENABLED"] = "0" }, []), []);
        Assert.Equal("0", setting.Effective);
        Assert.False(setting.IsExplicit);
        // A value other than 0 or 1 in the environment hides the file and counts as unset, as in cmd/go.
        var odd = CgoCollector.CgoEnabled(Core(new() { ["CGO_ENABLED"] = "1" }, new() { ["CGO_ENABLED"] = "yes" }),
            [new CgoCollector.EnvFile("f", new Dictionary<string, string> { ["CGO_ENABLED"] = "0" })]);
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

        var found = CgoCollector.Resolve("CC", target, Core(new() { ["CC"] = "'my-cc' -m64" }, new() { ["CC"] = "my-cc -m64" }), [], path);
        Assert.Equal((CompilerStatus.Found, "my-cc", "environment"), (found.Status, found.Program, found.Source));
        Assert.Equal(["-m64"], found.Arguments);
        Assert.Equal(cc, found.ResolvedPath);

        var notExec = CgoCollector.Resolve("CC", target, Core(new() { ["CC"] = "not-exec-cc" }, []), [], path);
        Assert.Equal(CompilerStatus.NotExecutable, notExec.Status);

        var missing = CgoCollector.Resolve("CXX", target, Core(new() { ["CXX"] = "g++" }, []), [], path);
        Assert.Equal((CompilerStatus.NotFound, "default"), (missing.Status, missing.Source));
    }

    [Fact]
    public void Without_go_the_default_compiler_follows_cmd_go()
    {
        Assert.Equal("clang", CgoCollector.DefaultCompiler("CC", "darwin"));
        Assert.Equal("clang++", CgoCollector.DefaultCompiler("CXX", "freebsd"));
        Assert.Equal("gcc", CgoCollector.DefaultCompiler("CC", "linux"));
    }
}
