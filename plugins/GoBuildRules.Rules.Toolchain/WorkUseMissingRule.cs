using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class WorkUseMissingRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO006",
        "A go.work `use` names a folder without a go.mod",
        "workspace",
        Severity.Error,
        "go.work uses a module folder that does not exist or has no go.mod, so no go command works in the workspace.",
        "In workspace mode go loads every module that go.work `use`s before anything else. A use of a folder that is missing, or has no go.mod, stops `go build`, `go list` and gopls with `open …/go.mod: no such file or directory`. go.work is often not committed, so a stale one on one machine breaks only there.")
    {
        HelpMarkdown = "Drop the use with `go work edit -dropuse=./DIR`, create the module there, or turn workspace mode off for one command with `GOWORK=off`.",
        Tags = ["workspace", "go.work", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var e in snapshot.GoOracle.Errors)
        {
            var m = GoErrors.MissingWorkUse(e, snapshot);
            if (!m.Success)
            {
                continue;
            }

            var dir = m.Groups["dir"].Value;
            var work = snapshot.Workspace.GoWork;
            var root = snapshot.Workspace.Root;
            var use = work?.Uses.FirstOrDefault(u =>
                Path.GetFullPath(Path.Combine(root, Path.GetDirectoryName(work.File) ?? "", u.Path)).TrimEnd('/') == dir.TrimEnd('/'));
            var usePath = use?.Path ?? dir;
            yield return Descriptor.Finding(
                $"{e.Message}: go.work uses {usePath}, which has no go.mod, so every go command in this workspace fails.",
                $"go.work use:{usePath}") with
            {
                Location = use is not null && work is not null ? new Location(work.File, use.Line) : work is not null ? new Location(work.File) : GoErrors.Where(snapshot, e),
                Evidence = [.. GoErrors.Outcome(snapshot, e), new Evidence("use", usePath)],
                Fixes =
                [
                    Fix.Run("Build without the workspace for now", "GOWORK=off go build ./...",
                        "None; only this command ignores go.work, and the other workspace modules come from their required versions."),
                    Fix.Run($"Drop the use of {usePath} from go.work", $"go work edit -dropuse={Fix.ShellQuote(usePath)}",
                        "Rewrites go.work; code that relied on the local copy of that module builds against its required version."),
                ],
            };
        }
    }
}
