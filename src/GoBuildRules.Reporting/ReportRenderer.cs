using System.Reflection;
using System.Text.Json;
using Scriban;
using Scriban.Runtime;

namespace GoBuildRules.Reporting;

public sealed record RenderOptions(bool Color = false);

/// <summary>A template that does not parse or fails while rendering; the message carries its line and column.</summary>
public sealed class TemplateException(string message) : Exception(message);

/// <summary>
/// Renders a report with a Scriban template (an embedded one, or the user's own) or as JSON. A
/// template sees the report model and a few escaping helpers, nothing else: no includes, no
/// environment, no file system.
/// </summary>
public static class ReportRenderer
{
    public static readonly IReadOnlyList<string> TemplateFormats = ["console", "md"];

    public static string Render(Report report, string format, RenderOptions options, string? customTemplate = null, string? templateName = null)
    {
        if (format == "json" && customTemplate is null)
        {
            return ReportJson.Serialize(report);
        }

        var text = customTemplate ?? EmbeddedTemplate(format);
        return RenderTemplate(report, text, templateName ?? $"{format}.scriban", options);
    }

    public static string EmbeddedTemplate(string format)
    {
        using var stream = typeof(ReportRenderer).Assembly.GetManifestResourceStream($"templates/{format}.scriban")
            ?? throw new ArgumentException($"no built-in template for format '{format}'", nameof(format));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string RenderTemplate(Report report, string text, string name, RenderOptions options)
    {
        var template = Template.Parse(text, name);
        if (template.HasErrors)
        {
            throw new TemplateException(string.Join("; ", template.Messages.Select(m => m.ToString())));
        }

        var globals = new ScriptObject();
        globals.Import(report, renamer: StandardMemberRenamer.Default);
        TemplateFunctions.Register(globals, options);

        var context = new TemplateContext
        {
            TemplateLoader = null,
            StrictVariables = true,
            LoopLimit = 1_000_000,
            RecursiveLimit = 64,
            MemberRenamer = StandardMemberRenamer.Default,
            EnableRelaxedMemberAccess = false,
        };
        context.PushGlobal(globals);
        try
        {
            return template.Render(context);
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new TemplateException($"{name}({e.Span.Start.Line + 1},{e.Span.Start.Column + 1}): {e.OriginalMessage}");
        }
    }
}

public static class ReportJson
{
    public static string Serialize(Report report) => JsonSerializer.Serialize(report, GoBuildRules.Sdk.SnapshotJson.Options);

    public static Report Deserialize(string json) =>
        JsonSerializer.Deserialize<Report>(json, GoBuildRules.Sdk.SnapshotJson.Options) ?? throw new JsonException("the report is null");
}
