using System.Text.Json;

namespace GoBuildRules.Sdk;

/// <summary>
/// What the host runs: a pack's collector, whose facts it stores in the snapshot under
/// <see cref="Key"/> (usually the pack id). Implement <see cref="ISnapshotCollector{TFacts}"/>:
/// it returns the pack's own facts record and serialises it in the snapshot's JSON dialect.
/// </summary>
public interface ISnapshotCollector
{
    string Key { get; }

    /// <summary>The facts record this collector writes; rules read it back with <see cref="Snapshot.GetExtension{T}(string)"/>.</summary>
    Type FactsType { get; }

    /// <summary>The facts as snapshot JSON (<see cref="SnapshotJson.Options"/>).</summary>
    Task<JsonElement> CollectJsonAsync(CollectionContext context, CancellationToken cancellationToken);

    /// <summary>
    /// True (the default) when this collector must return before the scan runs go itself. The go oracle's
    /// `go list` does to the module cache what any go command does (extracts a zip under a .partial, writes a
    /// missing .ziphash, leaves lock files) and is a go process of its own: a collector that reads the module
    /// cache or the running processes would see the scan's own doing. One that reads neither returns false
    /// and runs beside go, which makes the scan shorter.
    /// </summary>
    bool RunsBeforeGo => true;
}

/// <summary>
/// Gathers a pack's own facts from the machine. Collectors are the only pack code that touches the
/// machine; they run in parallel after the core facts are known, under the scan's deadline, and
/// must honour the token. The facts record must round-trip through System.Text.Json.
/// </summary>
public interface ISnapshotCollector<TFacts> : ISnapshotCollector
    where TFacts : class
{
    Task<TFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken);

    Type ISnapshotCollector.FactsType => typeof(TFacts);

    async Task<JsonElement> ISnapshotCollector.CollectJsonAsync(CollectionContext context, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeToElement(await CollectAsync(context, cancellationToken).ConfigureAwait(false), SnapshotJson.Options);
}

/// <summary>What a collector may use: the core facts already collected and the host's services.</summary>
public sealed record CollectionContext(Snapshot Core, IProcessRunner Processes, bool Offline)
{
    /// <summary>The absolute workspace root being scanned.</summary>
    public string WorkspaceRoot => Core.Workspace.Root;
}
