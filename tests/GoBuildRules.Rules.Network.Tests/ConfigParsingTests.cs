using GoBuildRules.Sdk;
using GoBuildRules.Rules.Network.Collection;
using GoBuildRules.Rules.Network.Config;

namespace GoBuildRules.Rules.Network.Tests;

/// <summary>The parsers against cmd/go's own behaviour, case by case.</summary>
public sealed class ConfigParsingTests
{
    [Fact]
    public void Empty_GOPROXY_is_the_default_list()
    {
        var list = GoProxyList.Parse("");
        Assert.Null(list.Error);
        Assert.Equal(["https://proxy.golang.org", "direct"], list.Entries.Select(e => e.Url));
        Assert.False(list.Entries[0].FallBackOnError);
        Assert.Equal(',', list.Entries[0].Separator);
    }

    [Fact]
    public void Pipe_marks_fallback_on_the_entry_before_it_and_bare_hosts_get_https()
    {
        var list = GoProxyList.Parse("corp.example.com|proxy.golang.org,direct");
        Assert.Equal(["https://corp.example.com", "https://proxy.golang.org", "direct"], list.Entries.Select(e => e.Url));
        Assert.Equal([true, false, false], list.Entries.Select(e => e.FallBackOnError));
    }

    [Theory]
    [InlineData("off,https://proxy.golang.org", 1, ProxyEntryKind.Off)]
    [InlineData("direct,https://proxy.golang.org", 1, ProxyEntryKind.Direct)]
    [InlineData(" , https://a.example ,, direct ", 2, ProxyEntryKind.Direct)]
    public void Off_and_direct_end_the_list_and_blank_entries_are_skipped(string value, int count, ProxyEntryKind last)
    {
        var list = GoProxyList.Parse(value);
        Assert.Null(list.Error);
        Assert.Equal(count, list.Entries.Count);
        Assert.Equal(last, list.Entries[^1].Kind);
    }

    [Theory]
    [InlineData("ftp://proxy.example.com", "invalid proxy URL scheme")]
    [InlineData("proxy", "missing scheme")]
    [InlineData(" , ", "contains no entries")]
    public void Malformed_GOPROXY_is_reported_as_cmd_go_does(string value, string error) =>
        Assert.Contains(error, GoProxyList.Parse(value).Error);

    [Fact]
    public void File_URLs_and_GONOPROXY_are_recognised()
    {
        var list = GoProxyList.Parse("file:///srv/goproxy,off", goNoProxy: "corp.example.com");
        Assert.Equal([ProxyEntryKind.NoProxy, ProxyEntryKind.File, ProxyEntryKind.Off], list.Entries.Select(e => e.Kind));
        Assert.Equal("/srv/goproxy", FileProxyChecker.ToPath(list.Entries[1].Url));
    }

    [Theory]
    [InlineData("sum.golang.org", SumDbMode.On, "sum.golang.org", null)]
    [InlineData("off", SumDbMode.Off, null, null)]
    [InlineData("sum.golang.google.cn", SumDbMode.On, "sum.golang.org", "https://sum.golang.google.cn")]
    [InlineData("sum.golang.org http://127.0.0.1:9/", SumDbMode.On, "sum.golang.org", "http://127.0.0.1:9")]
    [InlineData("sumdb.example.com+12345678+AQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g https://sumdb.example.com", SumDbMode.On, "sumdb.example.com", "https://sumdb.example.com")]
    [InlineData("sumdb.example.com", SumDbMode.Malformed, null, null)]
    [InlineData("a b c", SumDbMode.Malformed, null, null)]
    [InlineData("sumdb.example.com+12345678+AAAA", SumDbMode.Malformed, null, null)]
    public void GOSUMDB_parses_as_cmd_go_does(string value, SumDbMode mode, string? name, string? url)
    {
        var db = SumDbConfig.Parse(value);
        Assert.Equal(mode, db.Mode);
        Assert.Equal(name, db.Name);
        Assert.Equal(url, db.ExplicitUrl);
        Assert.Equal(mode == SumDbMode.Malformed, db.Error is not null);
    }

    [Theory]
    [InlineData("", "github.com/x/y", false, true)]
    [InlineData("", "corp.example/x", true, true)]
    [InlineData("public:off", "github.com/x/y", false, false)]
    [InlineData("corp.example:hg,private:all", "corp.example/x", true, false)]
    public void GOVCS_decides_whether_git_may_run(string govcs, string module, bool isPrivate, bool allowed)
    {
        var config = GoVcsConfig.Parse(govcs);
        Assert.Null(config.Error);
        Assert.Equal(allowed, config.AllowsGit(module, isPrivate));
    }

    [Theory]
    [InlineData("ssh://git@git.corp.example:2222/team/repo", "git.corp.example", 2222)]
    [InlineData("git@github.com:", "github.com", 22)]
    [InlineData("ssh://git@github.com/", "github.com", 22)]
    public void Ssh_hosts_are_found_in_insteadOf_bases(string url, string host, int port) =>
        Assert.Equal((host, port), GitConfigReader.SshHost(url));

    [Fact]
    public void Https_insteadOf_bases_are_not_ssh() => Assert.Null(GitConfigReader.SshHost("https://github.com/"));

    [Fact]
    public void Known_hosts_matches_plain_wildcard_port_and_hashed_entries()
    {
        // |1|salt|hash for "hashed.example" with a fixed salt.
        var salt = new byte[20];
        using var hmac = new System.Security.Cryptography.HMACSHA1(salt);
        var hash = Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.ASCII.GetBytes("hashed.example")));
        string[] lines =
        [
            "# comment",
            "github.com,140.82.121.4 ssh-ed25519 AAAA",
            "*.corp.example ssh-ed25519 AAAA",
            "[git.port.example]:2222 ssh-ed25519 AAAA",
            $"|1|{Convert.ToBase64String(salt)}|{hash} ssh-ed25519 AAAA",
        ];
        Assert.True(GitConfigReader.IsKnown(lines, "github.com", 22));
        Assert.True(GitConfigReader.IsKnown(lines, "git.corp.example", 22));
        Assert.True(GitConfigReader.IsKnown(lines, "git.port.example", 2222));
        Assert.False(GitConfigReader.IsKnown(lines, "git.port.example", 22));
        Assert.True(GitConfigReader.IsKnown(lines, "hashed.example", 22));
        Assert.False(GitConfigReader.IsKnown(lines, "gitlab.com", 22));
    }

    [Fact]
    public void Module_paths_are_escaped_and_userinfo_stripped()
    {
        Assert.Equal("github.com/!azure/go", NetworkConfig.EscapePath("github.com/Azure/go"));
        Assert.Equal("https://proxy.example/x", NetworkConfig.StripUserInfo("https://REDACTED@proxy.example/x"));
        Assert.Equal("https://proxy.example", NetworkConfig.StripUserInfo("https://u:p@proxy.example"));
    }
}
