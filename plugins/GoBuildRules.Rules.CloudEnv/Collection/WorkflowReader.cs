using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv.Collection;

/// <summary>
/// Reads GitHub Actions workflows and .gitlab-ci.yml line by line: enough YAML to find the steps,
/// inputs, cache blocks and variables the rules need, with their line numbers, and no more. Flow
/// mappings, anchors and includes are not followed; what is not understood is simply not reported.
/// </summary>
public static partial class WorkflowReader
{
    /// <summary>Variables whose assignment in a CI file explains a finding.</summary>
    public static readonly IReadOnlySet<string> InterestingVariables = new HashSet<string>(StringComparer.Ordinal)
    {
        "GOPATH", "GOMODCACHE", "GOCACHE", "GOFLAGS", "GOPROXY", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOSUMDB", "GOMAXPROCS",
        "GIT_DEPTH", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    };

    public static WorkflowFile Parse(string file, WorkflowKind kind, string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n').Select(StripComment).ToArray();
        var goLines = new List<int>();
        var variables = new List<WorkflowVariable>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (GoCommand().IsMatch(lines[i]))
            {
                goLines.Add(i + 1);
            }

            var v = Assignment().Match(lines[i]);
            if (v.Success && InterestingVariables.Contains(v.Groups["name"].Value))
            {
                // Proxy URLs in CI files can carry user:password; nothing leaves here unredacted.
                variables.Add(new WorkflowVariable(v.Groups["name"].Value, Secrets.RedactVariable(v.Groups["name"].Value, Unquote(v.Groups["value"].Value)), i + 1));
            }
        }

