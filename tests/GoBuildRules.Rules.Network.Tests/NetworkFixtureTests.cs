using GoBuildRules.Tests.Shared;
using GoBuildRules.Testing;

namespace GoBuildRules.Rules.Network.Tests;

/// <summary>Replays every fixture of the pack; see <see cref="PackFixtureTests{TPack}"/>.</summary>
public sealed class NetworkFixtureTests : PackFixtureTests<NetworkPack>
{
}
