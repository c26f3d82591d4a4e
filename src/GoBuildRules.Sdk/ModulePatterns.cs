namespace GoBuildRules.Sdk;

/// <summary>
/// GOPRIVATE / GONOPROXY / GONOSUMDB / GOINSECURE / GOVCS matching, ported from go 1.19's vendored
/// golang.org/x/mod/module.MatchPrefixPatterns: a comma list of path.Match globs (no spaces
/// trimmed, one trailing slash dropped, empty and malformed globs ignored), each matched against as
/// many leading path elements of the module path as the glob has.
/// </summary>
public static class ModulePatterns
{
    /// <summary>The globs Go considers, in order: one trailing slash dropped, empty ones skipped.</summary>
    public static IReadOnlyList<string> Split(string? globs) =>
        (globs ?? "").Split(',').Select(g => g.EndsWith('/') ? g[..^1] : g).Where(g => g.Length > 0).ToList();

    public static bool Matches(string? globs, string target) => FirstMatch(globs, target) is not null;

    /// <summary>The first glob of the list that matches the target, or null.</summary>
    public static string? FirstMatch(string? globs, string target)
    {
        foreach (var glob in Split(globs))
        {
            var n = glob.Count(c => c == '/');
            var prefix = target;
            for (var i = 0; i < target.Length; i++)
            {
                if (target[i] == '/')
                {
                    if (n == 0)
                    {
                        prefix = target[..i];
                        break;
                    }

                    n--;
                }
            }

            if (n > 0)
            {
                continue;
            }

            if (PathMatch(glob, prefix))
            {
                return glob;
            }
        }

        return null;
    }

    /// <summary>Go's path.Match: '*' and '?' never cross '/', classes [a-z] and [^x], '\\' escapes. A malformed glob matches nothing.</summary>
    public static bool PathMatch(string pattern, string name)
    {
        try
        {
            return Match(pattern, 0, name, 0);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool Match(string p, int pi, string s, int si)
    {
        while (pi < p.Length)
        {
            var c = p[pi];
            if (c == '*')
            {
                // Collapse runs of stars, then try every split that stays within one path element.
                while (pi < p.Length && p[pi] == '*') pi++;
                if (pi == p.Length)
                {
                    return s.IndexOf('/', si) < 0;
                }

                for (var k = si; k <= s.Length; k++)
                {
                    if (Match(p, pi, s, k))
                    {
                        return true;
                    }

                    if (k < s.Length && s[k] == '/')
                    {
                        break;
                    }
                }

                return false;
            }

            if (si >= s.Length)
            {
                return false;
            }

            if (c == '?')
            {
                if (s[si] == '/') return false;
                pi++;
                si++;
                continue;
            }

            if (c == '[')
            {
                var (matched, next) = MatchClass(p, pi + 1, s[si]);
                if (!matched) return false;
                pi = next;
                si++;
                continue;
            }

            if (c == '\\')
            {
                pi++;
                if (pi >= p.Length) throw new FormatException("trailing backslash");
                c = p[pi];
            }

            if (c != s[si]) return false;
            pi++;
            si++;
        }

        return si == s.Length;
    }

    private static (bool Matched, int Next) MatchClass(string p, int i, char ch)
    {
        if (ch == '/') return (false, i);
        var negated = i < p.Length && p[i] == '^';
        if (negated) i++;
        var matched = false;
        var first = true;
        while (true)
        {
            if (i >= p.Length) throw new FormatException("unterminated class");
            if (p[i] == ']' && !first) return (matched != negated, i + 1);
            first = false;
            var lo = ReadClassChar(p, ref i);
            var hi = lo;
            if (i < p.Length && p[i] == '-')
            {
                i++;
                hi = ReadClassChar(p, ref i);
            }

            if (lo <= ch && ch <= hi) matched = true;
        }
    }

    private static char ReadClassChar(string p, ref int i)
    {
        if (i >= p.Length || p[i] == '-' || p[i] == ']') throw new FormatException("bad class");
        if (p[i] == '\\')
        {
            i++;
            if (i >= p.Length) throw new FormatException("bad escape");
        }

        return p[i++];
    }
}
