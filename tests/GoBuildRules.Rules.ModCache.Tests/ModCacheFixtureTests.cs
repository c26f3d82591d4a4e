using GoBuildRules.Tests.Shared;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.ModCache.Tests;

public sealed class ModCacheFixtureTests : PackFixtureTests<ModCachePack>
{
    [Fact]
    public void Pack_has_sixteen_rules_with_its_prefix() =>
        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"GBMOD{i:000}"), RuleReplay.RulesOf(Pack).Select(r => r.Descriptor.Id).Order());
}
