using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Shared;

/// <summary>
/// A pack's facts in the snapshot's JSON dialect (<see cref="SnapshotJson.Options"/>) through the
/// pack's source-generated metadata: reflection over every facts type, and the JIT-compiled code it
/// needs, was a large part of a scan's start-up (docs/performance.md).
/// </summary>
internal static class PackJson
{
    /// <summary>The options to give a pack's <c>JsonSerializerContext</c>: the snapshot's dialect, resolved by that context.</summary>
    public static JsonSerializerOptions Options() => new(SnapshotJson.Options);

    /// <summary>What <see cref="ISnapshotCollector{TFacts}"/> does by default, with the pack's metadata.</summary>
    public static async Task<JsonElement> CollectJsonAsync<TFacts>(ISnapshotCollector<TFacts> collector, CollectionContext context, JsonTypeInfo<TFacts> json, CancellationToken cancellationToken)
        where TFacts : class =>
        JsonSerializer.SerializeToElement(await collector.CollectAsync(context, cancellationToken).ConfigureAwait(false), json);

    /// <summary>What <see cref="Snapshot.GetExtension{T}(string)"/> does, with the pack's metadata.</summary>
    public static TFacts? Facts<TFacts>(Snapshot snapshot, string key, JsonTypeInfo<TFacts> json)
        where TFacts : class =>
        snapshot.Extensions.TryGetValue(key, out var element) ? element.Deserialize(json) : null;
}
