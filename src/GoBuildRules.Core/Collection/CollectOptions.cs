namespace GoBuildRules.Core.Collection;

/// <param name="Path">The folder to scan; the module root is found above it as cmd/go finds it.</param>
/// <param name="Deadline">The one budget for all collection, core facts and pack collectors together.</param>
public sealed record CollectOptions(string Path, TimeSpan Deadline, bool Offline, string ToolVersion)
{
    /// <summary>The process tree `watch` runs, described in full among the live processes.</summary>
    public IReadOnlySet<int> WatchedPids { get; init; } = new HashSet<int>();

    /// <summary>The repository walk's bounds; null for <see cref="RepositoryWalkBudget.Default"/> (tests set smaller ones).</summary>
    public RepositoryWalkBudget? WalkBudget { get; init; }
}

/// <summary>Thrown for a --path that does not exist or cannot be read: a usage error, not a finding.</summary>
public sealed class WorkspaceNotFoundException(string message) : Exception(message);
