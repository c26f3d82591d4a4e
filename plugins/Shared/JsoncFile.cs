using System.Text;
using System.Text.Json;

namespace GoBuildRules.Rules.Shared;

/// <summary>
/// One value of a JSONC document, flattened: its path from the root (property names, array indexes
/// as decimal text), the 1-based line where it starts (the property name for members), its kind
/// and, for scalars, its text.
/// </summary>
internal sealed record JsoncValue(IReadOnlyList<string> Path, int Line, JsonValueKind Kind, string? Text);

internal sealed record JsoncParse(IReadOnlyList<JsoncValue> Values, int? ErrorLine, string? Error, bool Truncated);

/// <summary>
/// Reads VS Code's settings dialect (JSON with comments and trailing commas) the way VS Code
/// accepts it, keeping the line of every setting so that findings can point at it. On a syntax
/// error the values read before it are kept, as VS Code keeps what it could parse.
/// </summary>
internal static class JsoncFile
{
    public const int MaxValues = 20_000;

    public static JsoncParse Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.StartsWith("\xEF\xBB\xBF"u8))
        {
            utf8 = utf8[3..];
        }

        var lineStarts = LineStarts(utf8);
        var values = new List<JsoncValue>();
        var path = new List<string>();
        // For each open container: is it an array, and the next index when it is.
        var containers = new Stack<(bool IsArray, int Next)>();
        string? pendingName = null;
        var pendingLine = 0;
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            MaxDepth = 64,
        });

        try
        {
            while (reader.Read())
            {
                if (values.Count >= MaxValues)
                {
                    return new JsoncParse(values, null, null, true);
                }

                var line = LineOf(lineStarts, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        pendingName = reader.GetString() ?? "";
                        pendingLine = line;
                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                    {
                        var (segment, at) = NextSegment(containers, ref pendingName, pendingLine, line);
                        if (segment is not null)
                        {
                            path.Add(segment);
                        }

                        var kind = reader.TokenType == JsonTokenType.StartObject ? JsonValueKind.Object : JsonValueKind.Array;
                        if (containers.Count > 0 || segment is not null)
                        {
                            values.Add(new JsoncValue(path.ToArray(), at, kind, null));
                        }

                        containers.Push((kind == JsonValueKind.Array, 0));
                        continue;
                    }
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        containers.Pop();
                        if (path.Count > 0 && containers.Count > 0)
                        {
                            path.RemoveAt(path.Count - 1);
                        }

                        continue;
                    default:
                    {
                        var (segment, at) = NextSegment(containers, ref pendingName, pendingLine, line);
                        var (kind, text) = Scalar(ref reader);
                        values.Add(new JsoncValue(segment is null ? path.ToArray() : [.. path, segment], at, kind, text));
                        continue;
                    }
                }
            }
        }
        catch (JsonException e)
        {
            return new JsoncParse(values, (int)(e.LineNumber ?? 0) + 1, e.Message.Split(" LineNumber:")[0], false);
        }

        return new JsoncParse(values, null, null, false);
    }

    private static (string? Segment, int Line) NextSegment(Stack<(bool IsArray, int Next)> containers, ref string? pendingName, int pendingLine, int line)
    {
        if (containers.Count == 0)
        {
            return (null, line);
        }

        var (isArray, next) = containers.Pop();
        if (isArray)
        {
            containers.Push((true, next + 1));
            return (next.ToString(System.Globalization.CultureInfo.InvariantCulture), line);
        }

        containers.Push((false, next));
        var name = pendingName ?? "";
        pendingName = null;
        return (name, pendingLine);
    }

    private static (JsonValueKind, string?) Scalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => (JsonValueKind.String, reader.GetString()),
        JsonTokenType.Number => (JsonValueKind.Number, Encoding.UTF8.GetString(reader.ValueSpan)),
        JsonTokenType.True => (JsonValueKind.True, "true"),
        JsonTokenType.False => (JsonValueKind.False, "false"),
        _ => (JsonValueKind.Null, null),
    };

    private static List<long> LineStarts(ReadOnlySpan<byte> utf8)
    {
        var starts = new List<long> { 0 };
        for (var i = 0; i < utf8.Length; i++)
        {
            if (utf8[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts;
    }

    private static int LineOf(List<long> lineStarts, long offset)
    {
        var i = lineStarts.BinarySearch(offset);
        return (i >= 0 ? i : ~i - 1) + 1;
    }
}
