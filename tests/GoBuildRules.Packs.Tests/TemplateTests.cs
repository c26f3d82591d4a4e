using GoBuildRules.Packs.Tests.Infrastructure;

namespace GoBuildRules.Packs.Tests;

/// <summary>
/// docs/authoring.md end to end: the fixture makes the local feed (scripts/local-feed.sh), runs
/// `dotnet new gobuildrules-pack --feed`, adds the team's own rule, runs `dotnet test` and packs;
/// here the pack is installed with `packs install` and a scan fires both rules.
/// </summary>
[Collection(PackFeedCollection.Name)]
public sealed class TemplateTests(PackFeedFixture fixture)
{
    [Fact]
    public void The_generated_pack_builds_packs_installs_and_fires_its_sample_rule()
    {
        Assert.True(File.Exists(Path.Combine(fixture.TemplateOutput, "tests", "Acme.BuildRules.Tests", "bin", "Debug", "net10.0", "Acme.BuildRules.Tests.dll")), fixture.TemplateLog);
        Assert.True(File.Exists(Path.Combine(fixture.TemplateOutput, "tests", "Acme.BuildRules.Tests", "bin", "Debug", "net10.0", "fixtures", "ACME001", "positive-go-1.19.json")));
        Assert.Contains("Acme.BuildRules.1.0.0.nupkg", fixture.TemplateLog);
        // `dotnet test` ran the fixtures of both rules (two each) and the page check of the pack.
        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+\d+", fixture.TemplateLog);
        Assert.Contains("gobuildrules", File.ReadAllText(Path.Combine(fixture.TemplateOutput, "nuget.config")));
        Assert.Contains(fixture.Staging, File.ReadAllText(Path.Combine(fixture.TemplateOutput, "nuget.config")));

        using var repo = new TestRepo(fixture, goLine: "1.19").AddToFeed("Acme.BuildRules.1.0.0.nupkg");
        var install = repo.Run("packs", "install", "Acme.BuildRules");
        Assert.True(install.ExitCode == 0, install.ToString());

        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        var finding = Assert.Single(report.Findings, f => f.RuleId == "ACME001");
        Assert.Equal("Acme.BuildRules", finding.PackId);
        Assert.Equal("go.mod", finding.Location?.File);
        Assert.Equal(3, finding.Location?.Line);
        Assert.Contains("go 1.19", finding.Message);

        // The team's own rule, added as docs/authoring.md shows.
        var own = Assert.Single(report.Findings, f => f.RuleId == "ACME002");
        Assert.Equal("Acme.BuildRules", own.PackId);
        Assert.Equal(1, own.Location?.Line);
        Assert.Contains("example.com/app", own.Message);
    }
}
