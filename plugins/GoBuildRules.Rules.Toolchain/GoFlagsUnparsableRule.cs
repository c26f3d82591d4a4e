using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed partial class GoFlagsUnparsableRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO007",
        "GOFLAGS holds something go cannot parse",
        "environment",
        Severity.Error,
        "go parses GOFLAGS before every command and stops at a word that is not a flag, so nothing builds.",
        "GOFLAGS is a space-separated list of `-flag` or `-flag=value` words that go adds to every command that knows the flag. A word without its leading dash (`trimpath` instead of `-trimpath`), or a value with spaces that was not quoted as go expects, makes every go command fail with `go: parsing $GOFLAGS: …` before it does anything, `go env` included.")
    {
        HelpMarkdown = "Give every word of GOFLAGS its leading dash (`-mod=mod -trimpath`); check with `go env GOFLAGS`.",
        Tags = ["environment", "goflags", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var error = snapshot.GoOracle.Errors.FirstOrDefault(GoErrors.IsGoFlags);
        if (error is null)
        {
            yield break;
        }

        // `go env` itself still answers with a broken GOFLAGS, so the value is known wherever it was set.
        var flags = snapshot.GoSettings.Value("GOFLAGS") is { Length: > 0 } v ? v : snapshot.Env("GOFLAGS");
        var fixes = new List<Fix>(flags is { Length: > 0 }
            ? SettingFixes.Set(snapshot, "GOFLAGS",
                string.Join(' ', flags.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => w.StartsWith('-') ? w : "-" + w)),
                "Give every GOFLAGS word its leading dash", "None if the words were meant as flags; check each one against `go help build`.")
            : SettingFixes.Unset(snapshot, "GOFLAGS", "Remove GOFLAGS, then set it again with dashes", "Every flag it held stops applying until it is set again."));

        var word = NonFlag().Match(error.Message);
        yield return Descriptor.Finding(
            $"{error.Message}: every go command fails before it starts{(word.Success ? $"; \"{word.Groups["w"].Value}\" needs a leading dash to be a flag" : "")}.",
            "GOFLAGS") with
        {
            Location = Anchors.Module(snapshot),
            Evidence = [.. GoErrors.Outcome(snapshot, error), new Evidence("GOFLAGS", flags ?? snapshot.GoEnv("GOFLAGS") ?? "(from the GOENV file)")],
            Fixes = fixes,
        };
    }

    [GeneratedRegex(@"non-flag ""(?<w>[^""]*)""")]
    private static partial Regex NonFlag();
}
