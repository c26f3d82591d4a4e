using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class BroadExemptionRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET009",
        "GONOSUMDB, GOPRIVATE, GOINSECURE or GONOSUMCHECK cover public modules",
        "security",
        Severity.Warning,
        "A checksum or TLS exemption pattern is broader than private modules need.",
        "GOPRIVATE and GONOSUMDB exempt matching modules from the checksum database; GOINSECURE lets matching modules be fetched over plain HTTP or with unverified certificates. A pattern such as `*`, `*.com` or `github.com` exempts public modules too, so a tampered download is no longer detected. GONOSUMCHECK is not a variable cmd/go reads (the 1.13 betas' GONOSUMCHECK/GONOVERIFY became GONOSUMDB/GOSUMDB=off): setting it changes nothing and suggests checks were meant to be off. Patterns naming only the private hosts or organisations (`git.example.com`, `github.com/yourorg`) are enough.")
    {
        HelpMarkdown = RuleHelp.For("GBNET009"),
        Tags = ["security", "gosumdb", "goinsecure"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = NetworkConfig.From(snapshot);
        var facts = Facts(snapshot);
        var variables = new (string Name, string Value, string Effect)[]
        {
            ("GOPRIVATE", config.GoPrivate, "are not verified against the checksum database and bypass the proxy"),
            // `go env` shows GONOSUMDB as GOPRIVATE when it is unset: report the pattern once, under GOPRIVATE.
            ("GONOSUMDB", config.GoNoSumDb == config.GoPrivate ? "" : config.GoNoSumDb, "are not verified against the checksum database"),
            ("GOINSECURE", config.GoInsecure, "may be fetched over plain HTTP or with unverified certificates"),
        };
        foreach (var (name, value, effect) in variables)
        {
            foreach (var glob in ModulePatterns.Split(value))
            {
                var covered = PublicHosts.Samples.Where(m => ModulePatterns.PathMatch(glob, Prefix(m, glob))).Take(3).ToList();
                if (covered.Count == 0) continue;
                var narrower = NetworkConfig.FetchedModules(snapshot).Select(m => m.Path)
                    .Where(m => ModulePatterns.Matches(glob, m) && PublicHosts.LooksPrivate(m)).Select(PublicHosts.HostOf).Distinct().ToList();
                var without = string.Join(",", ModulePatterns.Split(value).Where(g => g != glob).Concat(narrower).Distinct());
                yield return Descriptor.Finding(
                    $"{name} pattern \"{glob}\" covers public modules such as {string.Join(", ", covered)}: they {effect}.",
                    $"{name}:{glob}") with
                {
                    Location = Anchor(snapshot),
                    Evidence = [new Evidence(name, value), ConfiguredIn(snapshot, facts, name), new Evidence("pattern", glob), new Evidence("public modules covered", string.Join(", ", covered))],
                    Fixes = without.Length > 0
                        ? [.. SettingFixes.Set(snapshot, name, without, $"Narrow {name} to the private hosts", "Private modules not matched by the remaining patterns go to the public proxy and checksum database (see GBNET010).")]
                        : [.. SettingFixes.Unset(snapshot, name, $"Remove {name}", "Private modules then go to the public proxy and checksum database; add patterns for their hosts instead.")],
                };
            }
        }

        foreach (var legacy in new[] { "GONOSUMCHECK", "GONOVERIFY" })
        {
            if (snapshot.Env(legacy) is not { Length: > 0 } set) continue;
            yield return Descriptor.Finding(
                $"{legacy}={set} is set, but cmd/go does not read it: checksum checks are not changed by it. Use GONOSUMDB patterns for private modules.",
                legacy) with
            {
                Location = Anchor(snapshot),
                Evidence = [new Evidence(legacy, set), new Evidence("GONOSUMDB", config.GoNoSumDb), new Evidence("GOSUMDB", config.SumDb.Raw)],
                Fixes = [Fix.Run($"Unset {legacy} in your shell profile or CI settings", $"unset {legacy}", "None; cmd/go ignores it.")],
            };
        }
    }

    // A sample module path cut to as many elements as the glob has, as MatchPrefixPatterns does.
    private static string Prefix(string module, string glob)
    {
        var n = glob.Count(c => c == '/') + 1;
        var parts = module.Split('/');
        return string.Join('/', parts.Take(Math.Min(n, parts.Length)));
    }
}
