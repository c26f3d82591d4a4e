using System.Text.Json.Serialization;
using GoBuildRules.Rules.Shared;

namespace GoBuildRules.Rules.Vendor;

/// <summary>The pack's facts metadata, generated at build time (see <see cref="PackJson"/>).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(VendorFacts))]
internal sealed partial class VendorJson : JsonSerializerContext
{
    /// <summary>In the snapshot's dialect.</summary>
    public static VendorJson Snapshot { get; } = new(PackJson.Options());
}
