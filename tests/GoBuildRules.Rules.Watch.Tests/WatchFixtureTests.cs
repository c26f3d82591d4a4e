using GoBuildRules.Tests.Shared;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.Watch.Tests;

/// <summary>Replays every fixture of the pack; see <see cref="PackFixtureTests{TPack}"/>.</summary>
public sealed class WatchFixtureTests : PackFixtureTests<WatchPack>
{
}
