using GoBuildRules.Packs.Tests.Infrastructure;

namespace GoBuildRules.Packs.Tests;

/// <summary>Several installed packs in one scan: each in its own load context, each failing alone.</summary>
[Collection(PackFeedCollection.Name)]
public sealed class IsolationTests(PackFeedFixture fixture)
{
    [Fact]
    public void A_pack_built_for_another_SDK_major_is_refused_while_the_others_run()
    {
        using var repo = new TestRepo(fixture).AddToFeed("Future.Rules.1.0.0.nupkg", "Contoso.GoPolicy.1.0.0.nupkg");
        var install = repo.Run("packs", "install", "Future.Rules");
        Assert.True(install.ExitCode == 0, install.ToString());
        Assert.Contains("built against GoBuildRules.Sdk 2.x", install.Stderr);
        Assert.Equal(0, repo.Run("packs", "install", "Contoso.GoPolicy").ExitCode);
        Assert.Matches(@"Future\.Rules 1\.0\.0  \[in use\]  sdk 2\.0\.0\.0  not loadable", repo.Run("packs", "list").Stdout);

        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        var refusal = Assert.Single(report.Notifications, n => n.Source == "Future.Rules");
        Assert.Contains("built against GoBuildRules.Sdk 2.x but this gobuildrules provides 1.x", refusal.Message);
        Assert.DoesNotContain(report.Packs, p => p.Id == "Future.Rules");
        Assert.Contains(report.Findings, f => f.RuleId == "CTSO001");
    }

    [Fact]
    public void Two_packs_with_conflicting_versions_of_one_dependency_both_run()
    {
        using var repo = new TestRepo(fixture).AddToFeed(
            "Contoso.PackOne.1.0.0.nupkg", "Contoso.PackTwo.1.0.0.nupkg", "Contoso.Shared.1.0.0.nupkg", "Contoso.Shared.2.0.0.nupkg");
        Assert.Equal(0, repo.Run("packs", "install", "Contoso.PackOne").ExitCode);
        Assert.Equal(0, repo.Run("packs", "install", "Contoso.PackTwo").ExitCode);
        Assert.Contains("\"id\": \"Contoso.Shared\",\n          \"version\": \"2.0.0\"", repo.Lock);

        var (scan, report) = repo.Scan();
        Assert.True(report is not null, scan.ToString());
        Assert.DoesNotContain(report.Notifications, n => n.Source.StartsWith("Contoso.", StringComparison.Ordinal));
        Assert.Equal("CPONE001 runs with Contoso.Shared 1.0.0.0", Assert.Single(report.Findings, f => f.RuleId == "CPONE001").Message);
        Assert.Equal("CPTWO001 runs with Contoso.Shared 2.0.0.0", Assert.Single(report.Findings, f => f.RuleId == "CPTWO001").Message);
    }
}
