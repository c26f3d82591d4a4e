using System.Text.Json.Serialization;
using GoBuildRules.Rules.Shared;

namespace GoBuildRules.Rules.ModCache;

/// <summary>The pack's facts metadata, generated at build time (see <see cref="PackJson"/>).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(ModCacheFacts))]
internal sealed partial class ModCacheJson : JsonSerializerContext
{
    /// <summary>In the snapshot's dialect.</summary>
    public static ModCacheJson Snapshot { get; } = new(PackJson.Options());
}
