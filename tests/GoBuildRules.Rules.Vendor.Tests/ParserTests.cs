using GoBuildRules.Core.Collection;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Rules.Vendor.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Vendor.Tests;

public sealed class ParserTests
{
    /// <summary>The watcher configs the scan's repository walk finds in a real tree.</summary>
    private static IReadOnlyList<string> Configs(string root) =>
        RepositoryWalker.Walk(root, RepositoryWalkBudget.Default, CancellationToken.None).WatcherConfigs;

    [Fact]
    public void Air_toml_subset_keeps_tables_lines_and_multiline_arrays()
    {
        const string text = """
            # air config
            root = "."
            tmp_dir = 'tmp'

            [build]
              cmd = "go build -o ./tmp/main ." # trailing comment
              exclude_dir = [
                "assets",   # why: static files
                "tmp", 'vendor',
              ]
              include_ext = ["go", "tpl"]
              poll = true
              poll_interval = 500
              weird = {
            """;
        var config = TomlLite.Parse(".air.toml", text);

        Assert.Equal(["."], config.Get("root")!.Values);
        Assert.Equal("build.exclude_dir", config.Get("build.exclude_dir")!.Key);
        Assert.Equal(7, config.Get("build.exclude_dir")!.Line);
        Assert.Equal(["assets", "tmp", "vendor"], config.Get("build.exclude_dir")!.Values);
        Assert.Equal(11, config.Get("build.include_ext")!.Line);
        Assert.Equal("bool", config.Get("build.poll")!.Kind);
        Assert.Equal("go build -o ./tmp/main .", config.Get("build.cmd")!.Values[0]);
        Assert.Equal("other", config.Get("build.weird")!.Kind);
    }

    [Fact]
    public void Watcher_commands_gitignore_and_ci_are_read_from_real_files()
    {
        using var repo = new TempFolder("gbvnd-files");
        repo.Write("Makefile", "dev:\n\tgo run github.com/githubnemo/CompileDaemon -exclude-dir=.git -command=./app\nwatch:\n\twatchexec --poll 500ms -e go -- go run . && echo done\n");
        repo.Write("reflex.conf", "# comment\n-r '\\.go$' -R '^vendor/' -- go run .\n");
        repo.Write(".gitignore", "bin/\n/vendor/\nnode_modules\n");
        repo.Write(".github/workflows/ci.yml", "jobs:\n  build:\n    env:\n      GOFLAGS: -mod=vendor\n    steps:\n      - run: go test ./...\n");

        var commands = RepoFiles.WatcherCommands(repo.Path, Configs(repo.Path));
        var daemon = Assert.Single(commands, c => c.Tool == "CompileDaemon");
        Assert.Equal(("Makefile", 2), (daemon.File, daemon.Line));
        Assert.Contains("-exclude-dir=.git", daemon.Arguments);
        var watchexec = Assert.Single(commands, c => c.Tool == "watchexec");
        Assert.DoesNotContain("echo", watchexec.Arguments);
        Assert.Contains("--poll", watchexec.Arguments);
        var reflex = Assert.Single(commands, c => c.Tool == "reflex");
        Assert.Equal(("reflex.conf", 2), (reflex.File, reflex.Line));

        Assert.Equal(2, RepoFiles.Ignored(repo.Path, "vendor")!.Line);
        Assert.Equal(3, RepoFiles.Ignored(repo.Path, "node_modules")!.Line);
        var (modVendor, goModVendor) = RepoFiles.CiVendor(repo.Path, CiDiscovery.Read(new Dictionary<string, string>(), repo.Path, WorkspaceReader.FindGitTopLevel(repo.Path)).ConfigFiles);
        Assert.Equal((".github/workflows/ci.yml", 4), (modVendor.Single().File, modVendor.Single().Line));
        Assert.Empty(goModVendor);
    }

    [Fact]
    public void A_negated_gitignore_line_reincludes_vendor()
    {
        using var repo = new TempFolder("gbvnd-neg");
        repo.Write(".gitignore", "vendor/\n!vendor/\n");
        Assert.Null(RepoFiles.Ignored(repo.Path, "vendor"));
    }

    [Fact]
    public void Gopls_directory_filters_are_read_from_jsonc_settings_with_their_line()
    {
        using var repo = new TempFolder("gbvnd-gopls");
        repo.Write(".vscode/settings.json", """
            {
              // comments are allowed
              "go.useLanguageServer": true,
              "gopls": {
                "build.directoryFilters": ["-vendor", "-web",],
              },
            }
            """);
        var gopls = RepoFiles.Gopls(repo.Path, Configs(repo.Path));
        Assert.NotNull(gopls);
        Assert.Equal(5, gopls.Line);
        Assert.Equal(["-vendor", "-web"], gopls.Filters);
    }

    [Fact]
    public void Mount_table_picks_the_longest_mount_point_and_unescapes_spaces()
    {
        var mounts = MountTable.ParseMountInfo("1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:2 / /mnt/c rw - 9p C:\\134 rw,aname=drvfs\n3 2 0:3 / /mnt/c/my\\040repo rw - virtiofs host rw\n");
        string? FileSystemOf(string root) =>
            GoBuildRules.Rules.Vendor.Rules.Support.WorkspaceMount(new Snapshot { Mounts = mounts, Workspace = new WorkspaceFacts { Root = root } })?.FileSystem;
        Assert.Equal("9p", FileSystemOf("/mnt/c/src/app"));
        Assert.Equal("virtiofs", FileSystemOf("/mnt/c/my repo/app/"));
        Assert.Equal("ext4", FileSystemOf("/home/dev/app"));
    }
}
