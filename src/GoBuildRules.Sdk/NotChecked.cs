using System.Text.Json;

namespace GoBuildRules.Sdk;

/// <summary>
/// Implemented by a pack's facts record whose collector may be cut short by the scan's deadline: it
/// lists what it could not check (a probe that was cut, a folder not read), one sentence each, and the
/// host reports every item as a collection issue, so that partial facts never read as healthy ones.
/// The property name is the contract.
/// </summary>
public interface IReportsNotChecked
{
    IReadOnlyList<string> NotChecked { get; }
}

public static class NotChecked
{
    private static readonly string PropertyName = JsonNamingPolicy.CamelCase.ConvertName(nameof(IReportsNotChecked.NotChecked));

    /// <summary>The items a collector's facts (as the host stores them) publish; empty when none.</summary>
    public static IReadOnlyList<string> In(JsonElement facts) =>
        facts.ValueKind == JsonValueKind.Object && facts.TryGetProperty(PropertyName, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
            : [];
}
