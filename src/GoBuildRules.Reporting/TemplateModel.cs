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

    public static ScriptObject From(Report report)
    {
        var element = JsonSerializer.SerializeToElement(report, WithNulls);
        return (ScriptObject)Convert(element)!;
    }

    private static object? Convert(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ToObject(e),
        JsonValueKind.Array => ToArray(e),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private static ScriptObject ToObject(JsonElement e)
    {
        var o = new ScriptObject();
        foreach (var p in e.EnumerateObject())
        {
            o.SetValue(SnakeCase(p.Name), Convert(p.Value), readOnly: false);
        }

        return o;
    }

    private static ScriptArray ToArray(JsonElement e)
    {
        var a = new ScriptArray();
        foreach (var item in e.EnumerateArray())
        {
            a.Add(Convert(item));
        }

        return a;
    }

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
