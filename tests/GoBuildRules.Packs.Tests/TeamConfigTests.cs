using GoBuildRules.Core.Config;
using GoBuildRules.Core.Engine;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Packs.Tests;

public sealed class TeamConfigTests
{
    [Fact]
    public void Reads_every_setting()
    {
        var config = TeamConfigFile.Parse("""
            {
              // comments are allowed
              "$schema": "https://example/gobuildrules.schema.json",
              "packs": { "Contoso.GoPolicy": "[1.0,2.0)" },
              "severity": { "rules": { "GBGO002": "warning" }, "categories": { "toolchain": "note" } },
              "disabled": ["GBGO003"],
              "suppressions": [ { "rule": "CTSO001", "subject": "GOPROXY", "justification": "mirror migration", "expires": "2030-01-31" } ],
              "probeBudgetSeconds": 12.5,
              "failOn": "warning",
            }
            """, "gobuildrules.json");
        Assert.Equal("[1.0,2.0)", config.Packs["Contoso.GoPolicy"]);
        Assert.Equal("warning", config.Severity.Rules["GBGO002"]);
        Assert.Equal("note", config.Severity.Categories["toolchain"]);
        Assert.Equal(["GBGO003"], config.Disabled);
        Assert.Equal(new DateOnly(2030, 1, 31), Assert.Single(config.Suppressions).Expires);
        Assert.Equal(12.5, config.ProbeBudgetSeconds);
        Assert.Equal(FailOn.Warning, TeamConfigFile.ParseFailOn(config.FailOn!));
    }

    [Theory]
    [InlineData("""{ "suppressions": [ { "rule": "GBGO001" } ] }""", "justification")]
    [InlineData("""{ "suppressions": [ { "rule": "GBGO001", "justification": "  " } ] }""", "no justification")]
    [InlineData("""{ "severity": { "rules": { "GBGO001": "fatal" } } }""", "severity.rules.GBGO001")]
    [InlineData("""{ "failOn": "sometimes" }""", "failOn")]
    [InlineData("""{ "probeBudgetSeconds": 0 }""", "probeBudgetSeconds")]
    [InlineData("""{ "disabeld": ["GBGO001"] }""", "disabeld")]
    [InlineData("""{ "packs": { "Contoso.GoPolicy": "" } }""", "packs")]
    [InlineData("""{ "packs": [ }""", "gobuildrules.json")]
    public void Mistakes_are_config_errors_that_name_the_setting(string json, string named)
    {
        var e = Assert.Throws<ConfigException>(() => TeamConfigFile.Parse(json, "gobuildrules.json"));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void The_config_is_found_above_the_scanned_folder_and_pack_edits_keep_other_settings()
    {
        using var temp = new TempFolder();
        temp.Write("gobuildrules.json", """{ "failOn": "note", "packs": { "Old.Pack": "1.0.0" } }""");
        Directory.CreateDirectory(temp.Combine("cmd", "app"));
        Assert.Equal(temp.Path, TeamConfigFile.RootOf(temp.Combine("cmd", "app")));

        TeamConfigFile.SetPack(temp.Path, "New.Pack", "[2.0,3.0)");
        TeamConfigFile.SetPack(temp.Path, "old.pack", null);
        var config = TeamConfigFile.LoadFrom(temp.Combine("cmd", "app"));
        Assert.Equal("note", config.FailOn);
        Assert.Equal("[2.0,3.0)", Assert.Single(config.Packs).Value);
    }

    [Fact]
    public void A_new_config_file_points_at_the_schema()
    {
        using var temp = new TempFolder();
        TeamConfigFile.SetPack(temp.Path, "New.Pack", "1.0.0");
        Assert.Contains(TeamConfigFile.SchemaUri, File.ReadAllText(temp.Combine("gobuildrules.json")));
    }

    [Fact]
    public void The_published_schema_knows_every_setting_of_the_model()
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(GoBuildRules.Testing.RepoPaths.Root(), "docs", "schemas", "gobuildrules.schema.json")))!;
        var properties = schema["properties"]!.AsObject().Select(p => p.Key).Order().ToList();
        var model = typeof(TeamConfig).GetProperties(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public)
            .Where(p => p.Name != nameof(TeamConfig.File))
            .Select(p => p.Name == nameof(TeamConfig.Schema) ? "$schema" : char.ToLowerInvariant(p.Name[0]) + p.Name[1..])
            .Order().ToList();
        Assert.Equal(model, properties);
        Assert.Equal(false, (bool?)schema["additionalProperties"]);
        Assert.Contains("justification", schema["properties"]!["suppressions"]!["items"]!["required"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public void Severity_words()
    {
        Assert.Equal(Severity.Warning, SeverityLevel.Parse("Warning"));
        Assert.True(SeverityLevel.IsOff("OFF"));
        Assert.Null(SeverityLevel.Parse("off"));
    }
}
