namespace GoBuildRules.Sdk;

/// <summary>
/// Gathers a pack's own facts from the machine. Collectors are the only pack code that touches the
/// machine; they run in parallel after the core facts are known, under the scan's deadline, and
/// must honour the token. Whatever they return is stored in the snapshot under
/// <see cref="Key"/> (usually the pack id) and must round-trip through System.Text.Json.
/// </summary>
public interface ISnapshotCollector
{
    string Key { get; }

    Task<object> CollectAsync(CollectionContext context, CancellationToken cancellationToken);
}

/// <summary>What a collector may use: the core facts already collected and the host's services.</summary>
public sealed record CollectionContext(Snapshot Core, IProcessRunner Processes, bool Offline)
{
    /// <summary>The absolute workspace root being scanned.</summary>
    public string WorkspaceRoot => Core.Workspace.Root;
}
