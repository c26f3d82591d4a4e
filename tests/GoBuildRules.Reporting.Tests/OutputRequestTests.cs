namespace GoBuildRules.Reporting.Tests;

public sealed class OutputRequestTests
{
    [Fact]
    public void Several_formats_each_with_a_file_and_one_to_stdout()
    {
        var r = OutputRequests.Parse(["sarif=out.sarif", "md=summary.md", "html"], null, []);
        Assert.Equal([new OutputRequest("sarif", "out.sarif", null), new OutputRequest("md", "summary.md", null), new OutputRequest("html", null, null)], r);
    }

    [Fact]
    public void Defaults_output_and_templates()
    {
        Assert.Equal([new OutputRequest("console", null, null)], OutputRequests.Parse([], null, []));
        Assert.Equal([new OutputRequest("md", "x.md", null)], OutputRequests.Parse(["md"], "x.md", []));
        Assert.Equal([new OutputRequest("md", null, "t=1.scriban")], OutputRequests.Parse(["md"], null, ["./t=1.scriban"]).Select(o => o with { TemplateFile = o.TemplateFile!.TrimStart('.', '/') }));
        Assert.Equal([new OutputRequest("text", "o.txt", "t.scriban"), new OutputRequest("md", null, null)], OutputRequests.Parse(["text=o.txt", "md"], null, ["text=t.scriban"]));
    }

    [Theory]
    [InlineData(new[] { "md", "html" }, null, new string[0], "only one --format can go to standard output")]
    [InlineData(new[] { "md=a", "html=b" }, "c", new string[0], "--output needs exactly one --format")]
    [InlineData(new[] { "pdf" }, null, new string[0], "--format pdf is not one of")]
    [InlineData(new[] { "md=a", "html=b" }, null, new[] { "t.scriban" }, "say which one it renders")]
    [InlineData(new[] { "md" }, null, new[] { "html=t.scriban" }, "which no --format asks for")]
    [InlineData(new[] { "md=" }, null, new string[0], "the file after '=' is empty")]
    [InlineData(new[] { "../md" }, null, new string[0], "the format must be a name")]
    public void Contradictions_are_usage_errors(string[] formats, string? output, string[] templates, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => OutputRequests.Parse(formats, output, templates));
        Assert.Contains(expected, e.Message);
    }
}
