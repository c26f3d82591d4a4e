using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Rules;

public sealed class CheckoutOwnerRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBENV007",
        "go runs as a user other than the checkout's owner ('dubious ownership')",
        "vcs",
        Severity.Error,
        "The repository belongs to another user, so git refuses it and `go build` fails to stamp VCS information.",
        "Since Go 1.18 `go build` of a main package in a Git checkout runs git to stamp the revision into the binary. Since Git 2.35.2 git refuses to work in a repository whose top folder belongs to another user ('fatal: detected dubious ownership in repository'), unless the folder is listed in safe.directory. The go command then stops with 'error obtaining VCS status: exit status 128 … Use -buildvcs=false to disable VCS stamping.' This is typical of CI containers running as root over a checkout made by the runner's user, or of a checkout mounted into a container with another uid.")
    {
        HelpMarkdown = "`stat -c %U .` against `id -un`; `git status` in the folder prints the dubious-ownership error itself.",
        Tags = ["vcs", "git", "ci", "container"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var checkout = CloudEnvPack.Facts(snapshot)?.Checkout;
        if (checkout is not { OwnerUid: { } owner, CurrentUid: { } current } || snapshot.Workspace.GitTopLevel is not { } top || owner == current)
        {
            yield break;
        }

        // Git trusts the sudo caller's repositories when it runs as root through sudo.
        if (current == 0 && checkout.SudoUid == owner)
        {
            yield break;
        }

        if (checkout.SafeDirectories.Any(d => Trusts(d, top)))
        {
            yield break;
        }

        // Without git there is no stamping to fail, and Go before 1.18 does not stamp.
        if (snapshot.Tool("git") is { Status: not ToolStatus.Found } || Parallelism.GoVersionOf(snapshot) is { } v && !v.AtLeast(1, 18))
        {
            yield break;
        }

        // load.setBuildInfo skips VCS stamping only for "false", which buildvcsFlag.Set makes of any strconv.ParseBool false.
        var flags = snapshot.GoSettings.Flags;
        if (flags.Value("buildvcs") is "0" or "f" or "F" or "false" or "FALSE" or "False")
        {
            yield break;
        }

        var ownerText = checkout.OwnerName is { Length: > 0 } n ? $"{n} (uid {owner})" : $"uid {owner}";
        var currentText = checkout.CurrentUser is { Length: > 0 } u ? $"{u} (uid {current})" : $"uid {current}";
        yield return Descriptor.Finding(
            $"{top} belongs to {ownerText} but go runs as {currentText}: git reports 'detected dubious ownership', and `go build` fails with 'error obtaining VCS status: exit status 128'.",
            "checkout owner") with
        {
            Location = Anchors.Module(snapshot),
            Evidence =
            [
                new Evidence("checkout", top),
                new Evidence("owner", ownerText),
                new Evidence("running as", currentText),
                new Evidence("safe.directory", checkout.SafeDirectories.Count == 0 ? "(none)" : string.Join(", ", checkout.SafeDirectories)),
                new Evidence("GOFLAGS", flags.Raw),
            ],
            Fixes =
            [
                .. SettingFixes.SetGoFlag(snapshot, "buildvcs", "false", "Build without VCS stamping",
                    "Binaries no longer record the commit (vcs.revision in `go version -m`)."),
                Fix.Run("Trust this one checkout in git", ["git", "config", "--global", "--add", "safe.directory", top],
                    "git then runs this repository's config and hooks as you: whoever owns it can make git execute commands in your name (core.fsmonitor, hooks). Never add '*'."),
                Fix.Run("Give the checkout to the user that builds", ["sudo", "chown", "-R", current.ToString(CultureInfo.InvariantCulture), top],
                    "The previous owner may lose write access; in CI, later steps running as the runner's user may fail."),
            ],
        };
    }

    /// <summary>safe.directory matching as git does it: '*', the exact path, or (git 2.46+) a 'path/*' prefix.</summary>
    private static bool Trusts(string entry, string top)
    {
        var e = entry.Trim().TrimEnd('/');
        var t = top.TrimEnd('/');
        return e == "*" || e == t || (e.EndsWith("/*", StringComparison.Ordinal) && (t + "/").StartsWith(e[..^1], StringComparison.Ordinal));
    }
}
