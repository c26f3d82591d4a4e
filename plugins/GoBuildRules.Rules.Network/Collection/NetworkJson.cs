using System.Text.Json.Serialization;
using GoBuildRules.Rules.Shared;

namespace GoBuildRules.Rules.Network.Collection;

/// <summary>The pack's facts metadata, generated at build time (see <see cref="PackJson"/>).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(NetworkFacts))]
internal sealed partial class NetworkJson : JsonSerializerContext
{
    /// <summary>In the snapshot's dialect.</summary>
    public static NetworkJson Snapshot { get; } = new(PackJson.Options());
}
