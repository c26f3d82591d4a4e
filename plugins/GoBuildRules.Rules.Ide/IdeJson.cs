using System.Text.Json.Serialization;
using GoBuildRules.Rules.Shared;

namespace GoBuildRules.Rules.Ide;

/// <summary>The pack's facts metadata, generated at build time (see <see cref="PackJson"/>).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(IdeFacts))]
internal sealed partial class IdeJson : JsonSerializerContext
{
    /// <summary>In the snapshot's dialect.</summary>
    public static IdeJson Snapshot { get; } = new(PackJson.Options());
}
