using System.Text.Json;
using GoBuildRules.Tests.Shared;
using GoBuildRules.Rules.Network.Collection;

namespace GoBuildRules.Rules.Network.Tests;

/// <summary>
/// The real tool against real servers on 127.0.0.1 (started and stopped here) and, for the healthy
/// case, the real go command with exactly the configuration the scan judged healthy.
/// </summary>
public sealed class IntegrationTests
{
    private const double ScanTimeoutSeconds = 5;

    private sealed record ReportFinding(string RuleId, string Severity, string Message, IReadOnlyDictionary<string, string> Evidence);

    private sealed record Scan(CliResult Result, IReadOnlyList<ReportFinding> Findings, long CollectMilliseconds)
    {
        public IEnumerable<ReportFinding> Network => Findings.Where(f => f.RuleId.StartsWith("GBNET", StringComparison.Ordinal));

        public override string ToString() => Result.ToString();
    }

    /// <summary>An environment isolated from this machine's go and proxy settings.</summary>
    private static Dictionary<string, string?> Environment(TempFolder t, params (string Name, string? Value)[] set) =>
        GoEnvironment.Isolated(
            t,
            [
                "GOPROXY", "GOSUMDB", "GONOSUMDB", "GONOPROXY", "GOPRIVATE", "GOINSECURE", "GOTOOLCHAIN", "GOVCS",
                "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
                "GIT_TERMINAL_PROMPT", "GIT_SSH_COMMAND", "GIT_SSH", "GIT_ASKPASS", "SSH_ASKPASS", "GOBUILDRULES_PROBE_BUDGET",
                "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM",
            ],
            // The network collector refuses to probe anything off this machine; RunScan fails the test if it had to.
            [("GOFLAGS", "-mod=mod"), (NetworkCollector.LoopbackOnlyVariable, "1"), .. set]);

    private static Scan RunScan(string folder, Dictionary<string, string?> env, params string[] extra) =>
        RunScan(folder, env, ScanTimeoutSeconds, extra);

    private static Scan RunScan(string folder, Dictionary<string, string?> env, double timeoutSeconds, params string[] extra) =>
        RunScanThrough(null, folder, env, timeoutSeconds, extra);

