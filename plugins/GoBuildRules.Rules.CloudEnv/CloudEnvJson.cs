using System.Text.Json.Serialization;
using GoBuildRules.Rules.Shared;

namespace GoBuildRules.Rules.CloudEnv;

/// <summary>The pack's facts metadata, generated at build time (see <see cref="PackJson"/>).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CloudEnvFacts))]
internal sealed partial class CloudEnvJson : JsonSerializerContext
{
    /// <summary>In the snapshot's dialect.</summary>
    public static CloudEnvJson Snapshot { get; } = new(PackJson.Options());
}
