using System.Text;
using System.Text.Json;

namespace GoBuildRules.Core.Config;

/// <summary>
/// Edits one member of an object in a JSON-with-comments text by splicing the text, never by
/// re-serialising it: comments (justifications included), trailing commas, key order and
/// indentation stay exactly as the user wrote them.
/// </summary>
public static class JsoncEditor
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Allow, AllowTrailingCommas = true };

    /// <summary>
    /// Sets (or, with a null value, removes) the string member <paramref name="key"/> of the object
    /// at top-level property <paramref name="section"/>, creating the section when needed. Keys
    /// match case-insensitively and keep their spelling.
    /// </summary>
    /// <returns>The new text, or the same instance when nothing changed.</returns>
    /// <exception cref="JsonException">The text is not a JSON object, or the section is not an object.</exception>
    public static string SetMember(string text, string section, string key, string? value)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var root = ReadObject(bytes, 0, depthOfMembers: 1) ?? throw new JsonException("the document is not a JSON object");
        var sectionMember = root.Members.FirstOrDefault(m => m.Name == section);
        if (sectionMember is null)
        {
            if (value is null)
            {
                return text;
            }

            var indent = root.MemberIndent(bytes) ?? "  ";
            var body = $"{{\n{indent}{indent}{Quote(key)}: {Quote(value)}\n{indent}}}";
            return Splice(bytes, AddMember(bytes, root, Quote(section) + ": " + body, indent));
        }

        var packs = ReadObject(bytes, sectionMember.ValueStart, depthOfMembers: 2)
            ?? throw new JsonException($"\"{section}\" is not an object");
        var member = packs.Members.FirstOrDefault(m => string.Equals(m.Name, key, StringComparison.OrdinalIgnoreCase));
        if (value is null)
        {
            return member is null ? text : Splice(bytes, RemoveMember(bytes, packs, member));
        }

        if (member is not null)
        {
            var current = JsonDocument.Parse(bytes.AsMemory(member.ValueStart, member.ValueEnd - member.ValueStart), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            if (current.RootElement.ValueKind == JsonValueKind.String && current.RootElement.GetString() == value)
            {
                return text;
            }

            return Splice(bytes, (member.ValueStart, member.ValueEnd, Quote(value)));
        }

        // Members of an empty section are indented one step (the root's step) beyond its closing brace.
        var memberIndent = packs.MemberIndent(bytes) ?? root.MemberIndent(bytes) ?? "  ";
        return Splice(bytes, AddMember(bytes, packs, Quote(key) + ": " + Quote(value), memberIndent));
    }

    private static string Quote(string s) => JsonSerializer.Serialize(s, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Splice(byte[] bytes, (int Start, int End, string With) edit) =>
        Encoding.UTF8.GetString(bytes, 0, edit.Start) + edit.With + Encoding.UTF8.GetString(bytes, edit.End, bytes.Length - edit.End);

    private sealed record Member(string Name, int NameStart, int ValueStart, int ValueEnd);

    private sealed record JsonObjectSpan(int Open, int Close, IReadOnlyList<Member> Members)
    {
        /// <summary>The whitespace before the first member on its line, when members sit on lines of their own.</summary>
        public string? MemberIndent(byte[] bytes)
        {
            if (Members.Count == 0)
            {
                return null;
            }

            var start = LineStart(bytes, Members[0].NameStart);
            var prefix = Encoding.UTF8.GetString(bytes, start, Members[0].NameStart - start);
            return prefix.All(c => c is ' ' or '\t') && start > Open ? prefix : null;
        }
    }

    /// <summary>The object whose '{' is the first token at or after <paramref name="at"/>, with its direct members.</summary>
    private static JsonObjectSpan? ReadObject(byte[] bytes, int at, int depthOfMembers)
    {
        var reader = new Utf8JsonReader(bytes.AsSpan(at), ReaderOptions);
        if (!Next(ref reader) || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var open = at + (int)reader.TokenStartIndex;
        var members = new List<Member>();
        while (Next(ref reader))
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return new JsonObjectSpan(open, at + (int)reader.TokenStartIndex, members);
            }

            var name = reader.GetString()!;
            var nameStart = at + (int)reader.TokenStartIndex;
            Next(ref reader);
            var valueStart = at + (int)reader.TokenStartIndex;
            reader.Skip();
            members.Add(new Member(name, nameStart, valueStart, at + (int)reader.BytesConsumed));
        }

        throw new JsonException("the object is not closed");
    }

    private static bool Next(ref Utf8JsonReader reader)
    {
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.Comment)
            {
                return true;
            }
        }

        return false;
    }

    private static (int, int, string) AddMember(byte[] bytes, JsonObjectSpan obj, string member, string indent)
    {
        if (obj.Members.Count == 0)
        {
            // Anything inside the empty object (a comment) stays; the member goes on a line of its own before '}'.
            var closeLine = LineStart(bytes, obj.Close);
            var closeIndent = Encoding.UTF8.GetString(bytes, closeLine, obj.Close - closeLine);
            if (closeLine > obj.Open && closeIndent.All(c => c is ' ' or '\t'))
            {
                return (closeLine, closeLine, $"{closeIndent}{indent}{member}\n");
            }

            return (obj.Close, obj.Close, $" {member} ");
        }

        var last = obj.Members[^1];
        var after = last.ValueEnd;
        var hasComma = After(bytes, after, out var commaEnd) == ',';
        var restOfLine = Encoding.UTF8.GetString(bytes, hasComma ? commaEnd : after, LineEnd(bytes, after) - (hasComma ? commaEnd : after)).Trim();
        var ownLines = obj.MemberIndent(bytes) is not null && (restOfLine.Length == 0 || restOfLine.StartsWith("//", StringComparison.Ordinal));
        if (!ownLines)
        {
            return (after, after, $", {member}");
        }

        // After the last member's line (its comment stays with it), with a comma between.
        var lineEnd = LineEnd(bytes, after);
        var comma = hasComma ? "" : ",";
        var tail = Encoding.UTF8.GetString(bytes, after, lineEnd - after);
        return (after, lineEnd, comma + tail + "\n" + indent + member);
    }

    private static (int, int, string) RemoveMember(byte[] bytes, JsonObjectSpan obj, Member member)
    {
        var index = obj.Members.ToList().IndexOf(member);
        var hasComma = After(bytes, member.ValueEnd, out var commaEnd) == ',';
        var lineStart = LineStart(bytes, member.NameStart);
        var before = Encoding.UTF8.GetString(bytes, lineStart, member.NameStart - lineStart);
        var rest = Encoding.UTF8.GetString(bytes, hasComma ? commaEnd : member.ValueEnd, LineEnd(bytes, member.ValueEnd) - (hasComma ? commaEnd : member.ValueEnd)).Trim();
        if (before.All(c => c is ' ' or '\t') && lineStart > obj.Open && (rest.Length == 0 || rest.StartsWith("//", StringComparison.Ordinal)))
        {
            // The member's whole lines go, its end-of-line comment with it. A comma left after the
            // member before is a trailing comma, which the file may have.
            var end = LineEnd(bytes, member.ValueEnd);
            return (lineStart, end < bytes.Length ? end + 1 : end, "");
        }

        if (hasComma)
        {
            var end = commaEnd;
            while (end < bytes.Length && bytes[end] is (byte)' ' or (byte)'\t')
            {
                end++;
            }

            return (member.NameStart, end, "");
        }

        return index > 0 ? (obj.Members[index - 1].ValueEnd, member.ValueEnd, "") : (member.NameStart, member.ValueEnd, "");
    }

    /// <summary>The first non-blank character after <paramref name="at"/> on its line.</summary>
    private static char After(byte[] bytes, int at, out int end)
    {
        var i = at;
        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        end = i + 1;
        return i < bytes.Length ? (char)bytes[i] : '\0';
    }

    private static int LineStart(byte[] bytes, int at)
    {
        var i = at;
        while (i > 0 && bytes[i - 1] != (byte)'\n')
        {
            i--;
        }

        return i;
    }

    private static int LineEnd(byte[] bytes, int at)
    {
        var i = at;
        while (i < bytes.Length && bytes[i] is not ((byte)'\n' or (byte)'\r'))
        {
            i++;
        }

        return i;
    }
}
