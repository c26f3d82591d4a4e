namespace GoBuildRules.Core.Workspace;

/// <summary>
/// Splits go.mod / go.work text into directives the way golang.org/x/mod/modfile sees them:
/// a verb followed by arguments, or a verb with a parenthesised block of argument lines.
/// </summary>
internal static class ModFileLexer
{
    internal sealed record Directive(string Verb, IReadOnlyList<string> Args, string Comment, int Line);

    public static IEnumerable<Directive> Read(string text, List<(int Line, string Message)> problems)
    {
        var lines = text.Split('\n');
        string? blockVerb = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var (code, comment) = SplitComment(lines[i].TrimEnd('\r'));
            var tokens = Tokenize(code, lineNumber, problems);
            if (tokens.Count == 0)
            {
                continue;
            }

            if (blockVerb is not null)
            {
                if (tokens is [")"])
                {
                    blockVerb = null;
                    continue;
                }

                yield return new Directive(blockVerb, tokens, comment, lineNumber);
                continue;
            }

            if (tokens.Count == 2 && tokens[1] == "(")
            {
                blockVerb = tokens[0];
                continue;
            }

            yield return new Directive(tokens[0], tokens.Skip(1).ToList(), comment, lineNumber);
        }

        if (blockVerb is not null)
        {
            problems.Add((lines.Length, $"unterminated {blockVerb} block"));
        }
    }

    private static (string Code, string Comment) SplitComment(string line)
    {
        var inQuote = false;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] == '"' && (i == 0 || line[i - 1] != '\\'))
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && line[i] == '/' && line[i + 1] == '/')
            {
                return (line[..i], line[(i + 2)..].Trim());
            }
        }

        return (line, "");
    }

    private static List<string> Tokenize(string code, int line, List<(int Line, string Message)> problems)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < code.Length)
        {
            if (char.IsWhiteSpace(code[i]))
            {
                i++;
                continue;
            }

            if (code[i] is '(' or ')')
            {
                tokens.Add(code[i].ToString());
                i++;
                continue;
            }

            if (code[i] is '"' or '`')
            {
                var quote = code[i];
                var end = code.IndexOf(quote, i + 1);
                if (end < 0)
                {
                    problems.Add((line, "unterminated quoted string"));
                    return tokens;
                }

                tokens.Add(code[(i + 1)..end]);
                i = end + 1;
                continue;
            }

            var start = i;
            while (i < code.Length && !char.IsWhiteSpace(code[i]) && code[i] is not '(' and not ')')
            {
                i++;
            }

            tokens.Add(code[start..i]);
        }

        return tokens;
    }
}
