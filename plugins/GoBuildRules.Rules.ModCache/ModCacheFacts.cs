using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache;

/// <summary>
/// What the ModCache collector saw: the cache folders, a bounded walk of the module cache's
/// download metadata and the cache entries of the modules this workspace requires. Paths are absolute.
/// The processes running now and whether vendor/ exists are core facts (<see cref="Snapshot.LiveProcesses"/>,
/// <see cref="Snapshot.Repository"/>).
/// </summary>
public sealed record ModCacheFacts
{
    public const string Key = "GoBuildRules.Rules.ModCache";

    /// <summary>GOMODCACHE, GOCACHE, GOTMPDIR, TMPDIR and HOME, each probed once.</summary>
    public IReadOnlyList<CacheLocation> Locations { get; init; } = [];

    /// <summary>The walk of GOMODCACHE/cache/download; null when there was no GOMODCACHE to walk.</summary>
    public DownloadCacheScan? Download { get; init; }

    /// <summary>The cache entries of modules named in go.mod and go.sum (zip hashes only).</summary>
    public IReadOnlyList<CachedModuleEntry> Required { get; init; } = [];

    /// <summary>What the collector could not look at (a hung or failed probe, no mount table, the deadline).</summary>
    public IReadOnlyList<CacheProblem> Problems { get; init; } = [];
}

/// <param name="About">What could not be looked at, the same on every machine and run: a role (GOMODCACHE, GOCACHE, GOTMPDIR, TMPDIR, HOME), "mount table" or "required modules".</param>
/// <param name="Message">What happened, in words, with the path and the time it took.</param>
public sealed record CacheProblem(string About, string Message);

public sealed record CacheLocation(string Role, string Path)
{
    public bool Exists { get; init; }

    /// <summary>Whether the current user may create files there (for a missing folder: in its nearest existing parent, as go would create it).</summary>
    public bool Writable { get; init; }

    /// <summary>The errno text when not writable: "Permission denied", "Read-only file system".</summary>
    public string? NotWritableReason { get; init; }

    /// <summary>For a missing folder, the nearest parent that exists.</summary>
    public string? NearestExisting { get; init; }

    public string? FileSystemType { get; init; }

    public string? MountPoint { get; init; }

    public string? MountSource { get; init; }

    public bool ReadOnlyMount { get; init; }

    public long? FreeBytes { get; init; }

    public long? TotalBytes { get; init; }

    /// <summary>The probe did not return in time: the folder sits on a hung mount (a dead NFS server); nothing else is known.</summary>
    public bool ProbeTimedOut { get; init; }
}

public sealed record DownloadCacheScan(string Root)
{
    public bool Exists { get; init; }

    public long FilesSeen { get; init; }

    public long DirectoriesSeen { get; init; }

    /// <summary>Module versions with at least one file in an @v folder.</summary>
    public long VersionsSeen { get; init; }

    public long ElapsedMilliseconds { get; init; }

    /// <summary>Of the elapsed time, how long the walk ran on a CPU (Linux; null elsewhere).</summary>
    public long? CpuMilliseconds { get; init; }

    /// <summary>Of the elapsed time, how long the walk waited for a CPU: a busy machine, not a big cache.</summary>
    public long? RunQueueMilliseconds { get; init; }

    public int EntryBudget { get; init; }

    public long TimeBudgetMilliseconds { get; init; }

    /// <summary>True when the walk stopped before the end: its leftovers are a sample, not all of them.</summary>
    public bool Truncated { get; init; }

    public string? TruncatedReason { get; init; }

    public IReadOnlyList<CacheLeftover> Leftovers { get; init; } = [];

    /// <summary>Leftovers found beyond the number kept.</summary>
    public int LeftoversOmitted { get; init; }
}

public enum LeftoverKind
{
    /// <summary>`v.partial`: extraction of the zip into the module tree was interrupted.</summary>
    Partial,
    /// <summary>`*.tmp`: a download or cache write was interrupted before its rename.</summary>
    TempFile,
    /// <summary>`v.lock` with no `v.zip`: a zip download started and never finished.</summary>
    OrphanedLock,
    /// <summary>`v.zip` with no `v.ziphash`: the zip's hash was never recorded.</summary>
    ZipWithoutHash,
    EmptyInfo,
    EmptyMod,
}

/// <param name="File">Relative to GOMODCACHE, forward slashes.</param>
public sealed record CacheLeftover(LeftoverKind Kind, string Module, string Version, string File);

public enum MetadataState
{
    Missing,
    Ok,
    Empty,
    Unparsable,
}

public sealed record CachedModuleEntry(string Module, string Version)
{
    /// <summary>The entry's files share this prefix: GOMODCACHE/cache/download/{escaped path}/@v/{escaped version}.</summary>
    public string FilePrefix { get; init; } = "";

    /// <summary>The extracted tree, GOMODCACHE/{escaped path}@{escaped version}.</summary>
    public string ExtractedDirectory { get; init; } = "";

    public bool ExtractedExists { get; init; }

    public bool ZipExists { get; init; }

    public long ZipBytes { get; init; }

    /// <summary>False when the zip lacks its end-of-central-directory record: it was cut short.</summary>
    public bool? ZipComplete { get; init; }

    public bool ZiphashExists { get; init; }

    /// <summary>The ziphash file's text, trimmed (an h1: hash when well formed).</summary>
    public string? Ziphash { get; init; }

    public MetadataState Info { get; init; }

    public MetadataState Mod { get; init; }

    public bool PartialExists { get; init; }
}
