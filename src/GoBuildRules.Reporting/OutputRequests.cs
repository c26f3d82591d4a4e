using System.Text.RegularExpressions;

namespace GoBuildRules.Reporting;

/// <summary>One report to write: a format, where to (null: standard output) and an optional custom template file.</summary>
public sealed record OutputRequest(string Format, string? File, string? TemplateFile);

/// <summary>
/// Reads the report options of `scan` and `convert`: `--format FMT[=FILE]` (repeatable),
/// `--output FILE` (for a single format without its own file) and `--template [FMT=]FILE`.
/// </summary>
public static partial class OutputRequests
{
    /// <exception cref="ArgumentException">The options contradict each other; the message is for the user.</exception>
    public static IReadOnlyList<OutputRequest> Parse(IReadOnlyList<string> formats, string? output, IReadOnlyList<string> templates)
    {
        var specs = (formats.Count == 0 ? ["console"] : formats).Select(SplitFormat).ToList();
        var duplicate = specs.GroupBy(s => s.Format).FirstOrDefault(g => g.Count() > 1 && g.Select(s => s.File).Distinct().Count() < g.Count());
        if (duplicate is not null)
        {
            throw new ArgumentException($"--format {duplicate.Key} is given twice for the same destination");
        }

        if (output is not null)
        {
            var toStdout = specs.Where(s => s.File is null).ToList();
            if (toStdout.Count != 1)
            {
                throw new ArgumentException("--output needs exactly one --format without its own file; write --format FMT=FILE for each format instead");
            }

            var i = specs.IndexOf(toStdout[0]);
            specs[i] = specs[i] with { File = output };
        }

        if (specs.Count(s => s.File is null) > 1)
        {
            throw new ArgumentException("only one --format can go to standard output; give the others a file: --format FMT=FILE");
        }

        var templateFor = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in templates)
        {
            var (format, file) = SplitTemplate(t);
            if (format is null)
            {
                if (specs.Select(s => s.Format).Distinct().Count() != 1)
                {
                    throw new ArgumentException($"--template {t}: several formats are asked for; say which one it renders: --template FMT={t}");
                }

                format = specs[0].Format;
            }

            if (!specs.Any(s => s.Format == format))
            {
                throw new ArgumentException($"--template {t} is for format {format}, which no --format asks for");
            }

            if (!templateFor.TryAdd(format, file))
            {
                throw new ArgumentException($"--template is given twice for format {format}");
            }
        }

        var requests = specs.Select(s => new OutputRequest(s.Format, s.File, templateFor.GetValueOrDefault(s.Format))).ToList();
        var unknown = requests.FirstOrDefault(r => r.TemplateFile is null && !ReportRenderer.BuiltInFormats.Contains(r.Format));
        if (unknown is not null)
        {
            throw new ArgumentException($"--format {unknown.Format} is not one of {string.Join(", ", ReportRenderer.BuiltInFormats)} (another name needs --template {unknown.Format}=FILE)");
        }

        return requests;
    }

    private static (string Format, string? File) SplitFormat(string spec)
    {
        var eq = spec.IndexOf('=');
        var format = (eq < 0 ? spec : spec[..eq]).Trim().ToLowerInvariant();
        var file = eq < 0 ? null : spec[(eq + 1)..];
        if (!FormatName().IsMatch(format))
        {
            throw new ArgumentException($"--format {spec}: the format must be a name such as md or sarif, optionally followed by =FILE");
        }

        if (file is not null && file.Length == 0)
        {
            throw new ArgumentException($"--format {spec}: the file after '=' is empty");
        }

        return (format, file == "-" ? null : file);
    }

    private static (string? Format, string File) SplitTemplate(string spec)
    {
        var eq = spec.IndexOf('=');
        if (eq > 0 && FormatName().IsMatch(spec[..eq]))
        {
            return (spec[..eq].ToLowerInvariant(), spec[(eq + 1)..]);
        }

        return (null, spec);
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,31}$", RegexOptions.IgnoreCase)]
    private static partial Regex FormatName();
}
