using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Tests;

public sealed class SdkTests
{
    [Theory]
    [InlineData("1.21", "1.21.0", -1)]
    [InlineData("1.21rc1", "1.21", -1)]
    [InlineData("go1.19.8", "1.20", -1)]
    [InlineData("1.22.3", "1.22.10", -1)]
    [InlineData("1.9", "1.10", -1)]
    [InlineData("go1.22.0", "1.22.0", 0)]
    public void Go_versions_compare_as_cmd_go_does(string a, string b, int sign)
    {
        Assert.True(GoVersion.TryParse(a, out var va));
        Assert.True(GoVersion.TryParse(b, out var vb));
        Assert.Equal(sign, Math.Sign(va.Value.CompareTo(vb.Value)));
    }

    [Theory]
    [InlineData("GITHUB_TOKEN", "ghp_abc", "REDACTED")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "wJalr", "REDACTED")]
    [InlineData("GOPROXY", "https://alice:s3cret@proxy.corp,direct", "https://REDACTED@proxy.corp,direct")]
    [InlineData("HTTPS_PROXY", "http://bob:pw@10.0.0.1:3128", "http://REDACTED@10.0.0.1:3128")]
    [InlineData("GOFLAGS", "-mod=mod -ldflags=-X=main.apiToken=abc123", "-mod=mod -ldflags=-X=main.apiToken=REDACTED")]
    [InlineData("GOSUMDB", "sum.golang.org", "sum.golang.org")]
    [InlineData("GOPRIVATE", "*.corp.example", "*.corp.example")]
    public void Secrets_are_redacted_and_plain_values_kept(string name, string value, string expected) =>
        Assert.Equal(expected, Secrets.RedactVariable(name, value));

    [Fact]
    public void Snapshot_round_trips_through_json_with_extensions()
    {
        var snapshot = new Snapshot
        {
            ToolVersion = "1.2.3",
            Go = new GoFacts { Status = ToolStatus.Found, Version = "1.22.3", Env = new Dictionary<string, string> { ["GOPROXY"] = "off" } },
            Workspace = new WorkspaceFacts { Root = "/src", GoMod = new GoModFile("go.mod") { Module = "m", Requires = [new ModuleRequirement("a", "v1.0.0", 3) { Indirect = true }] } },
        }.WithExtension("pack", new Dictionary<string, int> { ["walked"] = 7 });

        var back = Snapshot.FromJson(snapshot.ToJson());

        Assert.Equal("off", back.GoEnv("GOPROXY"));
        Assert.True(back.Workspace.GoMod!.Requires[0].Indirect);
        Assert.Equal(7, back.GetExtension<Dictionary<string, int>>("pack")!["walked"]);
        // A snapshot without Go settings gains the ones derived from go env; from then on it round-trips exactly.
        Assert.Equal("off", back.GoSettings.Value("GOPROXY"));
        Assert.Equal(back.ToJson(), Snapshot.FromJson(back.ToJson()).ToJson());
    }

    [Theory]
    [InlineData("{ not json", "not a valid snapshot")]
    [InlineData("null", "null")]
    [InlineData("{\"schemaVersion\": 99}", "schema version 99")]
    [InlineData("{\"schemaVersion\": 1, \"go\": {\"status\": \"sideways\"}}", "not a valid snapshot")]
    public void Malformed_snapshots_give_one_clear_message(string json, string expected)
    {
        var e = Assert.Throws<SnapshotFormatException>(() => Snapshot.FromJson(json));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void Cc_values_split_like_cmd_go()
    {
        Assert.Equal(["zig", "cc", "-target", "x86_64-linux-musl"], Executables.SplitCommandLine("zig cc -target x86_64-linux-musl"));
        Assert.Equal(["/opt/my tools/gcc", "-m32"], Executables.SplitCommandLine("'/opt/my tools/gcc' -m32"));
    }

    [Fact]
    public void Mounts_are_parsed_and_the_longest_mount_point_wins()
    {
        var mounts = MountTable.Parse(
            "/dev/vda / ext4 rw,relatime 0 0\n" +
            "filer:/export/home /home nfs4 rw,vers=4.2 0 0\n" +
            "tmpfs /home/me/.cache tmpfs ro,nosuid 0 0\n" +
            "/dev/vdb /mnt/with\\040space ext4 rw 0 0\n" +
            "C:\\134 /mnt/c 9p rw,aname=drvfs 0 0\n" +
            "host /mnt/c/my\\040repo virtiofs rw 0 0\n");

        Assert.Equal("nfs4", MountTable.Holding(mounts, "/home/me/go/pkg/mod")!.FileSystem);
        var cache = MountTable.Holding(mounts, "/home/me/.cache/go-build")!;
        Assert.Equal("tmpfs", cache.FileSystem);
        Assert.True(cache.ReadOnly);
        Assert.Equal("ext4", MountTable.Holding(mounts, "/homework")!.FileSystem);
        Assert.Equal("/mnt/with space", MountTable.Holding(mounts, "/mnt/with space/x")!.MountPoint);
        Assert.Equal("9p", MountTable.Holding(mounts, "/mnt/c/src/app")!.FileSystem);
        Assert.Equal("C:\\", MountTable.Holding(mounts, "/mnt/c/src/app")!.Source);
        Assert.Equal("virtiofs", MountTable.Holding(mounts, "/mnt/c/my repo/app")!.FileSystem);
        Assert.Equal("ext4", MountTable.Holding(mounts, "/srv/dev/app")!.FileSystem);
    }
}
