using System.Text;
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
        globals.Import("md_fence", new Func<string?, string>(MarkdownFence));
        globals.Import("plural", new Func<int, string, string>((n, word) => n == 1 ? $"{n} {word}" : $"{n} {word}s"));
    }

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
        MarkdownText(text).Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");

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
