using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scriban;
using Scriban.Functions;
using Scriban.Runtime;

namespace GoBuildRules.Reporting;

/// <param name="TimeBudget">How long one render may take before it is stopped (a template that loops on huge strings).</param>
/// <param name="MaxChars">The most one report may hold; more is an error, never a silent cut.</param>
public sealed record RenderOptions(bool Color = false)
{
    public static readonly TimeSpan DefaultTimeBudget = TimeSpan.FromSeconds(20);

    public const int DefaultMaxChars = 64 * 1024 * 1024;

    public TimeSpan TimeBudget { get; init; } = DefaultTimeBudget;

    public int MaxChars { get; init; } = DefaultMaxChars;

    /// <summary>Cancels the render (a signal); the time budget applies on top.</summary>
    public CancellationToken Cancellation { get; init; }
}

/// <summary>
/// A template that does not parse or fails while rendering, or an output that is not what its
/// format promises; the message is one line and names the template's line and column.
/// </summary>
public sealed class TemplateException(string message) : Exception(message);

/// <summary>
/// Renders a report with a Scriban template (an embedded one, or the user's own) or as JSON. A
/// template sees the report model and a few escaping helpers, nothing else: no includes, no
/// environment, no clock, no file system, no .NET objects.
/// </summary>
public static class ReportRenderer
{
    /// <summary>Formats with a built-in template; json is System.Text.Json of the model.</summary>
    public static readonly IReadOnlyList<string> BuiltInFormats = ["console", "md", "html", "sarif", "json", "codequality"];

    public static readonly IReadOnlyList<string> TemplateFormats = ["console", "md", "html", "sarif", "codequality"];

    public static string Render(Report report, string format, RenderOptions options, string? customTemplate = null, string? templateName = null) =>
        Render(report, Prepare(format, customTemplate, templateName), options);

    /// <summary>
    /// What a render needs before there is a report: the template parsed and Scriban's built-ins made.
    /// A scan prepares its formats while it collects (tens of milliseconds of a scan otherwise spent after it).
    /// </summary>
    /// <exception cref="TemplateException">No such built-in format, or the template does not parse.</exception>
    public static PreparedTemplate Prepare(string format, string? customTemplate = null, string? templateName = null)
    {
        if (customTemplate is null && !BuiltInFormats.Contains(format))
        {
            throw new TemplateException($"no built-in template for format '{format}' (built in: {string.Join(", ", BuiltInFormats)}); give one with --template");
        }

        if (format == "json" && customTemplate is null)
        {
            return new PreparedTemplate(format, "json", null, null);
        }

        TemplateModel.ResolveContract();
        var name = templateName ?? $"{format}.scriban";
        var template = Template.Parse(customTemplate ?? EmbeddedTemplate(format), name);
        if (template.HasErrors)
        {
            var first = template.Messages.First();
            throw new TemplateException($"{name}({first.Span.Start.Line + 1},{first.Span.Start.Column + 1}): {first.Message}");
        }

        return new PreparedTemplate(format, name, template, SafeBuiltins());
    }

    /// <summary>Renders with a template from <see cref="Prepare"/>; each prepared template renders once (its built-ins are the render's own).</summary>
    public static string Render(Report report, PreparedTemplate prepared, RenderOptions options)
    {
        if (prepared.Template is null || prepared.Builtins is null)
        {
            return ReportJson.Serialize(report) + "\n";
        }

        var output = RenderTemplate(report, prepared.Template, prepared.Builtins, prepared.Name, options, terminal: prepared.Format == "console");
        return prepared.Format switch
        {
            "sarif" => SarifCheck.Normalise(output, prepared.Name),
            "json" or "codequality" => CheckJson(output, prepared.Name),
            _ => output,
        };
    }

