using System.Text.Json;
using GoBuildRules.Core.Collection;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Core.Tests;

/// <summary>The core's Go settings: Go's own matching (cases from Go's tests) and provenance against the real go.</summary>
public sealed class GoSettingsTests
{
    // golang.org/x/mod/module TestMatchPrefixPatterns, except "rsc.io/": upstream's current test expects
    // false, but go 1.19's vendored MatchPrefixPatterns trims one trailing slash first, so the go we
    // check against matches it (verified by running that code).
    [Theory]
    [InlineData("*/quote", "rsc.io/quote", true)]
    [InlineData("*/quo", "rsc.io/quote", false)]
    [InlineData("*/quo??", "rsc.io/quote", true)]
    [InlineData("*/quo*", "rsc.io/quote", true)]
    [InlineData("*quo*", "rsc.io/quote", false)]
    [InlineData("rsc.io", "rsc.io/quote", true)]
    [InlineData("*.io", "rsc.io/quote", true)]
    [InlineData("rsc.io/", "rsc.io/quote", true)]
    [InlineData("rsc", "rsc.io/quote", false)]
    [InlineData("rsc*", "rsc.io/quote", true)]
    [InlineData("rsc.io", "rsc.io/quote/v3", true)]
    [InlineData("*/quote", "rsc.io/quote/v3", true)]
    [InlineData("*/quote/*", "rsc.io/quote/v3", true)]
    [InlineData("*/v3", "rsc.io/quote/v3", false)]
    [InlineData("*/*/v3", "rsc.io/quote/v3", true)]
    [InlineData("*/*/*", "rsc.io/quote/v3", true)]
    [InlineData("*/*/*", "rsc.io/quote", false)]
    [InlineData("*/*/*,,", "rsc.io/quote", false)]
    [InlineData("*/*/*,,*/quote", "rsc.io/quote", true)]
    [InlineData(",,*/quote", "rsc.io/quote", true)]
    // Beyond Go's table: no spaces are trimmed, only one trailing slash, classes and malformed globs.
    [InlineData(" rsc.io", "rsc.io/quote", false)]
    [InlineData("rsc.io//", "rsc.io/quote", false)]
    [InlineData("git.[a-c]orp.io", "git.borp.io/x", true)]
    [InlineData("git.[^a-c]orp.io", "git.borp.io/x", false)]
    [InlineData("[", "github.com", false)]
    public void Module_patterns_match_as_go_1_19(string globs, string target, bool want) =>
        Assert.Equal(want, new ModulePatternSet(globs).Matches(target));

    // golang.org/x/net/http/httpproxy TestUseProxy and TestAllNoProxy, port 80.
    private const string NoProxyList = "foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64";

