using System.Text;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>
/// The subset of TOML that watcher configs (.air.toml) use: [tables], dotted and quoted keys, basic
/// and literal strings, multi-line arrays of strings, booleans and numbers, # comments. Each key is
/// kept with its table ("build.exclude_dir") and the line it starts on. Anything else is recorded as
/// a problem and skipped, never guessed.
/// </summary>
internal static class TomlLite
{
    public static TomlConfig Parse(string file, string text)
    {
        var entries = new List<TomlEntry>();
        var problems = new List<SourceLine>();
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var table = "";
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = StripComment(lines[i]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('['))
            {
                var inner = line.TrimStart('[').TrimEnd(']').Trim();
                table = string.Join('.', SplitKey(inner));
                continue;
            }

            var eq = IndexOutsideQuotes(line, '=');
            if (eq <= 0)
            {
                problems.Add(new SourceLine(file, lineNo, "not a key = value line"));
                continue;
            }

            var key = string.Join('.', SplitKey(line[..eq].Trim()));
            var value = line[(eq + 1)..].Trim();
            // A multi-line array continues until its brackets balance outside strings.
            var startLine = lineNo;
            while (value.StartsWith('[') && !Balanced(value) && i + 1 < lines.Length)
            {
                i++;
                value += " " + StripComment(lines[i]).Trim();
            }

            var fullKey = table.Length == 0 ? key : table + "." + key;
            var entry = ParseValue(fullKey, startLine, value);
            if (entry is null)
            {
                problems.Add(new SourceLine(file, startLine, $"cannot read the value of {fullKey}"));
            }
            else
            {
                entries.Add(entry);
            }
        }

        return new TomlConfig(file) { Entries = entries, Problems = problems };
    }

    private static TomlEntry? ParseValue(string key, int line, string value)
    {
        if (value.StartsWith('['))
        {
            var items = new List<string>();
            var pos = 1;
            while (pos < value.Length)
            {
                var c = value[pos];
                if (c is '"' or '\'')
                {
                    var s = ReadString(value, ref pos);
                    if (s is null) return null;
                    items.Add(s);
                    continue;
                }

                if (c == ']')
                {
                    return new TomlEntry(key, line, "array", items);
                }

                if (!(char.IsWhiteSpace(c) || c == ','))
                {
                    // Non-string items (numbers, booleans) are kept as text.
                    var end = value.IndexOfAny([',', ']'], pos);
                    if (end < 0) return null;
                    items.Add(value[pos..end].Trim());
                    pos = end;
                    continue;
                }

                pos++;
            }

            return null;
        }

        if (value.StartsWith('"') || value.StartsWith('\''))
        {
            var pos = 0;
            var s = ReadString(value, ref pos);
            return s is null ? null : new TomlEntry(key, line, "string", [s]);
        }

        if (value is "true" or "false")
        {
            return new TomlEntry(key, line, "bool", [value]);
        }

        if (value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] is '-' or '+'))
        {
            return new TomlEntry(key, line, "number", [value]);
        }

        return value.Length > 0 ? new TomlEntry(key, line, "other", [value]) : null;
    }

    /// <summary>Reads a basic ("…", with escapes) or literal ('…') string starting at pos; pos ends after it.</summary>
    private static string? ReadString(string s, ref int pos)
    {
        var quote = s[pos];
        var sb = new StringBuilder();
        pos++;
        while (pos < s.Length)
        {
            var c = s[pos++];
            if (c == quote)
            {
                return sb.ToString();
            }

            if (c == '\\' && quote == '"' && pos < s.Length)
            {
                var e = s[pos++];
                sb.Append(e switch { 'n' => '\n', 't' => '\t', 'r' => '\r', '\\' => '\\', '"' => '"', _ => e });
                continue;
            }

            sb.Append(c);
        }

        return null;
    }

    private static IEnumerable<string> SplitKey(string key)
    {
        var parts = new List<string>();
        var pos = 0;
        var current = new StringBuilder();
        while (pos < key.Length)
        {
            var c = key[pos];
            if (c is '"' or '\'')
            {
                current.Append(ReadString(key, ref pos) ?? "");
                continue;
            }

            if (c == '.')
            {
                parts.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }

            pos++;
        }

        parts.Add(current.ToString().Trim());
        return parts;
    }

    private static string StripComment(string line)
    {
        var hash = IndexOutsideQuotes(line, '#');
        return hash < 0 ? line : line[..hash];
    }

    private static int IndexOutsideQuotes(string s, char wanted)
    {
        char? quote = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote is not null)
            {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) quote = null;
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == wanted)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Balanced(string s)
    {
        var depth = 0;
        char? quote = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (quote is not null)
            {
                if (c == '\\' && quote == '"') i++;
                else if (c == quote) quote = null;
            }
            else if (c is '"' or '\'') quote = c;
            else if (c == '[') depth++;
            else if (c == ']') depth--;
        }

        return depth <= 0;
    }
}
