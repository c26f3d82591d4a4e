using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class ChecksumDatabaseRule : IRule
{
    private static readonly (string Needle, string Name)[] KnownMirrors =
    [
        ("athens", "Athens"), ("artifactory", "JFrog Artifactory"), ("jfrog.io", "JFrog Artifactory"), ("nexus", "Sonatype Nexus"),
        ("goproxy.cn", "goproxy.cn"), ("goproxy.io", "goproxy.io"), ("proxy.golang.com.cn", "proxy.golang.com.cn"),
        ("mirrors.aliyun.com", "Aliyun mirror"), ("goproxy.", "a GOPROXY mirror"),
    ];

    // Hosts that serve public modules: a module there is not private, whatever the mirror.
    private static readonly HashSet<string> PublicCodeHosts = new(StringComparer.OrdinalIgnoreCase)
    {
        "github.com", "gitlab.com", "bitbucket.org", "golang.org", "google.golang.org", "gopkg.in", "go.googlesource.com",
        "cloud.google.com", "k8s.io", "sigs.k8s.io", "go.uber.org", "go.opentelemetry.io", "honnef.co", "mvdan.cc", "rsc.io",
    };

    private static readonly string[] PrivateSuffixes = [".local", ".internal", ".corp", ".lan", ".intranet", ".home.arpa"];

    public RuleDescriptor Descriptor { get; } = new(
        "GBENV006",
        "Private modules are verified against the public checksum database",
        "network",
        Severity.Warning,
        "Modules that only a private mirror or Git host serves are not covered by GONOSUMDB / GOPRIVATE, so the go command asks sum.golang.org about them and fails.",
        "Going through a mirror (Athens, Artifactory, Nexus, goproxy.cn, goproxy.io…) in GOPROXY changes where modules are downloaded from, not how they are verified: every module not yet in go.sum is still looked up in GOSUMDB (sum.golang.org), which has never seen a private module. `go get` and `go mod tidy` then fail with 'verifying module: … reading https://sum.golang.org/lookup/…: 404 Not Found' (or 410 Gone), or hang where sum.golang.org is blocked. GONOSUMDB (which defaults to GOPRIVATE) lists the module path patterns to skip; GONOPROXY alone does not.")
    {
        HelpMarkdown = "`go env GOPROXY GOSUMDB GONOSUMDB GOPRIVATE GONOPROXY`; `go mod download -x MODULE` shows the sum.golang.org lookup that fails.",
        Tags = ["network", "private-modules", "checksum", "mirror"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var mod = snapshot.Workspace.GoMod;
        string? Get(string name) => snapshot.GoEnv(name) ?? snapshot.Env(name);
        var gosumdb = Get("GOSUMDB") ?? "";
        if (mod is null || gosumdb.Trim() == "off")
        {
            yield break;
        }

        var goproxy = Get("GOPROXY") ?? "https://proxy.golang.org,direct";
        var privatePatterns = Get("GOPRIVATE");
        var noSumDb = Get("GONOSUMDB") is { Length: > 0 } explicitNoSum ? explicitNoSum : privatePatterns;
        var noProxy = Get("GONOPROXY");
        var mirrors = goproxy.Split([',', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(e => e is not ("direct" or "off") && Uri.TryCreate(e, UriKind.Absolute, out var u) && !u.Host.Equals("proxy.golang.org", StringComparison.OrdinalIgnoreCase))
            .Select(e => new Uri(e))
            .ToList();
        var mirrorHosts = mirrors.Select(u => u.Host).ToList();
        var mainHost = mod.Module is { } m ? ModulePatterns.Host(m) : null;

        var suspects = new List<(ModuleRequirement Require, string Why)>();
        foreach (var req in mod.Requires)
        {
            if (ModulePatterns.Matches(noSumDb, req.Path))
            {
                continue;
            }

            var host = ModulePatterns.Host(req.Path);
            if (PublicCodeHosts.Contains(host))
            {
                continue;
            }

            string? why = null;
            if (ModulePatterns.Matches(noProxy, req.Path))
                why = "listed in GONOPROXY but not in GONOSUMDB";
            else if (!host.Contains('.') || PrivateSuffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase)))
                why = $"{host} is an internal host name";
            else if (mainHost is not null && host.Equals(mainHost, StringComparison.OrdinalIgnoreCase) && !PublicCodeHosts.Contains(mainHost))
                why = $"same host as the main module ({mainHost})";
            else if (mirrorHosts.FirstOrDefault(h => SameDomain(h, host)) is { } mh)
                why = $"same domain as the mirror {mh}";

            if (why is not null)
            {
                suspects.Add((req, why));
            }
        }

        if (suspects.Count == 0)
        {
            yield break;
        }

        var sums = snapshot.Workspace.GoSum?.Entries ?? [];
        var unsummed = suspects.Where(s => !sums.Any(e => e.Path == s.Require.Path && (e.Version == s.Require.Version || e.Version == s.Require.Version + "/go.mod"))).ToList();
        var first = (unsummed.Count > 0 ? unsummed : suspects)[0];
        var mirrorNames = mirrors.Select(u => KnownMirrors.FirstOrDefault(k => u.ToString().Contains(k.Needle, StringComparison.OrdinalIgnoreCase)).Name ?? u.Host).Distinct().ToList();
        var patterns = suspects.Select(s => SuggestedPattern(s.Require.Path)).Distinct().ToList();
        var patternList = string.Join(",", ModulePatterns.Split(noSumDb).Concat(patterns).Distinct());

        var via = mirrors.Count > 0 ? $"GOPROXY goes through {string.Join(", ", mirrorNames)}, but " : "";
        var one = suspects.Count == 1;
        var consequence = unsummed.Count > 0
            ? $"{(one ? "It has" : $"{unsummed.Count} of them {(unsummed.Count == 1 ? "has" : "have")}")} no go.sum line yet, so the next download asks sum.golang.org and fails with 'verifying module: … 404 Not Found'."
            : $"go.sum already holds {(one ? "it" : "them")}, so builds work until one is added or upgraded; then the lookup fails.";
        yield return Descriptor.Finding(
            $"{via}{string.Join(", ", suspects.Select(s => s.Require.Path).Take(5))}{(suspects.Count > 5 ? "…" : "")} {(one ? "looks" : "look")} private and {(one ? "is" : "are")} not covered by GONOSUMDB / GOPRIVATE. {consequence}",
            "GONOSUMDB") with
        {
            Severity = unsummed.Count > 0 ? Descriptor.DefaultSeverity : Severity.Note,
            Location = new Location(mod.File, first.Require.Line > 0 ? first.Require.Line : null),
            Evidence =
            [
                new Evidence("GOPROXY", goproxy),
                new Evidence("GOSUMDB", gosumdb.Length > 0 ? gosumdb : "sum.golang.org (default)"),
                new Evidence("GONOSUMDB", Get("GONOSUMDB") ?? ""),
                new Evidence("GOPRIVATE", privatePatterns ?? ""),
                .. suspects.Take(10).Select(s => new Evidence(s.Require.Path, s.Why)),
            ],
            Fixes =
            [
                Fix.GoEnvWrite("GONOSUMDB", patternList, "Skip the public checksum database for the private module paths only",
                    "Those modules are then trusted on first download without an outside check; keep go.sum committed so later changes are still caught."),
                Fix.GoEnvWrite("GOPRIVATE", patternList, "Or mark them private: no checksum database and no proxy for them",
                    "They are then fetched straight from their Git host (the mirror is bypassed), which needs Git credentials on every machine and CI runner."),
            ],
        };
    }

    private static string SuggestedPattern(string modulePath)
    {
        var host = ModulePatterns.Host(modulePath);
        var elements = modulePath.Split('/');
        // Code hosts serve many owners: narrow to the owner; a company's own host can be listed whole.
        return elements.Length > 2 && host.Split('.').Length <= 2 ? $"{elements[0]}/{elements[1]}" : host;
    }

    private static bool SameDomain(string a, string b)
    {
        static string Registrable(string h)
        {
            var parts = h.ToLowerInvariant().Split('.');
            return parts.Length <= 2 ? h.ToLowerInvariant() : string.Join('.', parts[^2..]);
        }

        return Registrable(a) == Registrable(b);
    }
}
