using GoBuildRules.Core.Engine;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// Fixed reports built through <see cref="ReportBuilder"/> from fixed facts: two packs, findings of
/// every severity, with and without locations, one outside the workspace, a suppressed finding,
/// tool notifications and a collection issue. Nothing depends on the clock or the machine.
/// </summary>
public static class SampleReports
{
    public const string ToolVersion = "1.2.3";

    /// <summary>Characters that break naive HTML, Markdown tables, code spans and JSON.</summary>
    public const string Payload = "<script>alert(1)</script> | `tick` \"dq\" 'sq' & line1\nline2";

    public static readonly DateTimeOffset CollectedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static readonly RuleDescriptor Proxy = new("GBNET001", "GOPROXY does not answer", "network", Severity.Error,
        "A module proxy in GOPROXY accepts connections but never answers.",
        "The go command waits for the first proxy in GOPROXY before it tries the next one, so a proxy that accepts a connection and never answers stalls every download.")
    {
        HelpMarkdown = "Run `curl -m 5 $GOPROXY/` to see whether the proxy answers.",
        Tags = ["network", "proxy", "hang"],
    };

    private static readonly RuleDescriptor SumDb = new("GBNET002", "GOSUMDB is unreachable", "network", Severity.Warning,
        "The checksum database cannot be reached.", "Every new module version is checked against GOSUMDB; when it cannot be reached the go command waits for its timeout.")
    {
        Tags = ["network"],
    };

    private static readonly RuleDescriptor Cc = new("GBCGO001", "CC is not installed", "cgo", Severity.Note,
        "CGO_ENABLED=1 but the C compiler named by CC is missing.", "Packages with cgo fail to build; pure Go packages are unaffected.")
    {
        HelpMarkdown = "Install a C compiler or set `CGO_ENABLED=0`.",
        Tags = ["cgo"],
    };

    private static readonly RuleDescriptor Quiet = new("GBCGO002", "pkg-config is slow", "cgo", Severity.Warning,
        "pkg-config takes seconds per call.", "Every cgo package calls pkg-config; a slow one adds up.");

    public static Snapshot SnapshotFacts(string root = "/src/app") => new()
    {
        ToolVersion = ToolVersion,
        CollectedAt = CollectedAt,
        Host = new HostFacts { Os = "linux", Arch = "amd64", Kernel = "6.1.0", Description = "Debian" },
        Go = new GoFacts { Status = ToolStatus.Found, Path = "/usr/local/go/bin/go", Version = "1.22.3", VersionOutput = "go version go1.22.3 linux/amd64" },
        Environment = new Dictionary<string, string> { ["GOPROXY"] = "https://proxy.example.com,direct", ["GOFLAGS"] = "-mod=mod" },
        Workspace = new WorkspaceFacts
        {
            Root = root,
            GoMod = new GoModFile("go.mod") { Module = "example.com/app", ModuleLine = 3, Go = "1.22", GoLine = 5 },
        },
        CollectionIssues = [new CollectionIssue("GoBuildRules.Rules.Network:probe", "walk of the module cache stopped after 10000 entries")],
    };

    public static Report Rich(string payload = "") => Build(SnapshotFacts(), payload);

    public static Report Build(Snapshot snapshot, string payload = "")
    {
        var packs = new List<PackSummary>
        {
            new("GoBuildRules.Rules.Network", "Network", "1.0.0", true, 2, "Proxies, checksum database and probes."),
            new("GoBuildRules.Rules.Cgo", "cgo", "1.1.0", true, 2, "C toolchain for cgo."),
        };
        var rules = new List<EvaluatedRule>
        {
            new("GoBuildRules.Rules.Network", Proxy),
            new("GoBuildRules.Rules.Network", SumDb),
            new("GoBuildRules.Rules.Cgo", Cc),
            new("GoBuildRules.Rules.Cgo", Quiet),
        };
        var findings = new List<Finding>
        {
            Proxy.Finding("The proxy http://127.0.0.1:9 accepted a connection and sent nothing for 5 s." + payload, "GOPROXY=http://127.0.0.1:9") with
            {
                Evidence = [new Evidence("GOPROXY", "http://127.0.0.1:9,direct" + payload), new Evidence("waited", "5 s")],
                Location = new Location(".github/workflows/ci.yml", 12),
                Fixes =
                [
                    Fix.Run("See the stall yourself", "curl -m 5 -sS http://127.0.0.1:9/ ; echo $?" + payload, "None; it only reads."),
                    Fix.GoEnvWrite("GOPROXY", "https://proxy.golang.org,direct", "Use the public proxy", "Module paths become visible to the public proxy."),
                ],
            },
            SumDb.Finding("sum.golang.org did not answer within 3 s.", "GOSUMDB=sum.golang.org") with
            {
                Evidence = [new Evidence("GOSUMDB", "sum.golang.org")],
                // An environment finding: no file explains it, so reports anchor it to go.mod.
                Fixes = [Fix.GoEnvWrite("GONOSUMDB", "example.com/*", "Skip the checksum database for your own modules", "Your modules are no longer checked against the public log.")],
            },
            Cc.Finding("CC=gcc is not on PATH.", "CC=gcc") with
            {
                Evidence = [new Evidence("CC", "gcc"), new Evidence("CGO_ENABLED", "1")],
                Location = new Location("/etc/profile.d/cc.sh", 2),
                Fixes = [Fix.EditFile("/etc/profile.d/cc.sh", "export CC=cc", "Point CC at the installed compiler", "Other projects on this machine use it too.")],
            },
        };
        var suppressed = new List<(Finding, string)>
        {
            (Quiet.Finding("pkg-config took 2.5 s.", "pkg-config") with { Location = new Location("go.mod", 5) }, "Known slow on CI runners; tracked in #42."),
        };
        var notifications = new List<ToolNotification>
        {
            new(NotificationLevel.Error, "GoBuildRules.Rules.Cgo", "rule GBCGO003 crashed: NullReferenceException: Object reference not set") { RuleId = "GBCGO003" },
            new(NotificationLevel.Warning, "GoBuildRules.Rules.Extra", "pack not loaded: SDK major 2 is not supported"),
        };
        return ReportBuilder.Build(ToolVersion, snapshot, replay: true, packs, rules, findings, suppressed, notifications,
            new Timings(120, 8, 150), FailOn.Error, 1);
    }
}
