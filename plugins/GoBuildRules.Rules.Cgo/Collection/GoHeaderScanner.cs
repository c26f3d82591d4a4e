using System.Text;
using GoBuildRules.Rules.Cgo.Facts;

namespace GoBuildRules.Rules.Cgo.Collection;

/// <summary>What the head of a .go file says about cgo: build constraints, import "C" and its preamble.</summary>
internal sealed record GoHeader
{
    public string? Package { get; init; }
    public string? GoBuild { get; init; }
    public IReadOnlyList<string> PlusBuild { get; init; } = [];

    /// <summary>The line of the "C" import, or null when the file does not import "C".</summary>
    public int? ImportCLine { get; init; }

    public IReadOnlyList<CgoDirective> Directives { get; init; } = [];
}

/// <summary>
/// Reads only the package clause and the import declarations of a Go file, the way go/build does
/// (a Go file cannot import after its first declaration), so scanning a large file stays cheap.
/// </summary>
internal static class GoHeaderScanner
{
    private enum Kind { Ident, String, Punct, End }

    private sealed record Token(Kind Kind, string Text, int Line);

    private sealed record Comment(int StartLine, int EndLine, bool Block, string Body);

    public static GoHeader Scan(string source)
    {
        var lexer = new Lexer(source);
        string? goBuild = null;
        var plusBuild = new List<string>();

        // Build constraints live in line comments before the package clause.
        var token = lexer.Next();
        foreach (var c in lexer.TakeComments())
        {
            if (c.Block) continue;
            var body = c.Body;
            if (body.StartsWith("go:build", StringComparison.Ordinal) && (body.Length == 8 || char.IsWhiteSpace(body[8])))
            {
                goBuild ??= body[8..].Trim();
            }
            else if (body.TrimStart().StartsWith("+build", StringComparison.Ordinal))
            {
                var rest = body.TrimStart()[6..];
                if (rest.Length == 0 || char.IsWhiteSpace(rest[0])) plusBuild.Add(rest.Trim());
            }
        }

        if (token is not { Kind: Kind.Ident, Text: "package" })
        {
            return new GoHeader { GoBuild = goBuild, PlusBuild = plusBuild };
        }

        var name = lexer.Next();
        lexer.TakeComments();
        var header = new GoHeader { Package = name.Kind == Kind.Ident ? name.Text : null, GoBuild = goBuild, PlusBuild = plusBuild };
        var previousLine = name.Line;

        while (true)
        {
            token = lexer.Next();
            var comments = lexer.TakeComments();
            if (token is { Kind: Kind.Punct, Text: ";" })
            {
                previousLine = token.Line;
                continue;
            }

            if (token is not { Kind: Kind.Ident, Text: "import" })
            {
                return header;
            }

            var declDoc = DocFor(comments, token.Line, previousLine);
            var next = lexer.Next();
            var inner = lexer.TakeComments();
            if (next is { Kind: Kind.Punct, Text: "(" })
            {
                previousLine = next.Line;
                var specs = new List<(Token Path, IReadOnlyList<Comment> Doc)>();
                var specComments = inner;
                while (true)
                {
                    var t = lexer.Next();
                    var before = specComments.Concat(lexer.TakeComments()).ToList();
                    specComments = [];
                    if (t.Kind == Kind.End) return header;
                    if (t is { Kind: Kind.Punct, Text: ")" }) break;
                    if (t is { Kind: Kind.Punct, Text: ";" })
                    {
                        previousLine = t.Line;
                        continue;
                    }

                    var doc = DocFor(before, t.Line, previousLine);
                    var path = t;
                    if (t.Kind != Kind.String)
                    {
                        path = lexer.Next();
                        lexer.TakeComments();
                    }

                    if (path.Kind != Kind.String) return header;
                    specs.Add((path, doc));
                    previousLine = path.Line;
                }

                foreach (var (path, doc) in specs.Where(s => s.Path.Text == "C"))
                {
                    var preamble = doc.Count > 0 ? doc : specs.Count == 1 ? declDoc : [];
                    header = WithImportC(header, path.Line, preamble);
                }
            }
            else
            {
                var path = next;
                if (next.Kind != Kind.String)
                {
                    path = lexer.Next();
                    lexer.TakeComments();
                }

                if (path.Kind != Kind.String) return header;
                if (path.Text == "C") header = WithImportC(header, path.Line, declDoc);
                previousLine = path.Line;
            }
        }
    }

    private static GoHeader WithImportC(GoHeader header, int line, IReadOnlyList<Comment> preamble) =>
        header.ImportCLine is not null
            ? header with { Directives = [.. header.Directives, .. Directives(preamble)] }
            : header with { ImportCLine = line, Directives = Directives(preamble) };

    /// <summary>
    /// The comment group that ends on the line just above the token, as go/parser attaches doc
    /// comments: comments one line apart join a group; a comment on the previous token's line does not.
    /// </summary>
    private static IReadOnlyList<Comment> DocFor(IReadOnlyList<Comment> comments, int tokenLine, int previousTokenLine)
    {
        var group = new List<Comment>();
        var expectedEnd = tokenLine - 1;
        for (var i = comments.Count - 1; i >= 0; i--)
        {
            var c = comments[i];
            if (c.EndLine != expectedEnd && !(group.Count == 0 && c.EndLine == tokenLine && c.Block))
            {
                break;
            }

            if (c.StartLine <= previousTokenLine)
            {
                break;
            }

            group.Insert(0, c);
            expectedEnd = c.StartLine - 1;
            // Two line comments on one line cannot happen; a block may share a line with another comment.
        }

        return group;
    }