    public static string EmbeddedTemplate(string format)
    {
        using var stream = typeof(ReportRenderer).Assembly.GetManifestResourceStream($"templates/{format}.scriban")
            ?? throw new TemplateException($"no built-in template for format '{format}'");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string RenderTemplate(Report report, Template template, BuiltinFunctions builtins, string name, RenderOptions options, bool terminal)
    {
        var globals = TemplateModel.From(report, terminal);
        TemplateFunctions.Register(globals, options);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(options.Cancellation);
        deadline.CancelAfter(options.TimeBudget);
        var sink = new CappedWriter(options.MaxChars, name);
        var context = new TemplateContext(builtins)
        {
            CancellationToken = deadline.Token,
            TemplateLoader = null,
            StrictVariables = true,
            LoopLimit = 1_000_000,
            RecursiveLimit = 64,
            // Scriban would cut a long string with "..." without a word; the output cap below says so instead.
            LimitToString = 0,
            RegexTimeOut = TimeSpan.FromSeconds(1),
            EnableRelaxedMemberAccess = false,
            // The model holds only Scriban objects (see TemplateModel); this keeps it so if a
            // .NET object ever slips in.
            MemberFilter = _ => false,
        };
        context.PushGlobal(globals);
        context.PushOutput(new TextWriterOutput(sink));
        try
        {
            template.Render(context);
            return sink.ToString();
        }
        catch (Exception) when (options.Cancellation.IsCancellationRequested)
        {
            throw new OperationCanceledException(options.Cancellation);
        }
        catch (Exception) when (deadline.IsCancellationRequested)
        {
            throw new TemplateException($"{name}: rendering took longer than {options.TimeBudget.TotalSeconds:0.##} s and was stopped (a loop over large strings?)");
        }
        catch (Exception e) when (e is not TemplateException && e.InnerException is TemplateException inner)
        {
            throw inner;
        }
        catch (Scriban.Syntax.ScriptRuntimeException e)
        {
            throw new TemplateException($"{name}({e.Span.Start.Line + 1},{e.Span.Start.Column + 1}): {e.OriginalMessage}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            throw new TemplateException($"{name}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>Collects a render's output and stops it, with a message naming the cap, when it grows past the budget.</summary>
    private sealed class CappedWriter(int maxChars, string name) : StringWriter
    {
        public override void Write(char value)
        {
            Check(1);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Check(value?.Length ?? 0);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Check(count);
            base.Write(buffer, index, count);
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        private void Check(int more)
        {
            if ((long)GetStringBuilder().Length + more > maxChars)
            {
                throw new TemplateException($"{name}: the output is larger than {maxChars / (1024 * 1024)} MB, the most one report may hold; nothing was written (write fewer findings, e.g. --format json=FILE, or a smaller template)");
            }
        }
    }

    /// <summary>Scriban's built-ins minus what reaches outside the model: includes and the clock.</summary>
    private static BuiltinFunctions SafeBuiltins()
    {
        var builtins = new BuiltinFunctions();
        builtins.Remove("include");
        builtins.Remove("include_join");
        if (builtins["date"] is ScriptObject date)
        {
            date.Remove("now");
            date.Remove("utc_now");
        }

        return builtins;
    }

    private static string CheckJson(string output, string name)
    {
        try
        {
            using var _ = JsonDocument.Parse(output);
            return output;
        }
        catch (JsonException e)
        {
            throw new TemplateException($"{name}: the output is not valid JSON (line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}): {e.Message.Split(" LineNumber")[0]}");
        }
    }
}

/// <summary>A format's parsed template and the built-ins its one render uses; both null for the built-in json format.</summary>
public sealed record PreparedTemplate(string Format, string Name, Template? Template, BuiltinFunctions? Builtins);

public static class ReportJson
{
    public static string Serialize(Report report) => JsonSerializer.Serialize(report, GoBuildRules.Sdk.SnapshotJson.Options);

    /// <exception cref="FormatException">The text is not a report this version can read.</exception>
    public static Report Deserialize(string json)
    {
        Report? report;
        try
        {
            using (var doc = JsonDocument.Parse(json))
            {
                // A snapshot or any other JSON would otherwise read as an empty report.
                if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("tool", out _) || !doc.RootElement.TryGetProperty("findings", out _))
                {
                    throw new FormatException("not a valid gobuildrules JSON report: it has no tool and findings (a snapshot is replayed with `scan --from`)");
                }
            }

            report = JsonSerializer.Deserialize<Report>(json, GoBuildRules.Sdk.SnapshotJson.Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            throw new FormatException($"not a valid gobuildrules JSON report{where}: {e.Message.Split(" Path:")[0]}", e);
        }

        if (report is null)
        {
            throw new FormatException("not a valid gobuildrules JSON report: the document is null");
        }

        if (report.SchemaVersion != Report.CurrentSchemaVersion)
        {
            throw new FormatException($"report schema version {report.SchemaVersion} is not supported (this tool reads version {Report.CurrentSchemaVersion})");
        }

        return report;
    }

    internal static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    internal static string Write(JsonNode node) => node.ToJsonString(Indented);
}
