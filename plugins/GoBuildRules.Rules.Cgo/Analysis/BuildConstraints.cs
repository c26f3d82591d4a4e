using GoBuildRules.Rules.Cgo.Facts;

namespace GoBuildRules.Rules.Cgo.Analysis;

/// <summary>The part of go/build's Context that decides which files and #cgo lines apply.</summary>
/// <param name="GoMinor">The Go 1.N release, for go1.N tags; null when unknown (every go1.N tag then matches).</param>
internal sealed record BuildContext(string Goos, string Goarch, bool CgoEnabled, int? GoMinor);

/// <summary>
/// go/build's file selection: file-name suffixes (_linux_arm64.go), //go:build expressions, legacy
/// // +build lines and the conditions of #cgo lines. Unknown tags are false, as without -tags.
/// </summary>
internal static class BuildConstraints
{
    private static readonly HashSet<string> KnownOs =
    [
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux", "nacl", "netbsd",
        "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
    ];

    private static readonly HashSet<string> KnownArch =
    [
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle", "mips64", "mips64le",
        "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    ];

    private static readonly HashSet<string> UnixOs =
        ["aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "linux", "netbsd", "openbsd", "solaris"];

    public static bool MatchFile(CgoGoFile file, BuildContext context)
    {
        if (!MatchFileName(System.IO.Path.GetFileName(file.Path), context)) return false;
        if (file.GoBuild is not null) return TryEvaluate(file.GoBuild, context) ?? true;
        return file.PlusBuild.All(line => MatchPlusBuild(line, context));
    }

    /// <summary>go/build's goodOSArchFile: name_GOOS_GOARCH.go, name_GOOS.go, name_GOARCH.go (before _test).</summary>
    public static bool MatchFileName(string fileName, BuildContext context)
    {
        var name = fileName.Split('.')[0];
        var i = name.IndexOf('_');
        if (i < 0) return true;
        var parts = name[i..].Split('_').ToList();
        if (parts.Count > 0 && parts[^1] == "test") parts.RemoveAt(parts.Count - 1);
        var n = parts.Count;
        if (n >= 2 && KnownOs.Contains(parts[n - 2]) && KnownArch.Contains(parts[n - 1]))
        {
            return MatchTag(parts[n - 1], context) && MatchTag(parts[n - 2], context);
        }

        if (n >= 1 && (KnownOs.Contains(parts[n - 1]) || KnownArch.Contains(parts[n - 1])))
        {
            return MatchTag(parts[n - 1], context);
        }

        return true;
    }

    /// <summary>A condition before the verb of a #cgo line: +build syntax, or //go:build syntax when it uses &amp;, |, ( or ).</summary>
    public static bool MatchCondition(string condition, BuildContext context) =>
        condition.IndexOfAny(['&', '|', '(', ')']) >= 0
            ? TryEvaluate(condition, context) ?? false
            : MatchPlusBuild(condition, context);

    /// <summary>A // +build line: space-separated alternatives of comma-separated terms, each maybe negated.</summary>
    public static bool MatchPlusBuild(string line, BuildContext context) =>
        line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Any(option => option.Split(',').All(term => term.StartsWith('!') ? !MatchTag(term[1..], context) : MatchTag(term, context)));

    public static bool MatchTag(string tag, BuildContext context)
    {
        if (tag.Length == 0) return false;
        if (tag == "cgo") return context.CgoEnabled;
        if (tag == context.Goos || tag == context.Goarch || tag == "gc") return true;
        if (tag == "unix") return UnixOs.Contains(context.Goos);
        if (tag == "linux" && context.Goos == "android") return true;
        if (tag == "solaris" && context.Goos == "illumos") return true;
        if (tag == "darwin" && context.Goos == "ios") return true;
        if (tag.StartsWith("go1.", StringComparison.Ordinal) && int.TryParse(tag[4..], out var minor))
        {
            return context.GoMinor is null || minor <= context.GoMinor;
        }

        return false;
    }

    /// <summary>Evaluates a //go:build expression; null when it does not parse (go would reject the file).</summary>
    public static bool? TryEvaluate(string expression, BuildContext context)
    {
        var tokens = Tokenize(expression);
        if (tokens is null) return null;
        var parser = new Parser(tokens, context);
        var value = parser.Or();
        return value is not null && parser.AtEnd ? value : null;
    }

    private static List<string>? Tokenize(string s)
    {
        var tokens = new List<string>();
        for (var i = 0; i < s.Length;)
        {
            var c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or '!')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if ((c == '&' || c == '|') && i + 1 < s.Length && s[i + 1] == c)
            {
                tokens.Add(new string(c, 2));
                i += 2;
            }
            else if (char.IsLetterOrDigit(c) || c is '_' or '.')
            {
                var start = i;
                while (i < s.Length && (char.IsLetterOrDigit(s[i]) || s[i] is '_' or '.')) i++;
                tokens.Add(s[start..i]);
            }
            else
            {
                return null;
            }
        }

        return tokens;
    }

    private sealed class Parser(List<string> tokens, BuildContext context)
    {
        private int pos;

        public bool AtEnd => pos == tokens.Count;

        public bool? Or()
        {
            var left = And();
            while (left is not null && Accept("||"))
            {
                var right = And();
                if (right is null) return null;
                left = left.Value | right.Value;
            }

            return left;
        }

        private bool? And()
        {
            var left = Not();
            while (left is not null && Accept("&&"))
            {
                var right = Not();
                if (right is null) return null;
                left = left.Value & right.Value;
            }

            return left;
        }

        private bool? Not()
        {
            if (Accept("!"))
            {
                var inner = Not();
                return inner is null ? null : !inner.Value;
            }

            if (Accept("("))
            {
                var inner = Or();
                return inner is not null && Accept(")") ? inner : null;
            }

            if (pos < tokens.Count && tokens[pos] is not ("&&" or "||" or ")"))
            {
                return MatchTag(tokens[pos++], context);
            }

            return null;
        }

        private bool Accept(string token)
        {
            if (pos < tokens.Count && tokens[pos] == token)
            {
                pos++;
                return true;
            }

            return false;
        }
    }
}
