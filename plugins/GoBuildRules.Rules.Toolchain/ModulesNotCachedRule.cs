using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed partial class ModulesNotCachedRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO010",
        "Modules the build needs are not in the module cache: they must be downloaded",
        "modules",
        Severity.Note,
        "Asked offline, go could not find some required modules in the module cache; the next build downloads them through GOPROXY.",
        "The scan runs `go list -deps ./...` with GOPROXY=off, so go answers from the module cache alone. A module it would have to fetch shows up as `module lookup disabled by GOPROXY=off`. That is not breakage: with a working GOPROXY the build downloads it and succeeds (a fresh clone always starts so). It is a note, the context the network rules need (a stalled or unreachable proxy now blocks the build), and an error only when GOPROXY itself is off, since then go cannot fetch it at all.")
    {
        HelpMarkdown = "Run `go mod download` while the network and GOPROXY work (or fill the cache from a file:// proxy); with GOPROXY=off set GOPROXY back to a proxy first.",
        Tags = ["modules", "download", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var errors = snapshot.GoOracle.Errors.Where(GoErrors.IsNeedsDownload).ToList();
        if (errors.Count == 0)
        {
            yield break;
        }

        var modules = snapshot.GoOracle.Commands
            .SelectMany(c => Downloading().Matches(c.Stderr))
            .Select(m => m.Groups["m"].Value + "@" + m.Groups["v"].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var packages = errors.Select(e => e.ImportPath).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var what = modules.Count > 0 ? string.Join(", ", modules) : packages.Count > 0 ? "the modules of " + string.Join(", ", packages) : "some modules";
        var proxy = snapshot.GoEnv("GOPROXY") ?? snapshot.Env("GOPROXY");
        var proxyOff = proxy == "off";
        var finding = Descriptor.Finding(
            proxyOff
                ? $"{errors[0].Message}: {what} must be downloaded, but GOPROXY=off forbids it, so `go build` fails."
                : $"{what} {(modules.Count == 1 ? "is" : "are")} not in the module cache: the build must download {(modules.Count == 1 ? "it" : "them")} through GOPROXY ({proxy ?? "the default"}). A download need, not breakage.",
            "module cache") with
        {
            Location = GoErrors.Where(snapshot, errors[0]),
            Evidence = [.. GoErrors.Outcome(snapshot, errors[0]), new Evidence("to download", what), new Evidence("GOPROXY", proxy ?? "")],
            Fixes = proxyOff
                ? [Fix.Run("Download once through a proxy, then go can build offline", "GOPROXY=https://proxy.golang.org,direct go mod download",
                    "Fetches the modules over the network (from your own proxy if you replace the URL)."),
                   .. SettingFixes.Unset(snapshot, "GOPROXY", "Stop forcing GOPROXY=off", "Builds may then reach the network.")]
                : [Fix.Run("Download what the build needs now, while the proxy answers", "go mod download", "Fetches the modules over the network into the module cache.")],
        };
        yield return proxyOff ? finding with { Severity = Severity.Error } : finding;
    }

    [GeneratedRegex(@"^go: downloading (?<m>\S+) (?<v>\S+)$", RegexOptions.Multiline)]
    private static partial Regex Downloading();
}
