using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Scriban.Runtime;

namespace GoBuildRules.Reporting;

/// <summary>
/// What a template sees: the report's JSON model (docs/report-json.md) as plain Scriban objects,
/// arrays, strings, numbers and booleans, with snake_case names. Going through JSON means no .NET
/// object, method or type ever reaches a template, custom ones included.
/// </summary>
internal static class TemplateModel
{
    private static readonly JsonSerializerOptions WithNulls = new(GoBuildRules.Sdk.SnapshotJson.Options)
    {
        // Keep null members so that `if f.location` works under StrictVariables.
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The model's JSON contract, every type the report reaches, resolved before there is a report (see JsonContracts).</summary>
    public static void ResolveContract() => GoBuildRules.Core.IO.JsonContracts.Resolve(WithNulls, typeof(Report));

    /// <param name="terminal">
    /// For output that goes to a terminal: control characters in values (an ESC in an environment
    /// value could recolour or rewrite the screen) are shown as visible escapes instead.
    /// </param>
    public static ScriptObject From(Report report, bool terminal = false)
    {
        var element = JsonSerializer.SerializeToElement(report, WithNulls);
        return (ScriptObject)Convert(element, terminal)!;
    }

    private static object? Convert(JsonElement e, bool terminal) => e.ValueKind switch
    {
        JsonValueKind.Object => ToObject(e, terminal),
        JsonValueKind.Array => ToArray(e, terminal),
        JsonValueKind.String => terminal ? TerminalSafe(e.GetString()!) : e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static ScriptObject ToObject(JsonElement e, bool terminal)
    {
        var o = new ScriptObject();
        foreach (var p in e.EnumerateObject())
        {
            o.SetValue(SnakeCase(p.Name), Convert(p.Value, terminal), readOnly: false);
        }

        return o;
    }

    private static ScriptArray ToArray(JsonElement e, bool terminal)
    {
        var a = new ScriptArray();
        foreach (var item in e.EnumerateArray())
        {
            a.Add(Convert(item, terminal));
        }

        return a;
    }

    internal static string TerminalSafe(string text)
    {
        if (!text.Any(IsUnsafe))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            sb.Append(IsUnsafe(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }

        return sb.ToString();
    }

    private static bool IsUnsafe(char c) => c is not ('\n' or '\t') && (char.IsControl(c) || c is '\u200e' or '\u200f' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069'));

    /// <summary>ruleId → rule_id, goModFile → go_mod_file (as Scriban names .NET members).</summary>
    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && !char.IsUpper(name[i - 1]))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
