namespace GoBuildRules.Rules.CloudEnv;

/// <summary>GOPRIVATE / GONOPROXY / GONOSUMDB matching, as cmd/go's module.MatchPrefixPatterns does it.</summary>
internal static class ModulePatterns
{
    public static IReadOnlyList<string> Split(string? patterns) =>
        (patterns ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when some pattern matches a leading run of the path's elements (each element a glob).</summary>
    public static bool Matches(string? patterns, string modulePath)
    {
        foreach (var pattern in Split(patterns))
        {
            var pe = pattern.Trim('/').Split('/');
            var me = modulePath.Split('/');
            if (pe.Length > me.Length)
            {
                continue;
            }

            var ok = true;
            for (var i = 0; i < pe.Length && ok; i++)
            {
                ok = Glob(pe[i], me[i]);
            }

            if (ok)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The host part of a pattern or module path ("*.corp.example.com/x" gives "*.corp.example.com").</summary>
    public static string Host(string pathOrPattern) => pathOrPattern.Split('/')[0];

    /// <summary>path.Match for one element: * ? and [ranges], no separators inside an element.</summary>
    public static bool Glob(string pattern, string text)
    {
        int p = 0, t = 0, starP = -1, starT = -1;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                starP = p++;
                starT = t;
            }
            else if (p < pattern.Length && (pattern[p] == '?' || (pattern[p] == '[' ? ClassMatch(pattern, ref p, text[t]) : pattern[p] == text[t])))
            {
                p++;
                t++;
            }
            else if (starP >= 0)
            {
                p = starP + 1;
                t = ++starT;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    // Advances p to the closing ']' of a [class] when it matches c.
    private static bool ClassMatch(string pattern, ref int p, char c)
    {
        var end = pattern.IndexOf(']', p + 1);
        if (end < 0)
        {
            return pattern[p] == c;
        }

        var body = pattern[(p + 1)..end];
        var negate = body.StartsWith('^');
        if (negate) body = body[1..];
        var hit = false;
        for (var i = 0; i < body.Length; i++)
        {
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                hit |= c >= body[i] && c <= body[i + 2];
                i += 2;
            }
            else
            {
                hit |= body[i] == c;
            }
        }

        if (hit != negate)
        {
            p = end;
            return true;
        }

        return false;
    }
}
