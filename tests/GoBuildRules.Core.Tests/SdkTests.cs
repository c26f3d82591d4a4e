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
    public void Mountinfo_is_parsed_with_roots_and_the_longest_mount_point_wins()
    {
        var mounts = MountTable.ParseMountInfo(
            "22 1 252:1 / / rw,relatime shared:1 - ext4 /dev/vda rw\n" +
            "40 22 0:40 / /home rw,relatime shared:20 master:3 - nfs4 filer:/export/home rw,vers=4.2\n" +
            "41 40 0:41 / /home/me/.cache ro,nosuid - tmpfs tmpfs rw\n" +
            "42 22 252:16 / /mnt/with\\040space rw - ext4 /dev/vdb rw\n" +
            "43 22 0:43 / /mnt/c rw - 9p C:\\134 rw,aname=drvfs\n" +
            "44 43 0:44 /exports/my\\040repo /mnt/c/my\\040repo rw - virtiofs host rw\n" +
            "malformed line without separator\n");

        Assert.Equal(6, mounts.Count);
        Assert.Equal("/exports/my repo", MountTable.Holding(mounts, "/mnt/c/my repo/app")!.Root);
        Assert.Equal("rw,vers=4.2", MountTable.Holding(mounts, "/home/x")!.SuperOptions);
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

    [Theory]
    [InlineData(null, true)]
    [InlineData("1", true)]
    [InlineData("2", false)]
    [InlineData("\"1\"", false)]
    public void Endpoint_verdicts_of_another_contract_major_are_left_out_with_an_issue_not_misread(string? version, bool read)
    {
        var facts = "{" + (version is null ? "" : $"\"endpointVerdictsVersion\": {version}, ")
            + "\"endpointVerdicts\": [{\"variable\": \"GOPROXY\", \"entry\": \"http://127.0.0.1:9\", \"verdict\": \"stalled\", \"addresses\": [\"127.0.0.1:9\"], \"failure\": \"no answer\"}]}";
        var snapshot = new Snapshot().WithExtension("Some.Prober", System.Text.Json.JsonDocument.Parse(facts).RootElement);

        var (verdicts, issues) = EndpointVerdicts.Read(snapshot);

        Assert.Equal(read ? 1 : 0, verdicts.Count);
        Assert.Equal(verdicts.Select(x => (x.Variable, x.Entry)), EndpointVerdicts.In(snapshot).Select(x => (x.Variable, x.Entry)));
        if (read)
        {
            Assert.Equal(("GOPROXY", "stalled"), (verdicts[0].Variable, verdicts[0].Verdict));
            Assert.Empty(issues);
        }
        else
        {
            var issue = Assert.Single(issues);
            Assert.Equal("Some.Prober", issue.Source);
            Assert.Contains($"contract version {version} and this tool reads version {EndpointVerdicts.Version}", issue.Message);
        }
    }

    [Fact]
    public void Endpoint_verdicts_that_are_not_the_contracts_shape_are_left_out_with_an_issue()
    {
        var snapshot = new Snapshot().WithExtension("Some.Prober", System.Text.Json.JsonDocument.Parse("{\"endpointVerdicts\": [{\"variable\": 7}]}").RootElement);

        var (verdicts, issues) = EndpointVerdicts.Read(snapshot);

        Assert.Empty(verdicts);
        Assert.Contains("do not have the contract's shape", Assert.Single(issues).Message);
    }
}
