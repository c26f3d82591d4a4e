using System.Text.Json.Serialization;
using GoBuildRules.Rules.Shared;

namespace GoBuildRules.Rules.Cgo.Facts;

/// <summary>The pack's facts metadata, generated at build time (see <see cref="PackJson"/>).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CgoFacts))]
internal sealed partial class CgoJson : JsonSerializerContext
{
    /// <summary>In the snapshot's dialect.</summary>
    public static CgoJson Snapshot { get; } = new(PackJson.Options());
}