    private static IReadOnlyList<CgoDirective> Directives(IReadOnlyList<Comment> preamble)
    {
        var list = new List<CgoDirective>();
        foreach (var c in preamble)
        {
            var lines = c.Body.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var directive = ParseDirective(lines[i], c.StartLine + i);
                if (directive is not null) list.Add(directive);
            }
        }

        return list;
    }

    /// <summary>Parses one preamble line as go/build's saveCgo does; null when it is not a #cgo line.</summary>
    public static CgoDirective? ParseDirective(string rawLine, int lineNumber)
    {
        var line = rawLine.Trim();
        if (line.Length < 5 || !line.StartsWith("#cgo", StringComparison.Ordinal) || (line[4] != ' ' && line[4] != '\t'))
        {
            return null;
        }

        var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 3 && fields[1] is "nocallback" or "noescape")
        {
            return null;
        }

        var text = line;
        var rest = line[4..].Trim();
        var colon = rest.IndexOf(':');
        if (colon < 0)
        {
            return new CgoDirective(lineNumber, text) { Error = "invalid #cgo line: no ':' after the verb" };
        }

        var head = rest[..colon].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (head.Length == 0)
        {
            return new CgoDirective(lineNumber, text) { Error = "invalid #cgo line: no verb before ':'" };
        }

        var directive = new CgoDirective(lineNumber, text) { Conditions = head[..^1], Verb = head[^1] };
        var (args, error) = SplitQuoted(rest[(colon + 1)..]);
        return error is null
            ? directive with { Arguments = args }
            : directive with { Arguments = args, Error = "invalid #cgo line: " + error };
    }

    /// <summary>go/build's splitQuoted: whitespace-separated, '…' and "…" quote, backslash escapes.</summary>
    public static (IReadOnlyList<string> Args, string? Error) SplitQuoted(string s)
    {
        var args = new List<string>();
        var arg = new StringBuilder();
        var escaped = false;
        var quoted = false;
        char quote = '\0';
        foreach (var r in s)
        {
            if (escaped)
            {
                escaped = false;
            }
            else if (r == '\\')
            {
                escaped = true;
                continue;
            }
            else if (quote != '\0')
            {
                if (r == quote)
                {
                    quote = '\0';
                    continue;
                }
            }
            else if (r is '"' or '\'')
            {
                quoted = true;
                quote = r;
                continue;
            }
            else if (char.IsWhiteSpace(r))
            {
                if (quoted || arg.Length > 0)
                {
                    quoted = false;
                    args.Add(arg.ToString());
                    arg.Clear();
                }

                continue;
            }

            arg.Append(r);
        }

        if (quoted || arg.Length > 0) args.Add(arg.ToString());
        return (args, quote != '\0' ? "unclosed quote" : escaped ? "unfinished escaping" : null);
    }

    private sealed class Lexer(string src)
    {
        private int pos;
        private int line = 1;
        private readonly List<Comment> comments = [];

        public IReadOnlyList<Comment> TakeComments()
        {
            var taken = comments.ToList();
            comments.Clear();
            return taken;
        }

        public Token Next()
        {
            while (pos < src.Length)
            {
                var c = src[pos];
                if (c == '\n')
                {
                    line++;
                    pos++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    pos++;
                }
                else if (c == '/' && Peek(1) == '/')
                {
                    var end = src.IndexOf('\n', pos);
                    if (end < 0) end = src.Length;
                    comments.Add(new Comment(line, line, false, src[(pos + 2)..end].TrimEnd('\r')));
                    pos = end;
                }
                else if (c == '/' && Peek(1) == '*')
                {
                    var end = src.IndexOf("*/", pos + 2, StringComparison.Ordinal);
                    var stop = end < 0 ? src.Length : end;
                    var body = src[(pos + 2)..stop].Replace("\r", "");
                    var start = line;
                    line += body.Count(ch => ch == '\n');
                    comments.Add(new Comment(start, line, true, body));
                    pos = end < 0 ? src.Length : end + 2;
                }
                else if (c is '"' or '`' or '\'')
                {
                    return ReadQuoted(c);
                }
                else if (char.IsLetter(c) || c == '_')
                {
                    var start = pos;
                    while (pos < src.Length && (char.IsLetterOrDigit(src[pos]) || src[pos] == '_')) pos++;
                    return new Token(Kind.Ident, src[start..pos], line);
                }
                else
                {
                    pos++;
                    return new Token(Kind.Punct, c.ToString(), line);
                }
            }

            return new Token(Kind.End, "", line);
        }

        private char Peek(int ahead) => pos + ahead < src.Length ? src[pos + ahead] : '\0';

        private Token ReadQuoted(char quote)
        {
            var startLine = line;
            var sb = new StringBuilder();
            pos++;
            while (pos < src.Length)
            {
                var c = src[pos++];
                if (c == quote) break;
                if (c == '\n')
                {
                    line++;
                    if (quote != '`') break;
                }

                if (c == '\\' && quote != '`' && pos < src.Length)
                {
                    sb.Append(src[pos++]);
                    continue;
                }

                sb.Append(c);
            }

            return new Token(quote == '\'' ? Kind.Punct : Kind.String, sb.ToString(), startLine);
        }
    }
}