    /// <summary>The scan started through a launcher (a mount namespace with the test's own resolv.conf).</summary>
    private static Scan RunScanThrough(IReadOnlyList<string>? launcher, string folder, Dictionary<string, string?> env, double timeoutSeconds, params string[] extra)
    {
        var result = Cli.Run(["scan", "--path", folder, "--format", "json", "--timeout", timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra],
            folder, env, TimeSpan.FromSeconds(60), launcher);
        using var doc = JsonDocument.Parse(result.Stdout);
        var guard = doc.RootElement.GetProperty("notifications").EnumerateArray()
            .Select(n => n.GetProperty("message").GetString()!)
            .FirstOrDefault(m => m.Contains(NetworkCollector.LoopbackOnlyVariable, StringComparison.Ordinal));
        Assert.True(guard is null, $"the scan would have reached a public endpoint: {guard}");
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => new ReportFinding(
                f.GetProperty("ruleId").GetString()!,
                f.GetProperty("severity").GetString()!,
                f.GetProperty("message").GetString()!,
                f.GetProperty("evidence").EnumerateArray()
                    .GroupBy(e => e.GetProperty("name").GetString()!)
                    .ToDictionary(g => g.Key, g => g.First().GetProperty("value").GetString()!)))
            .ToList();
        return new Scan(result, findings, doc.RootElement.GetProperty("timings").GetProperty("collectMilliseconds").GetInt64());
    }

    private static string Module(TempFolder t) => FileProxy.Consumer(t);

    [Fact]
    public void Tarpit_as_GOPROXY_is_an_error_naming_the_stalled_hop_and_the_scan_keeps_its_deadline()
    {
        using var t = new TempFolder("gbnet");
        using var tarpit = new Tarpit();
        var scan = RunScan(Module(t), Environment(t, ("GOPROXY", tarpit.Url), ("GONOSUMDB", "example.com")));

        var stall = Assert.Single(scan.Network, f => f.RuleId == "GBNET002");
        Assert.Equal("error", stall.Severity);
        Assert.Contains(tarpit.Url, stall.Message);
        Assert.Contains("hang forever", stall.Message);
        Assert.Equal("HTTP response", stall.Evidence["failed hop"]);
        Assert.StartsWith("127.0.0.1: connected", stall.Evidence["TCP ipv4"]);
        Assert.True(tarpit.Accepted >= 1, "the probe never connected to the tarpit");
        Assert.Equal(1, scan.Result.ExitCode);
        // The collection deadline holds however long the tarpit would keep us.
        Assert.True(scan.CollectMilliseconds <= (ScanTimeoutSeconds + 0.5) * 1000, scan.ToString());
        Assert.True(scan.Result.Elapsed < TimeSpan.FromSeconds(ScanTimeoutSeconds + 10), scan.ToString());
    }

    /// <summary>
    /// The cross-pack contract (EndpointVerdicts, which the ModCache pack reads) read from what the
    /// real collector wrote in a real `gobuildrules snapshot`, not from a hand-written shape.
    /// </summary>
    [Fact]
    public void The_published_endpoint_verdicts_read_back_from_a_real_snapshot()
    {
        using var t = new TempFolder("gbnet");
        using var tarpit = new Tarpit();
        var module = Module(t);
        var file = t.Combine("snapshot.json");
        var snap = Cli.Run(["snapshot", "--path", module, "--timeout", "5", "--output", file],
            module, Environment(t, ("GOPROXY", tarpit.Url), ("GONOSUMDB", "example.com")), TimeSpan.FromSeconds(60));
        Assert.True(snap.ExitCode == 0, snap.ToString());

        var snapshot = GoBuildRules.Sdk.Snapshot.FromJson(File.ReadAllText(file));
        Assert.DoesNotContain(snapshot.CollectionIssues, i => i.Message.Contains(NetworkCollector.LoopbackOnlyVariable, StringComparison.Ordinal));
        // The collector writes the contract's version beside the verdicts, and the reader accepts it.
        Assert.Equal(GoBuildRules.Sdk.EndpointVerdicts.Version, snapshot.Extensions[NetworkPack.Id].GetProperty("endpointVerdictsVersion").GetInt32());
        Assert.Empty(GoBuildRules.Sdk.EndpointVerdicts.Read(snapshot).Issues);
        var verdict = Assert.Single(GoBuildRules.Sdk.EndpointVerdicts.In(snapshot));
        Assert.Equal(("GOPROXY", tarpit.Url, "stalled"), (verdict.Variable, verdict.Entry, verdict.Verdict));
        Assert.Contains($"127.0.0.1:{tarpit.Port}", verdict.Addresses);
        Assert.True(verdict.Matches(new GoBuildRules.Sdk.LiveSocket("tcp", "127.0.0.1:50000", $"127.0.0.1:{tarpit.Port}", "established")), string.Join(", ", verdict.Addresses));
    }

    [Fact]
    public void Tarpit_as_GOPROXY_with_every_module_already_cached_is_a_warning_because_go_build_succeeds()
    {
        using var t = new TempFolder("gbnet");
        using var tarpit = new Tarpit();
        var proxy = FileProxy.Build(t);
        var app = Module(t);
        // Fill the module cache (and go.sum) from the file:// proxy, as an earlier online build would have.
        var fill = Environment(t, ("GOPROXY", proxy), ("GOSUMDB", "off"));
        Assert.Equal(0, GoToolchain.Run(app, fill, TimeSpan.FromSeconds(60), "mod", "tidy").ExitCode);
        // tidy leaves out the versions' .info files; go build fetches them to stamp build info and
        // hangs on the tarpit without them (go 1.19, tried), so the cache is complete only after this.
        Assert.Equal(0, GoToolchain.Run(app, fill, TimeSpan.FromSeconds(60), "mod", "download").ExitCode);
        var env = Environment(t, ("GOPROXY", tarpit.Url), ("GONOSUMDB", "example.com"));

        // The ground truth: with the stalling proxy, go build fetches nothing and succeeds.
        var build = GoToolchain.Run(app, env, TimeSpan.FromSeconds(30), "build", "./...");
        Assert.False(build.TimedOut, "go build hung on the tarpit although the cache was complete");
        Assert.True(build.ExitCode == 0, build.Output);

        // A generous deadline: this test is about the verdict, not the deadline (the test above), and
        // the oracle's go list and the probes must both finish on a busy machine.
        var scan = RunScan(app, env, 20);
        var stall = Assert.Single(scan.Network, f => f.RuleId == "GBNET002");
        Assert.Equal("warning", stall.Severity);
        Assert.Contains(tarpit.Url, stall.Message);
        Assert.Contains("already in the module cache", stall.Message);
        Assert.DoesNotContain(scan.Findings, f => f.Severity == "error");
        Assert.True(scan.Result.ExitCode == 0, scan.ToString());
    }

    [Fact]
    public void Tarpit_as_GOSUMDB_with_a_healthy_file_proxy_is_a_checksum_database_stall()
    {
        using var t = new TempFolder("gbnet");
        using var tarpit = new Tarpit();
        var proxy = FileProxy.Build(t);
        var scan = RunScan(Module(t), Environment(t, ("GOPROXY", proxy), ("GOSUMDB", $"sum.golang.org {tarpit.Url}")));

        var stall = Assert.Single(scan.Network, f => f.RuleId == "GBNET007");
        Assert.Equal("error", stall.Severity);
        Assert.Contains("hang forever", stall.Message);
        Assert.Equal(tarpit.Url, stall.Evidence["endpoint"]);
        Assert.Equal("GET /latest", stall.Evidence["request"]);
        Assert.Equal("HTTP response", stall.Evidence["failed hop"]);
        Assert.DoesNotContain(scan.Network, f => f.RuleId is "GBNET001" or "GBNET002" or "GBNET003" or "GBNET019");
        Assert.True(scan.CollectMilliseconds <= (ScanTimeoutSeconds + 0.5) * 1000, scan.ToString());
    }

    [Fact]
    public void A_proxy_answering_503_is_an_error_status()
    {
        using var t = new TempFolder("gbnet");
        using var server = new StatusServer(503);
        using var httpProxy = new StatusServer(502);
        // Go never sends requests for loopback hosts through HTTP_PROXY; neither may the probe.
        var scan = RunScan(Module(t), Environment(t, ("GOPROXY", server.Url), ("GONOSUMDB", "example.com"), ("HTTP_PROXY", httpProxy.Url)));

        var error = Assert.Single(scan.Network, f => f.RuleId == "GBNET003");
        Assert.Equal("error", error.Severity);
        Assert.Contains("503", error.Message);
        Assert.StartsWith("503", error.Evidence["HTTP"]);
        // The probe asked for the version list of the module the workspace requires.
        Assert.Contains(server.Requests, r => r.StartsWith("GET /example.com/hello/@v/list HTTP/1.1", StringComparison.Ordinal));
        Assert.DoesNotContain(scan.Network, f => f.RuleId == "GBNET002");
        Assert.Empty(httpProxy.Requests);
    }

    [Fact]
    public void An_unresolvable_proxy_fails_at_DNS_and_go_fails_at_the_same_lookup()
    {
        using var t = new TempFolder("gbnet");
        // The names are looked up at the test's own nameserver (NXDOMAIN for all), never the machine's.
        using var dns = new LoopbackDns(answer: true);
        var resolver = MountNamespace.WithResolvConf(dns.WriteResolvConf(t));
        var env = Environment(t, ("GOPROXY", "https://goproxy.gobuildrules.invalid|https://mirror.gobuildrules.invalid"), ("GONOSUMDB", "example.com"));
        var scan = RunScanThrough(resolver, Module(t), env, 20);

        var errors = scan.Network.Where(f => f.RuleId == "GBNET001").ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("DNS", e.Evidence["failed hop"]));
        Assert.Contains(errors, e => e.Message.Contains("goproxy.gobuildrules.invalid", StringComparison.Ordinal));
        var all = Assert.Single(scan.Network, f => f.RuleId == "GBNET004");
        Assert.Equal("error", all.Severity);
        Assert.Contains("goproxy.gobuildrules.invalid", dns.Queries);
        Assert.DoesNotContain(scan.Network, f => f.RuleId == "GBNET015");

        var download = GoToolchain.RunThrough(resolver, Module(t), env, TimeSpan.FromSeconds(60), "mod", "download");
        Assert.False(download.TimedOut, download.Output);
        Assert.NotEqual(0, download.ExitCode);
        // go falls through to the second entry after the first fails ('|'), and reports the last lookup.
        Assert.Matches(@"lookup (goproxy|mirror)\.gobuildrules\.invalid.*no such host", download.Output);
    }

    [Fact]
    public void No_nameserver_answering_is_an_error_and_go_fails_with_a_lookup_timeout()
    {
        using var t = new TempFolder("gbnet");
        // resolv.conf names only a loopback nameserver of the test's own that never answers.
        using var dns = new LoopbackDns(answer: false);
        var resolver = MountNamespace.WithResolvConf(dns.WriteResolvConf(t));
        var env = Environment(t, ("GOPROXY", "https://goproxy.gobuildrules.invalid"), ("GONOSUMDB", "example.com"));
        var scan = RunScanThrough(resolver, Module(t), env, 20);

        Assert.True(scan.Network.Count(f => f.RuleId == "GBNET015") == 1, scan.ToString());
        var finding = scan.Network.Single(f => f.RuleId == "GBNET015");
        Assert.Equal("error", finding.Severity);
        Assert.Contains(dns.Address.ToString(), finding.Message);
        Assert.Equal(1, scan.Result.ExitCode);

        var download = GoToolchain.RunThrough(resolver, Module(t), env, TimeSpan.FromSeconds(60), "mod", "download");
        Assert.False(download.TimedOut, download.Output);
        Assert.NotEqual(0, download.ExitCode);
        Assert.Contains($"lookup goproxy.gobuildrules.invalid on {dns.Address}:53", download.Output);
        Assert.Contains("i/o timeout", download.Output);
    }

    [Fact]
    public void A_certificate_from_an_unknown_authority_is_named_with_its_issuer()
    {
        using var t = new TempFolder("gbnet");
        using var server = new TlsServer();
        // A longer budget: the server's first handshakes load OpenSSL in this busy test process, and a
        // handshake that times out is (rightly) reported as unreachable, not as interception.
        var scan = RunScan(Module(t), Environment(t, ("GOPROXY", server.Url), ("GONOSUMDB", "example.com"), ("GOBUILDRULES_PROBE_BUDGET", "3")));

        Assert.True(scan.Network.Count(f => f.RuleId == "GBNET018") == 1, scan.ToString());
        var finding = scan.Network.Single(f => f.RuleId == "GBNET018");
        Assert.Contains(TlsServer.Issuer, finding.Message);
        Assert.Equal("TLS handshake", finding.Evidence["failed hop"]);
        Assert.Contains("unknown authority", finding.Evidence["TLS"]);
        // One cause, one finding: the unreachable-proxy rule leaves TLS interception to GBNET018.
        Assert.False(scan.Network.Any(f => f.RuleId == "GBNET001"), scan.ToString());

        // The error is go's too: the real go refuses the same certificate and the download fails.
        var download = GoToolchain.Run(Module(t), Environment(t, ("GOPROXY", server.Url), ("GONOSUMDB", "example.com")), TimeSpan.FromSeconds(60), "mod", "download");
        Assert.False(download.TimedOut, download.Output);
        Assert.NotEqual(0, download.ExitCode);
        Assert.Contains("x509: certificate signed by unknown authority", download.Output);
    }

    [Fact]
    public void Git_missing_while_a_module_is_fetched_directly_is_an_error_and_go_fails_the_same_way()
    {
        using var t = new TempFolder("gbnet");
        // A module path ending in .git names its VCS, so go needs no network to know it must run git;
        // PATH holds go and nothing else.
        t.Write("app/go.mod", "module example.com/app\n\ngo 1.19\n\nrequire example.com/repo.git v1.0.0\n");
        t.Write("app/main.go", "package main\n\nimport _ \"example.com/repo.git\"\n\nfunc main() {}\n");
        t.Write("app/go.sum", $"example.com/repo.git v1.0.0 h1:{new string('A', 43)}=\nexample.com/repo.git v1.0.0/go.mod h1:{new string('A', 43)}=\n");
        var bin = t.Combine("bin");
        Directory.CreateDirectory(bin);
        File.CreateSymbolicLink(Path.Combine(bin, "go"), GoToolchain.Path);
        var env = Environment(t, ("GOPROXY", "direct"), ("GOSUMDB", "off"), ("GOFLAGS", null), ("PATH", bin));
        var app = t.Combine("app");

        var build = GoToolchain.Run(app, env, TimeSpan.FromSeconds(60), "build", "./...");
        Assert.False(build.TimedOut, build.Output);
        Assert.NotEqual(0, build.ExitCode);
        Assert.Contains("exec: \"git\": executable file not found in $PATH", build.Output);

        // Offline: probing the VCS host would reach a public endpoint; the rule needs no probe.
        var scan = RunScan(app, env, "--offline");
        var finding = Assert.Single(scan.Network, f => f.RuleId == "GBNET012");
        Assert.Equal("error", finding.Severity);
        Assert.Contains("example.com/repo.git", finding.Evidence["fetched directly"]);
        Assert.Equal(1, scan.Result.ExitCode);
    }

    [Fact]
    public void A_healthy_file_proxy_has_no_network_error_and_go_build_succeeds_with_the_same_configuration()
    {
        using var t = new TempFolder("gbnet");
        var proxy = FileProxy.Build(t);
        var app = Module(t);
        var env = Environment(t, ("GOPROXY", proxy), ("GONOSUMDB", "example.com"));
        var scan = RunScan(app, env);

        Assert.DoesNotContain(scan.Network, f => f.Severity == "error");
        Assert.True(scan.Result.ExitCode == 0, scan.Result.ToString());

        var build = GoToolchain.Run(app, env, TimeSpan.FromSeconds(120), "build", "-o", t.Combine("app.bin"), ".");
        Assert.False(build.TimedOut, build.Output);
        Assert.True(build.ExitCode == 0, build.Output);
        var run = GoToolchain.Run(app, env, TimeSpan.FromSeconds(60), "run", ".");
        Assert.Contains("hello from the file proxy", run.Stdout);
    }

    [Fact]
    public void Git_settings_that_can_prompt_are_read_from_the_real_git_config()
    {
        using var t = new TempFolder("gbnet");
        var home = t.Combine("home");
        t.Write("home/.gitconfig",
            "[url \"git@git.corp.example:\"]\n\tinsteadOf = https://git.corp.example/\n[credential]\n\thelper = manager\n");
        t.Write("home/.ssh/known_hosts", "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n");
        t.Write("app/go.mod", "module example.com/app\n\ngo 1.19\n\nrequire git.corp.example/team/lib v1.0.0\n");
        var scan = RunScan(t.Combine("app"), Environment(t,
            ("HOME", home), ("XDG_CONFIG_HOME", t.Combine("xdg")), ("GIT_CONFIG_NOSYSTEM", "1"), ("GOPRIVATE", "git.corp.example")), "--offline");

        var prompts = scan.Network.Where(f => f.RuleId == "GBNET011").ToList();
        Assert.Contains(prompts, f => f.Message.Contains("git.corp.example is not in known_hosts", StringComparison.Ordinal));
        Assert.Contains(prompts, f => f.Message.Contains("credential.helper manager", StringComparison.Ordinal));
        Assert.All(prompts, f => Assert.Equal("git.corp.example/team/lib", f.Evidence["fetched directly"]));
    }

    [Fact]
    public void Offline_skips_probes_but_configuration_rules_still_run()
    {
        using var t = new TempFolder("gbnet");
        using var tarpit = new Tarpit();
        var scan = RunScan(Module(t), Environment(t, ("GOPROXY", tarpit.Url), ("GOSUMDB", "sumdb.example.com")), "--offline");

        Assert.Contains(scan.Network, f => f.RuleId == "GBNET006");
        Assert.DoesNotContain(scan.Network, f => f.RuleId == "GBNET002");
        Assert.Equal(0, tarpit.Accepted);
    }

    [Fact]
    public void Credentials_in_GOPROXY_and_HTTPS_PROXY_reach_no_output_no_snapshot_and_no_server()
    {
        using var t = new TempFolder("gbnet");
        using var httpsProxy = new StatusServer(407);
        using var plainProxy = new StatusServer(503);
        var secrets = new[] { "hunter2goproxy", "pr0xyS3cretPw", "alice", "bob" };
        var env = Environment(t,
            ("GOPROXY", $"http://alice:hunter2goproxy@goproxy.gobuildrules.invalid,{plainProxy.Url.Replace("http://", "http://alice:hunter2goproxy@")}"),
            ("HTTPS_PROXY", $"http://bob:pr0xyS3cretPw@{httpsProxy.Url["http://".Length..]}"));
        var app = Module(t);
        // goproxy.gobuildrules.invalid is looked up at the test's own nameserver, never the machine's.
        using var dns = new LoopbackDns(answer: true);
        var resolver = MountNamespace.WithResolvConf(dns.WriteResolvConf(t));

        var json = RunScanThrough(resolver, app, env, 20);
        var refused = Assert.Single(json.Network, f => f.RuleId == "GBNET017");
        Assert.Contains("407", refused.Message);

        var outputs = new List<string> { json.Result.Stdout + json.Result.Stderr };
        foreach (var format in new[] { "console", "md", "json" })
        {
            var r = Cli.Run(["scan", "--path", app, "--format", format], app, env, TimeSpan.FromSeconds(60), resolver);
            outputs.Add(r.Stdout + r.Stderr);
        }

        var snapshot = Cli.Run(["snapshot", "--path", app], app, env, TimeSpan.FromSeconds(60), resolver);
        outputs.Add(snapshot.Stdout + snapshot.Stderr);

        // The probes did run: the sumdb probe went through HTTPS_PROXY, the second GOPROXY entry was asked directly.
        Assert.NotEmpty(httpsProxy.Requests);
        Assert.NotEmpty(plainProxy.Requests);
        Assert.Contains("CONNECT sum.golang.org:443", httpsProxy.Requests[0]);
        foreach (var text in outputs.Concat(httpsProxy.Requests).Concat(plainProxy.Requests))
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, text);
            }

            Assert.DoesNotContain("Authorization", text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
