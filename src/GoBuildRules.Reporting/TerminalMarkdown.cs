using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace GoBuildRules.Reporting;

/// <summary>
/// A rule page (Markdown) as a terminal shows it: headings and emphasis in bold, code in colour,
/// code blocks indented, lists with bullets, tables aligned. Without colour (NO_COLOR, a pipe) the
/// same layout in plain text, with no markup characters and no escape sequences.
/// </summary>
public static class TerminalMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().Build();

    public static string Render(string markdown, bool color)
    {
        var writer = new Writer(color);
        writer.Blocks(Markdown.Parse(markdown.Replace("\r", ""), Pipeline), "");
        return writer.ToString();
    }

    private sealed class Writer(bool color)
    {
        private readonly StringBuilder sb = new();

        public override string ToString() => sb.ToString().TrimEnd('\n') + "\n";

        private string Style(string text, string code) =>
            color && text.Length > 0 ? $"\u001b[{code}m{text}\u001b[0m" : text;

        private void BlankLine()
        {
            if (sb.Length > 0 && !sb.ToString().EndsWith("\n\n", StringComparison.Ordinal))
            {
                sb.Append('\n');
            }
        }

        public void Blocks(ContainerBlock container, string indent)
        {
            foreach (var block in container)
            {
                Block(block, indent);
            }
        }

        private void Block(Block block, string indent)
        {
            switch (block)
            {
                case HeadingBlock h:
                    BlankLine();
                    var title = Inlines(h.Inline, indent);
                    sb.Append(indent).Append(Style(title, h.Level <= 2 ? "1;4" : "1")).Append("\n\n");
                    break;
                case ParagraphBlock p:
                    sb.Append(indent).Append(Inlines(p.Inline, indent)).Append("\n\n");
                    break;
                case FencedCodeBlock or CodeBlock:
                    var lines = ((LeafBlock)block).Lines.ToString().Replace("\r", "").TrimEnd('\n').Split('\n');
                    foreach (var line in lines)
                    {
                        sb.Append(indent).Append("    ").Append(Style(line, "36")).Append('\n');
                    }

                    sb.Append('\n');
                    break;
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        var bullet = list.IsOrdered ? $"{number++}. " : "- ";
                        var inner = new Writer(color);
                        inner.Blocks(item, "");
                        var text = inner.ToString().TrimEnd('\n').Split('\n');
                        var pad = new string(' ', bullet.Length);
                        for (var i = 0; i < text.Length; i++)
                        {
                            sb.Append(indent).Append(i == 0 ? bullet : text[i].Length == 0 ? "" : pad).Append(text[i]).Append('\n');
                        }
                    }

                    sb.Append('\n');
                    break;
                case QuoteBlock quote:
                    var quoted = new Writer(color);
                    quoted.Blocks(quote, "");
                    foreach (var line in quoted.ToString().TrimEnd('\n').Split('\n'))
                    {
                        sb.Append(indent).Append("│ ").Append(line).Append('\n');
                    }

                    sb.Append('\n');
                    break;
                case Table table:
                    TableBlock(table, indent);
                    break;
                case ThematicBreakBlock:
                    sb.Append(indent).Append(new string('─', 40)).Append("\n\n");
                    break;
                case HtmlBlock html:
                    sb.Append(indent).Append(html.Lines.ToString()).Append("\n\n");
                    break;
                case ContainerBlock other:
                    Blocks(other, indent);
                    break;
                case LeafBlock leaf:
                    sb.Append(indent).Append(leaf.Inline is null ? leaf.Lines.ToString() : Inlines(leaf.Inline, indent)).Append("\n\n");
                    break;
            }
        }

        private void TableBlock(Table table, string indent)
        {
            var rows = table.OfType<TableRow>()
                .Select(r => (r.IsHeader, Cells: r.OfType<TableCell>().Select(c => CellText(c)).ToList()))
                .ToList();
            var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Cells.Count);
            var widths = Enumerable.Range(0, columns)
                .Select(i => rows.Max(r => i < r.Cells.Count ? Visible(r.Cells[i]) : 0))
                .ToList();
            foreach (var (isHeader, cells) in rows)
            {
                sb.Append(indent);
                for (var i = 0; i < columns; i++)
                {
                    var cell = i < cells.Count ? cells[i] : "";
                    sb.Append(isHeader ? Style(cell, "1") : cell).Append(new string(' ', widths[i] - Visible(cell)));
                    if (i < columns - 1)
                    {
                        sb.Append("  ");
                    }
                }

                sb.Append('\n');
            }

            sb.Append('\n');
        }

        private string CellText(TableCell cell)
        {
            var inner = new Writer(color);
            inner.Blocks(cell, "");
            return inner.ToString().Trim().Replace("\n", " ");
        }

        /// <summary>Width on screen: escape sequences take none.</summary>
        private static int Visible(string text) => System.Text.RegularExpressions.Regex.Replace(text, "\u001b\\[[0-9;]*m", "").Length;

        private string Inlines(ContainerInline? container, string indent)
        {
            if (container is null)
            {
                return "";
            }

            var text = new StringBuilder();
            foreach (var inline in container)
            {
                text.Append(Inline(inline, indent));
            }

            return text.ToString();
        }

        private string Inline(Inline inline, string indent) => inline switch
        {
            LiteralInline l => l.Content.ToString(),
            CodeInline c => color ? Style(c.Content, "36") : "`" + c.Content + "`",
            EmphasisInline e => Style(Inlines(e, indent), e.DelimiterCount >= 2 ? "1" : "3"),
            AutolinkInline a => a.Url,
            LinkInline { IsImage: true } img => Inlines(img, indent),
            LinkInline link => LinkText(Inlines(link, indent), link.Url),
            LineBreakInline => "\n" + indent,
            HtmlEntityInline entity => entity.Transcoded.ToString(),
            HtmlInline html => html.Tag,
            ContainerInline other => Inlines(other, indent),
            _ => inline.ToString() ?? "",
        };

        private string LinkText(string text, string? url) =>
            string.IsNullOrEmpty(url) || text == url ? text : $"{text} ({Style(url, "4")})";
    }
}
