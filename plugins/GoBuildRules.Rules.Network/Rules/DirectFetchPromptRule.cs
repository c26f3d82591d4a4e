using GoBuildRules.Rules.Network.Config;
using GoBuildRules.Sdk;
using static GoBuildRules.Rules.Network.Rules.RuleSupport;

namespace GoBuildRules.Rules.Network.Rules;

public sealed class DirectFetchPromptRule : IRule
{
    private static readonly string[] PromptingHelpers = ["manager", "manager-core", "git-credential-manager", "git-credential-manager-core", "osxkeychain", "1password", "op"];

    public RuleDescriptor Descriptor { get; } = new(
        "GBNET011",
        "A direct VCS fetch can wait on a prompt",
        "network",
        Severity.Warning,
        "Modules fetched directly from git may block on a password, host-key or credential prompt nobody sees.",
        "For modules matched by GONOPROXY (or every module when GOPROXY starts with direct) the go command runs git. It protects itself by setting GIT_TERMINAL_PROMPT=0 and GIT_SSH_COMMAND=\"ssh -o ControlMaster=no -o BatchMode=yes\" — but only when they are unset. GIT_TERMINAL_PROMPT=1, a GIT_SSH_COMMAND or core.sshCommand without BatchMode=yes, an askpass program, or a credential helper that opens a dialog bring prompts back; under an IDE, CI or `go build` in the background nobody answers and the build hangs. An insteadOf rewrite to ssh for a host missing from known_hosts asks to confirm the host key (or fails with \"Host key verification failed\" in batch mode).")
    {
        HelpMarkdown = RuleHelp.For("GBNET011"),
        Tags = ["network", "vcs", "git", "hang"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var config = NetworkConfig.From(snapshot);
        var direct = config.DirectModules(snapshot);
        if (direct.Count == 0) yield break;
        var facts = Facts(snapshot);
        var git = facts?.Git;
        var hosts = direct.Select(PublicHosts.HostOf).Distinct().ToList();
        var common = new List<Evidence>
        {
            new("fetched directly", string.Join(", ", direct.Take(5)) + (direct.Count > 5 ? $" and {direct.Count - 5} more" : "")),
            new("GOPROXY", config.Proxy.Raw),
            new("GONOPROXY", config.GoNoProxy),
        };
        var anchor = Anchor(snapshot);

        if (snapshot.Env("GIT_TERMINAL_PROMPT") is { } prompt && prompt != "0" && !prompt.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            yield return Finding("GIT_TERMINAL_PROMPT=" + prompt, $"GIT_TERMINAL_PROMPT={prompt} is set, so git asks for a username and password on the terminal when a direct fetch needs them; cmd/go sets it to 0 only when it is unset.",
                [.. common, new Evidence("GIT_TERMINAL_PROMPT", prompt)],
                Fix.Run("Unset it (in your shell profile or CI settings)", "unset GIT_TERMINAL_PROMPT", "Fetches that need credentials fail at once with \"terminal prompts disabled\" instead of waiting."));
        }

        var sshCommand = snapshot.Env("GIT_SSH_COMMAND") ?? git?.SshCommand;
        var sshSource = snapshot.Env("GIT_SSH_COMMAND") is not null ? "GIT_SSH_COMMAND" : "core.sshCommand";
        if (sshCommand is not null && !sshCommand.Replace(" ", "").Contains("BatchMode=yes", StringComparison.OrdinalIgnoreCase))
        {
            yield return Finding(sshSource, $"{sshSource} is \"{sshCommand}\" without -o BatchMode=yes, which replaces the go command's own batch-mode ssh: ssh may ask for a passphrase, a password or to confirm a host key, and wait.",
                [.. common, new Evidence(sshSource, sshCommand)],
                Fix.Run("Add batch mode to the ssh command", $"export GIT_SSH_COMMAND={Fix.ShellQuote(sshCommand + " -o BatchMode=yes")}",
                    "ssh then fails instead of prompting: keys with passphrases must be in ssh-agent."));
        }
        else if (snapshot.Env("GIT_SSH") is { } gitSsh)
        {
            yield return Finding("GIT_SSH", $"GIT_SSH={gitSsh} replaces the go command's batch-mode ssh; unless that program runs ssh with BatchMode=yes, a direct fetch can wait on a prompt.",
                [.. common, new Evidence("GIT_SSH", gitSsh)],
                Fix.Run("Use GIT_SSH_COMMAND with batch mode instead", "unset GIT_SSH; export GIT_SSH_COMMAND='ssh -o BatchMode=yes'", "Options the GIT_SSH wrapper added are lost."));
        }

        foreach (var askpass in new[] { ("GIT_ASKPASS", snapshot.Env("GIT_ASKPASS")), ("SSH_ASKPASS", snapshot.Env("SSH_ASKPASS")), ("core.askPass", git?.AskPass) })
        {
            if (string.IsNullOrEmpty(askpass.Item2)) continue;
            yield return Finding(askpass.Item1, $"{askpass.Item1}={askpass.Item2}: git and ssh run this program to ask for credentials even with GIT_TERMINAL_PROMPT=0; a dialog nobody sees makes the fetch wait.",
                [.. common, new Evidence(askpass.Item1, askpass.Item2)],
                Fix.Run($"Unset {askpass.Item1} for builds", askpass.Item1.StartsWith("core", StringComparison.Ordinal) ? "git config --global --unset core.askPass" : $"unset {askpass.Item1}",
                    "Interactive git use loses its password dialog; store credentials in a helper or .netrc instead."));
        }

        foreach (var helper in git?.CredentialHelpers ?? [])
        {
            var name = helper.TrimStart('!').Split('/').Last();
            if (!PromptingHelpers.Contains(name, StringComparer.OrdinalIgnoreCase)) continue;
            yield return Finding("credential.helper:" + helper, $"credential.helper {helper} can open an interactive sign-in (browser, device code or keychain dialog) when a direct fetch needs credentials, and git waits for it.",
                [.. common, new Evidence("credential.helper", helper)],
                Fix.Run("Let the helper fail instead of prompting (Git Credential Manager)", "git config --global credential.interactive false",
                    "Expired credentials then make fetches fail until you sign in by hand."));
        }

        foreach (var r in git?.InsteadOf ?? [])
        {
            if (!r.ToSsh || r.HostKnown != false) continue;
            if (!hosts.Any(h => r.Prefix.Contains(h, StringComparison.OrdinalIgnoreCase) || (r.SshHost?.Contains(h, StringComparison.OrdinalIgnoreCase) ?? false))) continue;
            yield return Finding("insteadOf:" + r.Base, $"git rewrites {r.Prefix} to {r.Base} (ssh), but {r.SshHost} is not in known_hosts: ssh asks to confirm the host key, or fails with \"Host key verification failed\" in batch mode.",
                [.. common, new Evidence("insteadOf", $"url.{r.Base}.insteadOf={r.Prefix}"), new Evidence("known_hosts files", string.Join(", ", git!.KnownHostsFiles))],
                Fix.Run($"Add {r.SshHost}'s host key after checking its fingerprint", $"ssh-keyscan {(r.SshHost ?? "").Trim('[').Split(']')[0]} >> ~/.ssh/known_hosts",
                    "Trust on first use: compare the fingerprint with the one your git host publishes before relying on it."));
        }

        Finding Finding(string subject, string message, List<Evidence> evidence, Fix fix) =>
            Descriptor.Finding(message, subject) with { Location = anchor, Evidence = evidence, Fixes = [fix] };
    }
}
