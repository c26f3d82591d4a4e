using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// Credentials everywhere a Go developer keeps them (proxy URLs, tokens, cloud keys, GOFLAGS,
/// ~/.netrc, git credential URLs), then a live scan in every format and a snapshot: no canary may
/// appear in any output, stdout or stderr.
/// </summary>
public sealed class SecretsCanaryTests
{
    private static readonly string[] Canaries =
    [
        "CanaryGoproxyPw1", "CanaryHttpsProxyPw2", "CanaryGithubToken3", "CanaryAwsSecret4", "CanaryGoflags5",
        "CanaryNetrcPw6", "CanaryGitCredPw7", "CanaryGitInsteadOf8", "CanaryNoProxyPw9", "CanaryGitConfigParam10",
        "CanaryLinkerX11", "CanaryQuerySig12", "CanaryPathKey13", "CanaryExtraHeader14", "CanaryGitHeader15",
    ];

    [Fact]
    public void No_canary_in_any_format_or_in_the_snapshot()
    {
        using var temp = new TempFolder("gbr-canary");
        var home = temp.Combine("home");
        temp.Write("home/.netrc", "machine goproxy.corp.example login me password CanaryNetrcPw6\n");
        temp.Write("home/.git-credentials", "https://me:CanaryGitCredPw7@github.com\n");
        temp.Write("home/.gitconfig", "[url \"https://me:CanaryGitInsteadOf8@github.com/\"]\n\tinsteadOf = https://github.com/\n[http \"https://git.corp.example/\"]\n\textraHeader = Authorization: Bearer CanaryGitHeader15\n");
        var module = temp.Combine("mod");
        temp.Write("mod/go.mod", "module example.com/canary\n\ngo 1.19\n");
        temp.Write("mod/main.go", "package main\n\nfunc main() {}\n");

        var env = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["GOPROXY"] = "https://me:CanaryGoproxyPw1@goproxy.corp.example/mod,https://mirror.corp.example/v1/key/CanaryPathKey13,https://cdn.corp.example/go?sig=CanaryQuerySig12,direct",
            ["HTTPS_PROXY"] = "http://proxyuser:CanaryHttpsProxyPw2@127.0.0.1:9",
            ["https_proxy"] = "http://proxyuser:CanaryHttpsProxyPw2@127.0.0.1:9",
            ["NO_PROXY"] = "localhost,https://u:CanaryNoProxyPw9@x.example",
            ["GITHUB_TOKEN"] = "CanaryGithubToken3",
            ["AWS_SECRET_ACCESS_KEY"] = "CanaryAwsSecret4",
            // -X values are build-time secrets whatever the variable is called.
            ["GOFLAGS"] = "-mod=mod -ldflags=-X=main.apiToken=CanaryGoflags5 -asmflags=-X=main.buildInfo=CanaryLinkerX11",
            ["GOPATH"] = temp.Combine("gopath"),
            ["GOCACHE"] = temp.Combine("gocache"),
            ["GOTOOLCHAIN"] = "local",
            // How CI systems hand git a credential URL without a file.
            ["GIT_CONFIG_PARAMETERS"] = "'url.https://x-access-token:CanaryGitConfigParam10@github.com/.insteadof'='https://github.com/' 'http.https://github.com/.extraheader'='AUTHORIZATION: basic CanaryExtraHeader14'",
        };

        var outputs = new List<(string What, string Text)>();
        var args = new List<string> { "scan", "--path", module, "--offline", "--timeout", "20", "--fail-on", "never" };
        foreach (var format in ReportRenderer.BuiltInFormats)
        {
            args.AddRange(["--format", $"{format}={temp.Combine("report." + format)}"]);
        }

        var scan = Cli.Run(args, module, env, TimeSpan.FromSeconds(90));
        Assert.True(scan.ExitCode == 0, scan.ToString());
        outputs.Add(("scan stdout+stderr", scan.Stdout + scan.Stderr));
        outputs.AddRange(ReportRenderer.BuiltInFormats.Select(f => ($"report.{f}", File.ReadAllText(temp.Combine("report." + f)))));

        var snapshot = Cli.Run(["snapshot", "--path", module, "--offline", "--timeout", "20"], module, env, TimeSpan.FromSeconds(90));
        Assert.True(snapshot.ExitCode == 0, snapshot.ToString());
        outputs.Add(("snapshot", snapshot.Stdout + snapshot.Stderr));

        // The canaries did reach the tool: the snapshot shows the variables, redacted.
        Assert.Contains("GOPROXY", snapshot.Stdout);
        Assert.Contains("GITHUB_TOKEN", snapshot.Stdout);
        Assert.Contains("https://REDACTED@goproxy.corp.example/mod,https://mirror.corp.example/v1/key/REDACTED,https://cdn.corp.example/go?sig=REDACTED,direct", snapshot.Stdout);
        Assert.Contains("main.buildInfo=REDACTED", snapshot.Stdout);
        Assert.Contains("http://REDACTED@127.0.0.1:9", snapshot.Stdout);
        Assert.Contains("main.apiToken=REDACTED", snapshot.Stdout);

        var leaks = outputs.SelectMany(o => Canaries.Where(c => o.Text.Contains(c, StringComparison.OrdinalIgnoreCase)).Select(c => $"{c} in {o.What}")).ToList();
        Assert.True(leaks.Count == 0, "secrets leaked: " + string.Join(", ", leaks));
    }
}
