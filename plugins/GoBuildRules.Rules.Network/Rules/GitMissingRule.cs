using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class GitMissingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBNET012",
        "git is missing but modules are fetched directly",
        "network",
        Severity.Error,
        "Some required modules are fetched straight from their VCS, and git is not on PATH.",
        "Modules matched by GONOPROXY/GOPRIVATE, and every module when GOPROXY starts with `direct`, are fetched by running git (or hg, svn…). Without git the go command fails with \"exec: git: executable file not found in $PATH\" as soon as one of them is not in the module cache — typical of slim CI and container images.")
    {
        HelpMarkdown = RuleHelp.For("GBNET012"),
        Tags = ["network", "vcs", "git"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var git = snapshot.Tool("git");
        if (git is null || git.Status == ToolStatus.Found) yield break;
        var config = NetworkConfig.From(snapshot);
        var direct = config.DirectModules(snapshot);
        if (direct.Count == 0) yield break;
        yield return ForCompleteCache(Descriptor.Finding(
            $"git is {(git.Status == ToolStatus.NotExecutable ? "not executable" : "not on PATH")}, but {direct.Count} required module(s) are fetched directly from their VCS ({string.Join(", ", direct.Take(3))}).",
            "git") with
        {
            Location = Anchor(snapshot),
            Evidence = [new Evidence("git", git.Status.ToString()), new Evidence("fetched directly", string.Join(", ", direct)), new Evidence("GOPROXY", config.Proxy.Raw), new Evidence("GONOPROXY", config.GoNoProxy)],
            Fixes =
            [
                Fix.Run("Install git (Debian/Ubuntu)", "sudo apt-get install -y git", "None beyond the package."),
                Fix.Run("Vendor the modules so builds need no fetch", "go mod vendor", "vendor/ must be kept in sync with go.mod and committed."),
            ],
        }, snapshot);
    }
}
