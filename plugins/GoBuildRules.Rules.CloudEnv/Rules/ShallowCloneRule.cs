using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class ShallowCloneRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBENV008",
        "The checkout is a shallow clone",
        "vcs",
        Severity.Note,
        "The repository was cloned with a limited depth, so its tags and history are missing from what go build stamps.",
        "A shallow clone (`git clone --depth`, actions/checkout's default fetch-depth: 1, GitLab's GIT_DEPTH) has no history and usually no tags. Since Go 1.24 `go build` sets the main module's version in the binary from Git: the tag on the commit, else a pseudo-version based on the nearest earlier tag. Without tags and history that base is missing, so binaries carry v0.0.0-… instead of the release version, and version strings built with `git describe` for -ldflags -X fail. VCS stamping of the revision itself still works.")
    {
        HelpMarkdown = "`git rev-parse --is-shallow-repository` prints true; `go version -m BINARY` shows the stamped version.",
        Tags = ["vcs", "git", "ci"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var facts = CloudEnvPack.Facts(snapshot);
        if (facts?.Checkout is not { Shallow: true })
        {
            yield break;
        }

        var version = Parallelism.GoVersionOf(snapshot);
        var stampsVersion = version is { } v && v.AtLeast(1, 24);
        var (location, ci) = Anchor(facts);
        yield return Descriptor.Finding(
            $"{snapshot.Workspace.GitTopLevel ?? "The checkout"} is a shallow clone: " + (stampsVersion
                ? $"Go {version} stamps the main module's version from Git tags, which a shallow clone lacks, so binaries get a pseudo-version instead of the release tag."
                : "tags and history are missing, so version stamps from `git describe` and tools that need history give wrong answers."),
            "shallow clone") with
        {
            Severity = stampsVersion ? Severity.Warning : Descriptor.DefaultSeverity,
            Location = location ?? Anchors.Module(snapshot),
            Evidence =
            [
                new Evidence("checkout", snapshot.Workspace.GitTopLevel ?? ""),
                new Evidence("shallow", "yes (.git/shallow exists)"),
                new Evidence("go version", version?.ToString() ?? "unknown"),
                .. ci is null ? Array.Empty<Evidence>() : [new Evidence("set by", ci)],
            ],
            Fixes =
            [
                Fix.Run("Fetch the full history and tags into this checkout", "git fetch --unshallow --tags",
                    "Downloads the whole history: slow and large for big repositories."),
                Fix.EditFile(location?.File ?? ".github/workflows/*.yml", "- uses: actions/checkout@v4\n  with:\n    fetch-depth: 0",
                    "In GitHub Actions, check out with full history (GitLab: set GIT_DEPTH: 0)",
                    "Every CI run clones the whole history; on large repositories that adds minutes."),
                .. SettingFixes.SetGoFlag(snapshot, "buildvcs", "false", "Or stop stamping VCS information altogether",
                    "Binaries then record neither commit nor version from Git."),
            ],
        };
    }

    private static (Location? Location, string? Ci) Anchor(CloudEnvFacts facts)
    {
        foreach (var wf in facts.Workflows)
        {
            if (wf.Kind == WorkflowKind.GitLabCi && wf.Variables.FirstOrDefault(v => v.Name == "GIT_DEPTH" && v.Value.Trim() != "0") is { } depth)
            {
                return (new Location(wf.File, depth.Line), $"GIT_DEPTH: {depth.Value} in {wf.File}");
            }

            var checkout = wf.Steps.FirstOrDefault(s => s.Action == "actions/checkout" && s.Input("fetch-depth")?.Value.Trim() != "0");
            if (checkout is not null)
            {
                var depthInput = checkout.Input("fetch-depth");
                return (new Location(wf.File, depthInput?.Line ?? checkout.Line),
                    $"actions/checkout@{checkout.Ref} with fetch-depth {(depthInput is null ? "1 (the default)" : depthInput.Value)} in {wf.File}");
            }
        }

        return (null, null);
    }
}