        return new WorkflowFile(file, kind)
        {
            GoCommandLines = goLines,
            Variables = variables,
            Steps = kind == WorkflowKind.GitHubActions ? ReadSteps(lines) : [],
            GitLabCaches = kind == WorkflowKind.GitLabCi ? ReadGitLabCaches(lines) : [],
        };
    }

    private static List<ActionStep> ReadSteps(string[] lines)
    {
        var steps = new List<ActionStep>();
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Uses().Match(lines[i]);
            if (!m.Success)
            {
                continue;
            }

            // The step is the list item holding `uses:`: its dash is on this line or on the nearest
            // line above that starts an item further left than the `uses:` key.
            var keyIndent = m.Groups["key"].Index;
            var dashIndent = m.Groups["dash"].Success ? m.Groups["dash"].Index : -1;
            var start = i;
            if (dashIndent < 0)
            {
                for (var j = i - 1; j >= 0; j--)
                {
                    var d = ListItem().Match(lines[j]);
                    if (d.Success && d.Groups["dash"].Index < keyIndent)
                    {
                        dashIndent = d.Groups["dash"].Index;
                        start = j;
                        break;
                    }

                    if (!IsBlank(lines[j]) && Indent(lines[j]) < keyIndent && !d.Success)
                    {
                        break;
                    }
                }
            }

            var end = lines.Length;
            for (var j = i + 1; j < lines.Length; j++)
            {
                if (!IsBlank(lines[j]) && Indent(lines[j]) <= Math.Max(dashIndent, 0))
                {
                    end = j;
                    break;
                }
            }

            steps.Add(new ActionStep(m.Groups["action"].Value, m.Groups["ref"].Value, i + 1) { Inputs = ReadWith(lines, start, end) });
        }

        return steps;
    }

    private static List<StepInput> ReadWith(string[] lines, int start, int end)
    {
        var inputs = new List<StepInput>();
        for (var i = start; i < end; i++)
        {
            var w = With().Match(lines[i]);
            if (!w.Success)
            {
                continue;
            }

            var withIndent = w.Groups["key"].Index;
            for (var j = i + 1; j < end; j++)
            {
                if (IsBlank(lines[j]))
                {
                    continue;
                }

                if (Indent(lines[j]) <= withIndent)
                {
                    break;
                }

                var kv = KeyValue().Match(lines[j]);
                if (!kv.Success)
                {
                    continue;
                }

                var value = kv.Groups["value"].Value.Trim();
                var inputIndent = kv.Groups["key"].Index;
                if (value.Length == 0 || value[0] is '|' or '>')
                {
                    var block = new List<string>();
                    var k = j + 1;
                    for (; k < end && (IsBlank(lines[k]) || Indent(lines[k]) > inputIndent); k++)
                    {
                        if (!IsBlank(lines[k])) block.Add(lines[k].Trim());
                    }

                    inputs.Add(new StepInput(kv.Groups["key"].Value, RedactInput(kv.Groups["key"].Value, string.Join('\n', block)), j + 1));
                    j = k - 1;
                }
                else
                {
                    inputs.Add(new StepInput(kv.Groups["key"].Value, RedactInput(kv.Groups["key"].Value, Unquote(value)), j + 1));
                }
            }

            break;
        }

        return inputs;
    }

    private static List<GitLabCache> ReadGitLabCaches(string[] lines)
    {
        var caches = new List<GitLabCache>();
        for (var i = 0; i < lines.Length; i++)
        {
            var c = CacheKey().Match(lines[i]);
            if (!c.Success)
            {
                continue;
            }

            var cacheIndent = c.Groups["key"].Index;
            var paths = new List<StepInput>();
            string? key = null;
            var keyLine = 0;
            var j = i + 1;
            for (; j < lines.Length; j++)
            {
                if (IsBlank(lines[j]))
                {
                    continue;
                }

                if (Indent(lines[j]) <= cacheIndent && !(Indent(lines[j]) == cacheIndent && ListItem().IsMatch(lines[j])))
                {
                    break;
                }

                var kv = KeyValue().Match(lines[j]);
                if (!kv.Success)
                {
                    continue;
                }

                var name = kv.Groups["key"].Value;
                var value = kv.Groups["value"].Value.Trim();
                var indent = kv.Groups["key"].Index;
                if (name == "paths")
                {
                    if (value.StartsWith('['))
                    {
                        paths.AddRange(value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                            .Select(p => new StepInput("path", Unquote(p), j + 1)));
                        continue;
                    }

                    for (var k = j + 1; k < lines.Length && (IsBlank(lines[k]) || Indent(lines[k]) >= indent); k++)
                    {
                        var item = ListItem().Match(lines[k]);
                        if (item.Success && !KeyValue().IsMatch(lines[k][(item.Groups["dash"].Index + 1)..].Trim() + " "))
                        {
                            paths.Add(new StepInput("path", Unquote(lines[k][(item.Groups["dash"].Index + 1)..].Trim()), k + 1));
                        }
                        else if (!IsBlank(lines[k]) && !item.Success)
                        {
                            break;
                        }
                    }
                }
                else if (name == "key" && value.Length > 0)
                {
                    key = Unquote(value);
                    keyLine = j + 1;
                }
                else if (name == "files")
                {
                    // key: { files: [go.sum] } keys the cache on the content of those files.
                    var files = value.Length > 0 ? [value.Trim('[', ']')] : new List<string>();
                    for (var k = j + 1; value.Length == 0 && k < lines.Length && ListItem().IsMatch(lines[k]); k++)
                    {
                        files.Add(lines[k].Trim().TrimStart('-').Trim());
                    }

                    key = "files: " + string.Join(", ", files.Select(Unquote));
                    keyLine = j + 1;
                }
            }

            if (paths.Count > 0 || key is not null)
            {
                caches.Add(new GitLabCache(i + 1) { Paths = paths, Key = key, KeyLine = keyLine });
            }
        }

        return caches;
    }

    // A cache `key` names a cache, not a credential: only strip URL credentials from it.
    private static string RedactInput(string name, string value) =>
        name is "key" or "restore-keys" ? Secrets.Redact(value) : Secrets.RedactVariable(name, value);

    private static string StripComment(string line)
    {
        // A # starts a comment at the line start or after whitespace, outside quotes.
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i].TrimEnd();
            }
        }

        return line.TrimEnd();
    }

    private static string Unquote(string value)
    {
        value = value.Trim();
        return value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;
    }

    private static bool IsBlank(string line) => line.Trim().Length == 0;

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    [GeneratedRegex(@"(?:^|[\s;&|(`'""])go\s+(?:build|test|install|run|vet|generate|list|get|mod\s+(?:download|tidy|vendor|verify))\b")]
    private static partial Regex GoCommand();

    [GeneratedRegex(@"^\s*(?:-\s+)?(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s+(?<value>\S.*)$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^\s*(?:(?<dash>-)\s+)?(?<key>uses):\s*['""]?(?<action>[^@'""\s]+)@(?<ref>[^'""\s]+)")]
    private static partial Regex Uses();

    [GeneratedRegex(@"^\s*(?<dash>-)(?:\s|$)")]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^\s*(?:-\s+)?(?<key>with):\s*$")]
    private static partial Regex With();

    [GeneratedRegex(@"^\s*(?:-\s+)?(?<key>[A-Za-z_][A-Za-z0-9_\-]*):(?:\s+(?<value>.*))?$")]
    private static partial Regex KeyValue();

    [GeneratedRegex(@"^\s*(?:-\s+)?(?<key>cache):\s*$")]
    private static partial Regex CacheKey();
}