    [Theory]
    [InlineData("localhost", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.0.0.2", false)]
    [InlineData("[::1]", false)]
    [InlineData("[::2]", true)]
    [InlineData("192.168.1.1", false)]
    [InlineData("192.168.1.2", true)]
    [InlineData("192.168.1.3", false)]
    [InlineData("192.168.1.4", true)]
    [InlineData("10.0.0.2", false)]
    [InlineData("[2001:db8::52:0:1]", false)]
    [InlineData("[2001:db8::52:0:2]", true)]
    [InlineData("[2001:db8::52:0:3]", false)]
    [InlineData("[2002:db8:a::123]", false)]
    [InlineData("[fe80::424b:c8be:1643:a1b6]", true)]
    [InlineData("barbaz.net", true)]
    [InlineData("www.barbaz.net", false)]
    [InlineData("foobar.com", false)]
    [InlineData("www.foobar.com", false)]
    [InlineData("foofoobar.com", true)]
    [InlineData("baz.com", true)]
    [InlineData("localhost.net", true)]
    [InlineData("local.localhost", true)]
    [InlineData("barbarbaz.net", true)]
    [InlineData("wildcard.io", true)]
    [InlineData("nested.wildcard.io", false)]
    [InlineData("awildcard.io", true)]
    public void NO_PROXY_matches_as_httpproxy(string host, bool useProxy)
    {
        Assert.Equal(useProxy, new HttpProxyConfig(null, null, NoProxyList, null, null).UseProxy(host, "80"));
        Assert.False(new HttpProxyConfig(null, null, "*", null, null).UseProxy(host, "80"));
    }

    [Fact]
    public void An_invalid_NO_PROXY_entry_is_ignored() =>
        Assert.True(new HttpProxyConfig(null, null, ":1", null, null).UseProxy("example.com", "80"));

    // httpproxy TestProxyForURL (the cases go 1.19's vendored copy shares with upstream; IDNA and CGI are not ported).
    [Theory]
    [InlineData("127.0.0.1:8080", null, null, "http://example.com", "http://127.0.0.1:8080/")]
    [InlineData("cache.corp.example.com:1234", null, null, "http://example.com", "http://cache.corp.example.com:1234/")]
    [InlineData("cache.corp.example.com", null, null, "http://example.com", "http://cache.corp.example.com/")]
    [InlineData("localhost", null, null, "http://example.com", "http://localhost/")]
    [InlineData("https://cache.corp.example.com", null, null, "http://example.com", "https://cache.corp.example.com/")]
    [InlineData("socks5://127.0.0.1", null, null, "http://example.com", "socks5://127.0.0.1/")]
    [InlineData("http.proxy.tld", "secure.proxy.tld", null, "http://insecure.tld/", "http://http.proxy.tld/")]
    [InlineData("http.proxy.tld", "secure.proxy.tld", null, "https://secure.tld/", "http://secure.proxy.tld/")]
    [InlineData("http.proxy.tld", "https://secure.proxy.tld", null, "https://secure.tld/", "https://secure.proxy.tld/")]
    [InlineData("http.proxy.tld", null, null, "https://secure.tld/", null)]
    [InlineData("http.proxy.tld", null, null, "ftp://insecure.tld/", null)]
    [InlineData(null, null, null, "http://example.com", null)]
    [InlineData("proxy", null, "example.com", "http://example.com/", null)]
    [InlineData("proxy", null, ".example.com", "http://example.com/", "http://proxy/")]
    [InlineData("proxy", null, "ample.com", "http://example.com/", "http://proxy/")]
    [InlineData("proxy", null, "example.com", "http://foo.example.com/", null)]
    [InlineData("proxy", null, ".foo.com", "http://example.com/", "http://proxy/")]
    public void Proxy_for_URL_as_httpproxy(string? http, string? https, string? noProxy, string request, string? want) =>
        Assert.Equal(want, new HttpProxyConfig(http, https, noProxy, null, null).ProxyFor(new Uri(request))?.ToString());

    [Fact]
    public void Upper_case_proxy_variables_win_and_credentials_are_dropped()
    {
        var env = new Dictionary<string, string?> { ["HTTPS_PROXY"] = "http://u:p@upper:1", ["https_proxy"] = "http://lower:2", ["http_proxy"] = "http://plain:3" };
        var config = HttpProxyConfig.FromEnvironment(n => env.GetValueOrDefault(n));
        Assert.Equal("http://upper:1/", config.ProxyFor(new Uri("https://sum.golang.org"))!.ToString());
        Assert.Equal("HTTPS_PROXY", config.VariableFor(new Uri("https://sum.golang.org")));
        Assert.Equal("http://plain:3/", config.ProxyFor(new Uri("http://athens.internal"))!.ToString());
    }

    [Theory]
    [InlineData("-mod=vendor -trimpath", "mod", "vendor", null)]
    [InlineData("--mod=mod   -p=4", "p", "4", null)]
    [InlineData("-trimpath", "trimpath", "true", null)]
    [InlineData("-mod=mod -mod=vendor", "mod", "vendor", null)]
    // go 1.19 splits at white space only: quotes are part of the word.
    [InlineData("-tags='a b'", "tags", "'a", "go: parsing $GOFLAGS: non-flag \"b'\"")]
    [InlineData("mod=vendor", "mod", null, "go: parsing $GOFLAGS: non-flag \"mod=vendor\"")]
    [InlineData("---x", "x", null, "go: parsing $GOFLAGS: non-flag \"---x\"")]
    public void GOFLAGS_parse_as_InitGOFLAGS(string raw, string name, string? value, string? error)
    {
        var flags = new GoFlagList(raw);
        Assert.Equal(value, flags.Value(name));
        Assert.Equal(error, flags.Error);
    }

    // What go 1.19 does with each (go build in a module and in a workspace, checked in ModCacheIntegrationTests):
    // -mod=X and --mod=X set it; "-mod vendor" stops at the non-flag "vendor"; a bare -mod stops with
    // "flag needs an argument"; a lone -mod= is no flag (explicitStringFlag), after -mod=X it is an explicit "".
    [Theory]
    [InlineData("-mod=vendor", "vendor", "vendor")]
    [InlineData("--mod=vendor", "vendor", "vendor")]
    [InlineData("-trimpath -mod=mod -mod=readonly", "readonly", "readonly")]
    [InlineData("-mod=", "", null)]
    [InlineData("-mod=mod -mod=", "", "")]
    [InlineData("-mod vendor", null, null)]
    [InlineData("-mod", null, null)]
    [InlineData("-mod=mod -mod", null, null)]
    [InlineData("---mod=vendor", null, null)]
    [InlineData("-modfile=x.mod", null, null)]
    [InlineData("", null, null)]
    public void A_flag_argument_is_what_SetFromGOFLAGS_gives_the_flag(string raw, string? argument, string? mod)
    {
        var flags = new GoFlagList(raw);
        Assert.Equal(argument, flags.Argument("mod"));
        Assert.Equal(mod, flags.Mod);
    }

    [Fact]
    public void The_GOENV_file_is_read_as_initEnvCache_reads_it()
    {
        var entries = GoEnvFile.Parse("GOPROXY=https://u:secret@athens.corp\n# comment=x\nlower=1\n=x\nGOFLAGS=-mod=mod\r\nGOPRIVATE= corp\nGOPRIVATE=last\n");
        Assert.Equal(["GOPROXY", "GOFLAGS", "GOPRIVATE", "GOPRIVATE"], entries.Select(e => e.Name));
        Assert.DoesNotContain("secret", entries[0].Value);
        Assert.Equal("-mod=mod\r", entries[1].Value);
        Assert.Equal(" corp", entries[2].Value);
        Assert.Equal(7, new GoEnvFile("f") { Entries = entries }.Entry("GOPRIVATE")!.Line);
    }

    [Fact]
    public void Replayed_snapshots_infer_provenance_from_go_env_and_the_environment()
    {
        var json = """
            { "schemaVersion": 1,
              "go": { "status": "found", "env": { "GOPROXY": "https://athens.corp,direct", "GOSUMDB": "sum.golang.org", "GOPRIVATE": "corp.example", "GONOPROXY": "corp.example", "GONOSUMDB": "other.example", "GOFLAGS": "-mod=mod" } },
              "environment": { "GOFLAGS": "-mod=mod", "NO_PROXY": "corp.example" } }
            """;
        var s = Snapshot.FromJson(json).GoSettings;
        Assert.Equal(SettingSource.EnvFile, s.Setting("GOPROXY")!.Source);
        Assert.Null(s.Setting("GOPROXY")!.Line);
        Assert.Equal(SettingSource.Default, s.Setting("GOSUMDB")!.Source);
        Assert.Equal(SettingSource.EnvFile, s.Setting("GOPRIVATE")!.Source);
        Assert.Equal(SettingSource.Default, s.Setting("GONOPROXY")!.Source);
        Assert.Equal("GOPRIVATE", s.Setting("GONOPROXY")!.DefaultsTo);
        Assert.Equal(SettingSource.EnvFile, s.Setting("GONOSUMDB")!.Source);
        Assert.Equal(SettingSource.Environment, s.Setting("GOFLAGS")!.Source);
        Assert.Equal([ProxyEntryKind.NoProxy, ProxyEntryKind.Http, ProxyEntryKind.Direct], s.Proxy.Entries.Select(e => e.Kind));
        Assert.True(s.NoProxy.Matches("corp.example/x"));
        Assert.True(s.HttpProxy.Bypasses("corp.example"));
    }

    [Fact]
    public void Without_go_the_settings_are_computed_as_cfg_does()
    {
        var file = new GoEnvFile("/f") { Read = true, Exists = true, Entries = GoEnvFile.Parse("GOPRIVATE=corp.example\nGOPROXY=off\n") };
        var env = new Dictionary<string, string> { ["GOPROXY"] = "https://env.example" };
        var s = GoSettings.Resolve(new Dictionary<string, string>(), env.GetValueOrDefault, file);
        Assert.Equal("https://env.example", s.Value("GOPROXY"));
        Assert.Equal(SettingSource.Environment, s.Setting("GOPROXY")!.Source);
        Assert.Equal("off", s.Setting("GOPROXY")!.ShadowedEnvFileValue);
        Assert.Equal("corp.example", s.Value("GONOSUMDB"));
        Assert.Equal(SettingSource.EnvFile, s.Setting("GOPRIVATE")!.Source);
        Assert.Equal(1, s.Setting("GOPRIVATE")!.Line);
        Assert.Equal(SettingSource.Default, s.Setting("GOSUMDB")!.Source);
        Assert.Equal("sum.golang.org", s.Value("GOSUMDB"));
    }

    /// <summary>The real go writes the GOENV file (go env -w) and reports the values; the reader says where each came from.</summary>
    [Fact]
    public void Provenance_matches_the_real_go()
    {
        using var temp = new TempFolder();
        var envFile = temp.Combine("goenv");
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = temp.Path,
            ["GOENV"] = envFile,
            ["GOPATH"] = temp.Combine("gopath"),
            ["GOCACHE"] = temp.Combine("cache"),
            ["GOFLAGS"] = "-mod=mod",
            ["GOPROXY"] = null,
            ["GOSUMDB"] = null,
            ["GOPRIVATE"] = null,
            ["GONOPROXY"] = null,
            ["GONOSUMDB"] = null,
        };
        var write = GoToolchain.Run(temp.Path, env, TimeSpan.FromSeconds(60), "env", "-w", "GOPRIVATE=corp.example/*", "GOPROXY=https://athens.corp|direct", "GOFLAGS=-trimpath");
        Assert.True(write.ExitCode == 0, write.Output);
        var printed = GoToolchain.Run(temp.Path, env, TimeSpan.FromSeconds(60), "env", "-json");
        Assert.True(printed.ExitCode == 0, printed.Output);
        var goEnv = JsonSerializer.Deserialize<Dictionary<string, string>>(printed.Stdout)!;

        var environment = env.Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!);
        var s = GoSettingsReader.Read(goEnv, environment);

        Assert.Equal(envFile, s.EnvFile.Path);
        Assert.True(s.EnvFile.Exists);
        Assert.Equal(SettingSource.EnvFile, s.Setting("GOPRIVATE")!.Source);
        Assert.NotNull(s.Setting("GOPRIVATE")!.Line);
        Assert.Equal(SettingSource.EnvFile, s.Setting("GOPROXY")!.Source);
        Assert.Equal("https://athens.corp|direct", s.Value("GOPROXY"));
        // GONOPROXY (from GOPRIVATE) puts cmd/go's implicit "noproxy" entry first.
        Assert.Equal([ProxyEntryKind.NoProxy, ProxyEntryKind.Http, ProxyEntryKind.Direct], s.Proxy.Entries.Select(e => e.Kind));
        Assert.Equal([null, '|', null], s.Proxy.Entries.Select(e => e.Separator));
        Assert.True(s.Proxy.Entries[1].FallBackOnError);
        Assert.Equal(SettingSource.Environment, s.Setting("GOFLAGS")!.Source);
        Assert.Equal("-trimpath", s.Setting("GOFLAGS")!.ShadowedEnvFileValue);
        Assert.Equal("mod", s.Flags.Value("mod"));
        Assert.Equal(SettingSource.Default, s.Setting("GOSUMDB")!.Source);
        Assert.Equal(SettingSource.Default, s.Setting("GONOPROXY")!.Source);
        Assert.Equal("corp.example/*", s.Value("GONOPROXY"));
        Assert.True(s.NoProxy.Matches("corp.example/team/repo"));
        Assert.False(s.NoProxy.Matches("corp.example"));
    }
}
