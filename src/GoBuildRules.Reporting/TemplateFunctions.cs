using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Scriban.Runtime;

namespace GoBuildRules.Reporting;

/// <summary>The helpers templates may call: escaping per format and terminal colour.</summary>
internal static partial class TemplateFunctions
{
    public static void Register(ScriptObject globals, RenderOptions options)
    {
        globals.Import("color", new Func<string, string, string>((text, name) => options.Color ? Colorize(text, name) : text));
        globals.Import("md_cell", new Func<string?, string>(MarkdownCell));
        globals.Import("md_text", new Func<string?, string>(MarkdownText));
        globals.Import("md_code", new Func<string?, string>(MarkdownCode));
        globals.Import("md_code_cell", new Func<string?, string>(MarkdownCodeCell));
        globals.Import("md_fence", new Func<string?, string>(MarkdownFence));
        globals.Import("plural", new Func<long, string, string>((n, word) => n == 1 ? $"{n} {word}" : $"{n} {word}s"));
        globals.Import("h", new Func<object?, string>(v => Html(Text(v))));
        globals.Import("json", new Func<object?, string>(JsonLiteral));
        globals.Import("uri_path", new Func<string?, string>(UriPath));
        globals.Import("csp_hash", new Func<string?, string>(CspHash));
        globals.Import("safe_url", new Func<string?, string>(SafeUrl));
        globals.Import("pascal", new Func<string?, string>(s => ReportBuilder.PascalName(s ?? "", "")));
    }

    private static string Text(object? v) => v switch
    {
        null => "",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    /// <summary>Text for HTML element content and quoted attribute values.</summary>
    internal static string Html(string text) => WebUtility.HtmlEncode(text).Replace("'", "&#39;").Replace("`", "&#96;");

    /// <summary>A complete JSON literal (quotes included) for a string, number, boolean or null.</summary>
    internal static string JsonLiteral(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int or double => Text(value),
        _ => JsonSerializer.Serialize(Text(value), JsonEscaping),
    };

    private static readonly JsonSerializerOptions JsonEscaping = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };

    /// <summary>A repository-relative path as a URI reference: each segment percent-encoded, slashes kept.</summary>
    internal static string UriPath(string? path) =>
        string.Join('/', (path ?? "").Replace('\\', '/').Split('/').Select(Uri.EscapeDataString));

    /// <summary>Only http(s) links reach a report; anything else (javascript:, data:) becomes "#".</summary>
    internal static string SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp) ? u.AbsoluteUri : "#";

    /// <summary>The CSP source expression ('sha256-…') that allows exactly this inline script or style.</summary>
    internal static string CspHash(string? text) =>
        "'sha256-" + System.Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? ""))) + "'";

    private static string Colorize(string text, string name)
    {
        var code = name switch
        {
            "red" => "31",
            "yellow" => "33",
            "green" => "32",
            "cyan" => "36",
            "bold" => "1",
            "dim" => "2",
            _ => null,
        };
        return code is null ? text : $"\u001b[{code}m{text}\u001b[0m";
    }

    /// <summary>Text inside a table cell: pipes escaped, line breaks flattened, inline markup neutralised.</summary>
    internal static string MarkdownCell(string? text) =>
        MarkdownText(text).Replace("\r", "").Replace("\n", "<br>");

    /// <summary>Running text: characters that start markup or HTML are escaped.</summary>
    internal static string MarkdownText(string? text) =>
        MarkdownSpecial().Replace(text ?? "", m => "\\" + m.Value).Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A code span that holds any text, backticks included (CommonMark: a longer fence and padding).</summary>
    internal static string MarkdownCode(string? text)
    {
        var value = (text ?? "").Replace("\r", "").Replace("\n", " ");
        var fence = new string('`', LongestRun(value, '`') + 1);
        var pad = value.StartsWith('`') || value.EndsWith('`') || value.Length == 0 ? " " : "";
        return fence + pad + value + pad + fence;
    }

    /// <summary>A code span inside a table cell: GFM splits cells at every unescaped pipe, code spans included.</summary>
    internal static string MarkdownCodeCell(string? text) => MarkdownCode(text).Replace("|", "\\|");

    /// <summary>A fenced code block that no line of the text can close early.</summary>
    internal static string MarkdownFence(string? text)
    {
        var value = (text ?? "").Replace("\r", "");
        var fence = new string('`', Math.Max(3, LongestRun(value, '`') + 1));
        return new StringBuilder().Append(fence).Append("shell\n").Append(value).Append('\n').Append(fence).ToString();
    }

    private static int LongestRun(string text, char c)
    {
        int best = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            best = Math.Max(best, run);
        }

        return best;
    }

    [GeneratedRegex(@"[\\`*_{}\[\]#+!|~]")]
    private static partial Regex MarkdownSpecial();
}
