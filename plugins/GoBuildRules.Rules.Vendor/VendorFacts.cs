namespace GoBuildRules.Rules.Vendor;

/// <summary>
/// What the Vendor pack collects, stored under <see cref="VendorPack.FactsKey"/>: inotify limits and use and
/// what the repository's watcher, .gitignore and CI files say. The directory counts and the mount are core
/// facts (<see cref="GoBuildRules.Sdk.Snapshot.Repository"/>, <see cref="GoBuildRules.Sdk.Snapshot.Mounts"/>).
/// </summary>
public sealed record VendorFacts
{
    public InotifyFacts Inotify { get; init; } = new();

    public IReadOnlyList<TomlConfig> Air { get; init; } = [];

    /// <summary>gopls build.directoryFilters as set in VS Code settings; null when not set anywhere.</summary>
    public GoplsFilters? Gopls { get; init; }

    /// <summary>reflex, CompileDaemon and watchexec command lines found in the repository's scripts and configs.</summary>
    public IReadOnlyList<WatcherCommand> WatcherCommands { get; init; } = [];

    /// <summary>The root .gitignore line that ignores vendor/, when one does.</summary>
    public SourceLine? VendorIgnored { get; init; }

    /// <summary>The root .gitignore line that ignores node_modules/ (watchexec honours it).</summary>
    public SourceLine? NodeModulesIgnored { get; init; }

    /// <summary>CI lines that build with -mod=vendor (GOFLAGS or flags).</summary>
    public IReadOnlyList<SourceLine> CiModVendor { get; init; } = [];

    /// <summary>CI lines that run `go mod vendor`, which recreates an ignored vendor/ before building.</summary>
    public IReadOnlyList<SourceLine> CiGoModVendor { get; init; } = [];
}

public sealed record InotifyFacts
{
    /// <summary>False when /proc/sys/fs/inotify cannot be read (not Linux, or /proc hidden).</summary>
    public bool Available { get; init; }

    public long? MaxUserWatches { get; init; }
    public long? MaxUserInstances { get; init; }
    public long? MaxQueuedEvents { get; init; }

    /// <summary>The effective uid of the scan: the kernel charges watches and instances per user.</summary>
    public int Uid { get; init; } = -1;

    /// <summary>Watches and instances held by processes of <see cref="Uid"/>, from their inotify fds' fdinfo.</summary>
    public int WatchesInUse { get; init; }
    public int InstancesInUse { get; init; }

    public int ProcessesScanned { get; init; }

    /// <summary>Processes whose fds could not be read (another user's, when not root): their use is missing.</summary>
    public int ProcessesUnreadable { get; init; }

    /// <summary>True when the process walk stopped at its budget: the counts are lower bounds.</summary>
    public bool Truncated { get; init; }

    /// <summary>The processes holding inotify instances, most watches first (at most 200).</summary>
    public IReadOnlyList<InotifyHolder> Holders { get; init; } = [];

    public string? Error { get; init; }
}

public sealed record InotifyHolder(int Pid, string Command, int Uid, int Instances, int Watches);

/// <summary>A TOML file read as flat keys ("build.exclude_dir") with the line of each.</summary>
public sealed record TomlConfig(string File)
{
    public IReadOnlyList<TomlEntry> Entries { get; init; } = [];
    public IReadOnlyList<SourceLine> Problems { get; init; } = [];

    public TomlEntry? Get(string key) => Entries.LastOrDefault(e => e.Key == key);
}

/// <param name="Kind">string, array, bool, number or other.</param>
/// <param name="Values">The string items of an array, or the scalar's text.</param>
public sealed record TomlEntry(string Key, int Line, string Kind, IReadOnlyList<string> Values);

public sealed record GoplsFilters(string File, int Line, IReadOnlyList<string> Filters);

public sealed record WatcherCommand(string Tool, string File, int Line, IReadOnlyList<string> Arguments);

public sealed record SourceLine(string File, int Line, string Text);
