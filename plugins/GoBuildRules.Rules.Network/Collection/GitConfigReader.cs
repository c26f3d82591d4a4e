using System.Security.Cryptography;
using System.Text;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Network.Collection;

/// <summary>
/// Reads the git settings that decide whether a direct fetch can wait on a person: insteadOf
/// rewrites to ssh (and whether their hosts are in known_hosts), credential helpers, askpass and
/// core.sshCommand. Values are redacted; known_hosts entries are only matched, never stored.
/// </summary>
internal static class GitConfigReader
{
    private const string KeyPattern = @"^(url\..*\.insteadof|credential\..*helper|core\.askpass|core\.sshcommand)$";

    public static async Task<GitFacts> ReadAsync(CollectionContext context, TimeSpan timeout, CancellationToken ct)
    {
        var git = context.Core.Tool("git");
        if (git is not { Status: ToolStatus.Found, Path: { } gitPath })
        {
            return new GitFacts { ConfigError = "git is not on PATH" };
        }

        var result = await context.Processes.RunAsync(
            new ProcessRequest(gitPath, ["config", "--get-regexp", KeyPattern], timeout)
            {
                WorkingDirectory = Directory.Exists(context.WorkspaceRoot) ? context.WorkspaceRoot : null,
                Environment = new Dictionary<string, string?> { ["GIT_TERMINAL_PROMPT"] = "0" },
            },
            ct).ConfigureAwait(false);

        // Exit status 1 means no key matched.
        if (!(result.Outcome == ProcessOutcome.Exited && result.ExitCode is 0 or 1))
        {
            var why = result.Outcome == ProcessOutcome.TimedOut ? $"git config did not answer within {timeout.TotalSeconds:0.#} s" : Secrets.Redact(result.StandardError.Trim());
            return new GitFacts { ConfigError = why };
        }

        var home = context.Core.Env("HOME") ?? context.Core.Env("USERPROFILE");
        var knownHostsFiles = new[] { home is null ? null : Path.Combine(home, ".ssh", "known_hosts"), "/etc/ssh/ssh_known_hosts" }
            .OfType<string>().Where(File.Exists).ToList();
        var knownLines = knownHostsFiles.SelectMany(ReadBounded).ToList();

        var rewrites = new List<InsteadOfRewrite>();
        var helpers = new List<string>();
        string? askPass = null, sshCommand = null;
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var space = line.IndexOf(' ');
            var key = space < 0 ? line : line[..space];
            var value = space < 0 ? "" : line[(space + 1)..].Trim();
            var lower = key.ToLowerInvariant();
            if (lower.StartsWith("url.", StringComparison.Ordinal) && lower.EndsWith(".insteadof", StringComparison.Ordinal))
            {
                var baseUrl = key[4..^".insteadof".Length];
                var host = SshHost(baseUrl);
                rewrites.Add(new InsteadOfRewrite(Secrets.Redact(baseUrl), Secrets.Redact(value))
                {
                    ToSsh = host is not null,
                    HostKnown = host is null ? null : knownHostsFiles.Count == 0 ? false : IsKnown(knownLines, host.Value.Host, host.Value.Port),
                }.WithHost(host));
            }
            else if (lower.EndsWith("helper", StringComparison.Ordinal))
            {
                if (value.Length > 0)
                {
                    helpers.Add(Secrets.Redact(value.StartsWith('!') ? "!" + value[1..].Trim().Split(' ', 2)[0] : value.Split(' ', 2)[0]));
                }
            }
            else if (lower == "core.askpass")
            {
                askPass = Secrets.Redact(value);
            }
            else if (lower == "core.sshcommand")
            {
                sshCommand = Secrets.Redact(value);
            }
        }

        return new GitFacts
        {
            ConfigRead = true,
            InsteadOf = rewrites,
            CredentialHelpers = helpers.Distinct().ToList(),
            AskPass = askPass,
            SshCommand = sshCommand,
            KnownHostsFiles = knownHostsFiles,
        };
    }

    private static InsteadOfRewrite WithHost(this InsteadOfRewrite r, (string Host, int Port)? host) =>
        r with { SshHost = host is null ? null : host.Value.Port == 22 ? host.Value.Host : $"[{host.Value.Host}]:{host.Value.Port}" };

    /// <summary>The host of an ssh URL (ssh://[user@]host[:port]/…, git+ssh://…) or scp-like address (user@host:path); null for other URLs.</summary>
    public static (string Host, int Port)? SshHost(string url)
    {
        foreach (var scheme in new[] { "ssh://", "git+ssh://", "ssh+git://" })
        {
            if (url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                var rest = url[scheme.Length..];
                var authority = rest.Split('/', 2)[0];
                authority = authority[(authority.LastIndexOf('@') + 1)..];
                var colon = authority.LastIndexOf(':');
                return colon > 0 && int.TryParse(authority[(colon + 1)..], out var port)
                    ? (authority[..colon].ToLowerInvariant(), port)
                    : (authority.ToLowerInvariant(), 22);
            }
        }

        if (url.Contains("://", StringComparison.Ordinal))
        {
            return null;
        }

        // scp-like: [user@]host:path, where the colon comes before any slash.
        var c = url.IndexOf(':');
        var slash = url.IndexOf('/');
        if (c > 0 && (slash < 0 || c < slash))
        {
            var hostPart = url[..c];
            return (hostPart[(hostPart.LastIndexOf('@') + 1)..].ToLowerInvariant(), 22);
        }

        return null;
    }

    private static IEnumerable<string> ReadBounded(string file)
    {
        try
        {
            var info = new FileInfo(file);
            return info.Length > 4_000_000 ? [] : File.ReadAllLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Whether a known_hosts line names the host: plain names, wildcards, [host]:port, and hashed |1|salt|hash entries.</summary>
    public static bool IsKnown(IEnumerable<string> lines, string host, int port)
    {
        var name = port == 22 ? host : $"[{host}]:{port}";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2) continue;
            var patterns = fields[0].StartsWith('@') ? (fields.Length > 2 ? fields[1] : "") : fields[0];
            if (fields[0] == "@revoked") continue;
            foreach (var pattern in patterns.Split(','))
            {
                if (pattern.StartsWith("|1|", StringComparison.Ordinal))
                {
                    var parts = pattern.Split('|');
                    if (parts.Length == 4)
                    {
                        try
                        {
                            using var hmac = new HMACSHA1(Convert.FromBase64String(parts[2]));
                            if (Convert.ToBase64String(hmac.ComputeHash(Encoding.ASCII.GetBytes(name))) == parts[3]) return true;
                        }
                        catch (FormatException)
                        {
                            // A damaged entry names no host.
                        }
                    }
                }
                else if (!pattern.StartsWith('!') && Wildcard(pattern.ToLowerInvariant(), name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool Wildcard(string pattern, string name) =>
        System.Text.RegularExpressions.Regex.IsMatch(name,
            "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$");
}
