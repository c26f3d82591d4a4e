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
        globals.Import("time", new Func<string?, string>(ReadableTime));
        globals.Import("by_cause", new Func<ScriptArray?, ScriptArray>(ByCause));
        globals.Import("short", new Func<string?, string>(Shorten));
        globals.Import("md_inline", new Func<string?, string>(MarkdownInline));
        globals.Import("h_inline", new Func<string?, string>(HtmlInline));
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

    /// <summary>An ISO 8601 timestamp as a reader wants it: UTC to the second ("2026-12-01 13:36:31 UTC").</summary>
    internal static string ReadableTime(string? value) =>
        DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " UTC"
            : value ?? "";

    /// <summary>
    /// Findings of one rule and one cause, in report order (nine modules left half-downloaded by one
    /// failed `go mod download`): the same rule, severity, message and fix titles once the subject is
    /// taken out of them; commands are not compared, they spell a subject in other ways (a cache
    /// path). A reader sees one entry that lists the subjects; SARIF and JSON keep each finding.
    /// </summary>
    internal static ScriptArray ByCause(ScriptArray? findings)
    {
        var groups = new List<(string Key, ScriptArray Members)>();
        foreach (var item in findings ?? [])
        {
            if (item is not ScriptObject f)
            {
                continue;
            }

            var subject = f["subject"] as string ?? "";
            string Strip(object? v) => subject.Length == 0 ? Text(v) : Text(v).Replace(subject, "\u0001", StringComparison.Ordinal);
            var fixes = f["fixes"] is ScriptArray xs
                ? string.Join("\u0002", xs.OfType<ScriptObject>().Select(x => Strip(x["title"])))
                : "";
            var key = string.Join("\u0000", Text(f["rule_id"]), Text(f["severity"]), Strip(f["message"]), fixes);
            var group = groups.FindIndex(g => g.Key == key);
            if (group < 0)
            {
                groups.Add((key, new ScriptArray()));
                group = groups.Count - 1;
            }

            groups[group].Members.Add(f);
        }

        var result = new ScriptArray();
        foreach (var (_, members) in groups)
        {
            result.Add(members);
        }

        return result;
    }

    private const int LongValue = 120;

    /// <summary>
    /// A value short enough to read beside its name: a long path list (PATH) keeps its first entries
    /// and says how many follow, other long text is cut. JSON and SARIF keep the whole value.
    /// </summary>
    internal static string Shorten(string? value)
    {
        var text = value ?? "";
        if (text.Length <= LongValue)
        {
            return text;
        }

        foreach (var separator in new[] { ':', ';' })
        {
            var entries = text.Split(separator);
            if (entries.Length >= 4 && entries.All(e => e.Length == 0 || e[0] is '/' or '~' or '.' or '$' || (e.Length > 2 && e[1] == ':' && e[2] == '\\')))
            {
                var kept = new List<string>();
                var length = 0;
                foreach (var entry in entries)
                {
                    if (kept.Count > 0 && length + entry.Length + 1 > LongValue - 30)
                    {
                        break;
                    }

                    kept.Add(entry);
                    length += entry.Length + 1;
                }

                return $"{string.Join(separator, kept)}{separator}… (+{entries.Length - kept.Count} more entries)";
            }
        }

        return $"{text[..(LongValue - 20)]}… ({text.Length} characters)";
    }

    /// <summary>Running Markdown text whose `backticked` parts stay code spans; everything else is escaped.</summary>
    internal static string MarkdownInline(string? text) =>
        Inline(text, MarkdownText, code => MarkdownCode(code));

    /// <summary>HTML text whose `backticked` parts become &lt;code&gt;; everything else is escaped.</summary>
    internal static string HtmlInline(string? text) =>
        Inline(text, Html, code => "<code>" + Html(code) + "</code>");

    private static string Inline(string? text, Func<string, string> plain, Func<string, string> code)
    {
        var value = text ?? "";
        var sb = new StringBuilder(value.Length + 16);
        var at = 0;
        foreach (Match m in CodeSpan().Matches(value))
        {
            sb.Append(plain(value[at..m.Index])).Append(code(m.Groups[1].Value));
            at = m.Index + m.Length;
        }

        return sb.Append(plain(value[at..])).ToString();
    }

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex CodeSpan();

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
