namespace GoBuildRules.Reporting.Tests;

/// <summary>Custom templates see the report model and the escaping helpers, and nothing else.</summary>
public sealed class TemplateTests
{
    private static string Render(string template, string format = "text") =>
        ReportRenderer.Render(SampleReports.Rich(), format, new RenderOptions(), template, "mine.scriban");

    [Fact]
    public void A_custom_template_reads_the_model_in_snake_case()
    {
        var text = Render("{{ tool.name }} {{ tool.version }}: {{ summary.errors }}/{{ findings.size }} {{ findings[0].rule_id }} {{ findings[0].anchor.file }} {{ snapshot.workspace_root }}");
        Assert.Equal("gobuildrules 1.2.3: 1/3 GBNET001 .github/workflows/ci.yml /src/app", text);
    }

    [Theory]
    [InlineData("{{ include 'md.scriban' }}")]
    [InlineData("{{ include '/etc/passwd' }}")]
    [InlineData("{{ include_join ['/etc/passwd'] '' }}")]
    [InlineData("{{ date.now }}")]
    [InlineData("{{ object.eval_template \"{{ include '/etc/passwd' }}\" }}")]
    [InlineData("{{ environment }}")]
    [InlineData("{{ env.HOME }}")]
    public void Nothing_outside_the_model_is_reachable(string template)
    {
        var e = Assert.Throws<TemplateException>(() => Render(template));
        Assert.Matches(@"^mine\.scriban\(1,\d+\): ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Dotnet_members_of_values_are_not_reachable()
    {
        // Values are plain strings and numbers, not .NET objects: no GetType, no Length property.
        Assert.Throws<TemplateException>(() => Render("{{ tool.name.get_type }}"));
        Assert.Throws<TemplateException>(() => Render("{{ tool.name.length }}"));
        Assert.Throws<TemplateException>(() => Render("{{ summary.get_hash_code }}"));
    }

    [Fact]
    public void A_syntax_error_names_line_and_column()
    {
        var e = Assert.Throws<TemplateException>(() => Render("line one\n{{ for f in findings }}\n{{ f.rule_id"));
        Assert.Matches(@"^mine\.scriban\(3,\d+\): ", e.Message);
    }

    [Fact]
    public void A_runtime_error_names_line_and_column()
    {
        var e = Assert.Throws<TemplateException>(() => Render("ok\n  {{ findings[0].no_such_member | string.upcase }}\n{{ 1 / 0 }}"));
        Assert.Matches(@"^mine\.scriban\([23],\d+\): ", e.Message);
    }

    [Fact]
    public void A_custom_json_template_must_write_JSON()
    {
        Assert.Equal("{\"n\": 3}", Render("{\"n\": {{ findings.size }}}", "json"));
        var e = Assert.Throws<TemplateException>(() => Render("{\"n\": {{ findings.size }}", "json"));
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void Escaping_helpers_escape()
    {
        Assert.Equal("&lt;b&gt; &amp; &quot;q&quot; &#39;s&#39; &#96;t&#96;", TemplateFunctions.Html("<b> & \"q\" 's' `t`"));
        Assert.Equal("\"a\\u0022b\\nc\\u003C\"", TemplateFunctions.JsonLiteral("a\"b\nc<"));
        Assert.Equal("dir%20x/a%7Cb%60.mod", TemplateFunctions.UriPath("dir x/a|b`.mod"));
        Assert.Equal("#", TemplateFunctions.SafeUrl("javascript:alert(1)"));
        Assert.Equal("https://x.example/a%3Cb", TemplateFunctions.SafeUrl("https://x.example/a<b"));
        Assert.Equal("a\\|b<br>c", TemplateFunctions.MarkdownCell("a|b\nc"));
        Assert.Equal("``a`b``", TemplateFunctions.MarkdownCode("a`b"));
    }

    [Fact]
    public void Console_output_shows_control_characters_instead_of_sending_them_to_the_terminal()
    {
        var report = SampleReports.Rich("\u001b]0;owned\u0007\u001b[2J\u202e");
        var console = ReportRenderer.Render(report, "console", new RenderOptions(Color: false));
        Assert.DoesNotContain('\u001b', console);
        Assert.DoesNotContain('\u202e', console);
        Assert.Contains("\\u001b]0;owned\\u0007", console);
        // Other formats keep the exact value (JSON holds it escaped, HTML as a character reference or the character).
        Assert.Contains("\u001b]0;owned", ReportJson.Deserialize(ReportRenderer.Render(report, "json", new RenderOptions())).Findings[0].Message);
    }
}
