using NuGet.Versioning;

namespace GoBuildRules.Packs.Tests;

public sealed class PackSpecTests
{
    [Fact]
    public void A_bare_version_pins_exactly()
    {
        var spec = PackSpec.Parse("Contoso.GoPolicy@1.2.0");
        Assert.Equal("Contoso.GoPolicy", spec.Id);
        Assert.True(spec.Range.Satisfies(NuGetVersion.Parse("1.2.0")));
        Assert.False(spec.Range.Satisfies(NuGetVersion.Parse("1.2.1")));
    }

    [Fact]
    public void A_range_takes_the_highest_stable_version_inside_it()
    {
        var spec = PackSpec.Parse("Contoso.GoPolicy@[1.0,2.0)");
        var best = spec.Best(new[] { "0.9.0", "1.0.0", "1.4.0", "1.5.0-beta", "2.0.0" }.Select(NuGetVersion.Parse));
        Assert.Equal(NuGetVersion.Parse("1.4.0"), best);
    }

    [Fact]
    public void No_version_means_the_newest_stable()
    {
        var spec = PackSpec.Parse("Contoso.GoPolicy");
        Assert.Null(spec.Text);
        Assert.Equal(NuGetVersion.Parse("3.1.0"), spec.Best(new[] { "1.0.0", "3.1.0", "4.0.0-rc.1" }.Select(NuGetVersion.Parse)));
    }

    [Theory]
    [InlineData("@1.0.0")]
    [InlineData("bad id@1.0.0")]
    [InlineData("Contoso.GoPolicy@not-a-version")]
    public void Malformed_specs_are_refused(string text) =>
        Assert.Throws<PackException>(() => PackSpec.Parse(text));
}
