using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class PrivateModuleLeakRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET010",
        "Private-looking modules are not covered by GOPRIVATE / GONOPROXY / GONOSUMDB",
        "configuration",
        Severity.Warning,
        "Required modules that look private will be asked for at the public proxy and checksum database.",
        "The go command sends every module path not matched by GONOPROXY to the GOPROXY entries before `direct`, and every path not matched by GONOSUMDB to the checksum database (both default to GOPRIVATE). For a private module that means a 404/410 from proxy.golang.org, a \"verifying module: … 404 Not Found\" or \"410 Gone\" error from sum.golang.org, and the private path leaked to both. A module looks private here when its host is not a public code host and is an internal name (no dot, .local, .internal, .corp…), a company code server (git.…, gitlab.…, github.…), or when the team's own patterns cover it for one of the three settings but not the others.")
    {
        HelpMarkdown = RuleHelp.For("GBNET010"),
        Tags = ["configuration", "goprivate", "privacy"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = NetworkConfig.From(snapshot);
        var facts = Facts(snapshot);
        var firstEntry = config.Proxy.Entries.FirstOrDefault(e => e.Kind != ProxyEntryKind.NoProxy);
        // Only a public proxy first is a leak: the team's own proxy first is where private modules are
        // meant to come from (GONOSUMDB alone is then the whole set-up), and GOPRIVATE would send
        // them to direct VCS fetches instead.
        var proxyFirst = firstEntry is { Kind: ProxyEntryKind.Http } && PublicHosts.IsPublicProxy(firstEntry.Url);
        var sumDbOn = config.SumDb.Mode == SumDbMode.On;
        foreach (var (path, require) in NetworkConfig.FetchedModules(snapshot))
        {
            var teamPattern = config.IsPrivate(path) || config.IsNoProxy(path) || config.IsNoSumDb(path);
            if (!PublicHosts.LooksPrivate(path) && !teamPattern) continue;
            var toProxy = proxyFirst && !config.IsNoProxy(path);
            var toSumDb = sumDbOn && !config.IsNoSumDb(path);
            if (!toProxy && !toSumDb) continue;

            var where = toProxy && toSumDb ? $"the proxy {firstEntry!.Url} and the checksum database {config.SumDb.Name}"
                : toProxy ? $"the proxy {firstEntry!.Url}" : $"the checksum database {config.SumDb.Name}";
            var host = PublicHosts.HostOf(path);
            var goPrivate = string.Join(",", ModulePatterns.Split(config.GoPrivate).Append(host).Distinct());
            // GONOSUMDB replaces its GOPRIVATE default once set, so the effective list is extended.
            var goNoSumDb = string.Join(",", ModulePatterns.Split(config.GoNoSumDb).Append(host).Distinct());
            yield return Descriptor.Finding(
                $"{path} looks private but GOPRIVATE/GONOPROXY/GONOSUMDB do not cover it: go asks {where} for it (expect 404/410 errors, and the module path is disclosed).",
                $"module:{path}") with
            {
                Location = new Location(snapshot.Workspace.GoMod!.File, require.Line > 0 ? require.Line : null),
                Evidence =
                [
                    new Evidence("module", $"{path} {require.Version}"),
                    new Evidence("why private", teamPattern ? "matched by some, not all, of GOPRIVATE/GONOPROXY/GONOSUMDB" : $"{host} is not a public code host"),
                    new Evidence("GOPROXY", config.Proxy.Raw),
                    new Evidence("GOSUMDB", config.SumDb.Raw),
                    new Evidence("GOPRIVATE", config.GoPrivate),
                    new Evidence("GONOPROXY", config.GoNoProxy),
                    new Evidence("GONOSUMDB", config.GoNoSumDb),
                ],
                Fixes =
                [
                    .. toProxy
                        ? SettingFixes.Set(snapshot, "GOPRIVATE", goPrivate, $"Mark {host} as private (no proxy, no checksum database)",
                            "Modules under the pattern are fetched directly from their VCS (git must reach it) and verified only by go.sum.", FixApplicability.OnlyWhenNamed)
                        : SettingFixes.Set(snapshot, "GONOSUMDB", goNoSumDb, $"Skip the public checksum database for {host} (the configured proxy still serves it)",
                            "Modules under the pattern are verified only by go.sum.", FixApplicability.OnlyWhenNamed),
                    Fix.Run("See where go looks for it", $"go mod download -x {path}@{require.Version}", "None beyond the download; -x prints each request."),
                ],
            };
        }
    }
}
