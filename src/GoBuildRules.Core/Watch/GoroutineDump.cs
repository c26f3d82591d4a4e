using System.Globalization;
using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Watch;

/// <summary>
/// Reads the goroutine dump a Go program prints on SIGQUIT (runtime/traceback.go: "goroutine N
/// [state, M minutes]:", then per frame a function line and a tab-indented file:line, then
/// "created by …").
/// </summary>
public static partial class GoroutineDump
{
    public static IReadOnlyList<Goroutine> Parse(string text)
    {
        var result = new List<Goroutine>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var header = Header().Match(lines[i]);
            if (!header.Success)
            {
                continue;
            }

            var parts = header.Groups["state"].Value.Split(", ");
            var minutes = parts.Skip(1).Select(p => Minutes().Match(p)).FirstOrDefault(m => m.Success) is { } m
                ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                : 0;
            var frames = new List<string>();
            string? createdBy = null;
            for (i++; i < lines.Length && lines[i].Length > 0 && !Header().IsMatch(lines[i]); i++)
            {
                var line = lines[i];
                if (line.StartsWith('\t') || line.StartsWith("...", StringComparison.Ordinal))
                {
                    continue;
                }

                if (line.StartsWith("created by ", StringComparison.Ordinal))
                {
                    createdBy = line["created by ".Length..].Split(" in goroutine ")[0].Trim();
                    continue;
                }

                frames.Add(FunctionName(line));
            }

            i--;
            result.Add(new Goroutine(int.Parse(header.Groups["id"].Value, CultureInfo.InvariantCulture), parts[0], minutes, frames) { CreatedBy = createdBy });
        }

        return result;
    }

    /// <summary>"sync.(*Mutex).Lock(...)" or "main.f(0xc000010000?, 0x1)" → the name before the argument list.</summary>
    public static string FunctionName(string line)
    {
        line = line.TrimEnd();
        if (!line.EndsWith(')'))
        {
            return line;
        }

        var open = line.LastIndexOf('(');
        return open > 0 ? line[..open] : line;
    }

    [GeneratedRegex(@"^goroutine (?<id>\d+) \[(?<state>[^\]]*)\]:$")]
    private static partial Regex Header();

    [GeneratedRegex(@"^(\d+) minutes?$")]
    private static partial Regex Minutes();
}
