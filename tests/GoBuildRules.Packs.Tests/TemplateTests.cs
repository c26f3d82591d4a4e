using GoBuildRules.Packs.Tests.Infrastructure;

namespace GoBuildRules.Packs.Tests;

/// <summary>`dotnet new gobuildrules-pack` output: its pack and test projects built and the pack packed by the fixture; here installed and run.</summary>
[Collection(PackFeedCollection.Name)]
public sealed class TemplateTests(PackFeedFixture fixture)
{
    [Fact]
    public void The_generated_pack_builds_packs_installs_and_fires_its_sample_rule()
    {
        Assert.True(File.Exists(Path.Combine(fixture.TemplateOutput, "tests", "Acme.BuildRules.Tests", "bin", "Debug", "net10.0", "Acme.BuildRules.Tests.dll")), fixture.TemplateLog);
        Assert.True(File.Exists(Path.Combine(fixture.TemplateOutput, "tests", "Acme.BuildRules.Tests", "bin", "Debug", "net10.0", "fixtures", "ACME001", "positive-go-1.19.json")));
        Assert.Contains("Acme.BuildRules.1.0.0.nupkg", fixture.TemplateLog);

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
    }
}
