using System.IO.Compression;
using GoBuildRules.Core.Config;
using GoBuildRules.Core.Packs;
using NuGet.Frameworks;
using NuGet.Packaging;
using NuGet.Versioning;

namespace GoBuildRules.Packs;

/// <summary>A pack the store holds for this run, or why it could not be used.</summary>
public sealed record RestoredPack(string Id, StoredPack? Pack, string? Error)
{
    /// <summary>Set when the lock file does not record the version used (a read-only restore does not change it).</summary>
    public string? Unlocked { get; init; }
}

/// <summary>What a command changed in the repository's files, one phrase each; empty when nothing.</summary>
public sealed record RepositoryChanges(IReadOnlyList<string> Config, IReadOnlyList<string> Lock)
{
    public bool Any => Config.Count + Lock.Count > 0;

    public IEnumerable<string> Lines => Config.Concat(Lock.Select(l => $"{LockFile.FileName}: {l}"));
}

/// <summary>
/// Installs, restores, updates and removes the packs of one repository (its gobuildrules.json and
/// gobuildrules.lock.json) in the pack store, through the feeds NuGet is configured with. It owns
/// (and disposes) its <see cref="PackFeeds"/>.
/// </summary>
public sealed class PackManager(PackStore store, PackFeeds feeds) : IDisposable
{
    public const string PackageType = "GoBuildRulesPack";

    /// <summary>Provided by the host to every pack; a pack never brings its own copy.</summary>
    private static readonly HashSet<string> HostProvided = new(StringComparer.OrdinalIgnoreCase)
    {
        "GoBuildRules.Sdk", "Microsoft.Extensions.DependencyInjection.Abstractions", "NETStandard.Library", "Microsoft.NETCore.Platforms",
    };

    private static readonly string[] HostContracts = ["GoBuildRules.Sdk", "Microsoft.Extensions.DependencyInjection.Abstractions"];

    private static readonly NuGetFramework Target = NuGetFramework.Parse(PackLayout.TargetFramework);

    public PackStore Store => store;

    public void Dispose() => feeds.Dispose();

    /// <summary>
    /// `packs install`: resolve, fetch, verify, extract, then record in gobuildrules.json and the
    /// lock file. The repository lock is held from reading the files to writing them.
    /// </summary>
    public async Task<(StoredPack Pack, RepositoryChanges Changes)> InstallAsync(string root, PackSpec spec, CancellationToken ct)
    {
        using var repositoryLock = await RepositoryLock.AcquireAsync(root, RepositoryLock.DefaultWait, ct).ConfigureAwait(false);
        var lockFile = LockFile.Load(root);
        var locked = lockFile.Find(spec.Id);
        var pack = await EnsureAsync(spec.Id, spec.Range, locked, ct).ConfigureAwait(false);
        var configChange = SetPack(root, pack.Id, spec.Text ?? pack.Version);
        var after = lockFile.With(pack.ToLocked());
        var lockChanges = after.ChangesFrom(lockFile);
        if (lockChanges.Count > 0)
        {
            after.Save(root);
        }

        return (pack, new RepositoryChanges(configChange is null ? [] : [configChange], lockChanges));
    }

    private static string? SetPack(string root, string id, string? versionOrRange)
    {
        try
        {
            return TeamConfigFile.SetPack(root, id, versionOrRange);
        }
        catch (Core.IO.InputFileException e)
        {
            throw new PackException(e.Message);
        }
    }

    /// <summary>
    /// Every pack gobuildrules.json names, at its locked version when the lock still satisfies the
    /// config; a changed package is refused, not re-locked. Only with <paramref name="writeLock"/>
    /// (`packs restore --write-lock`) are new or moved versions recorded; a scan never writes.
    /// </summary>
    public async Task<(IReadOnlyList<RestoredPack> Packs, RepositoryChanges Changes)> RestoreAsync(string root, TeamConfig config, bool writeLock, CancellationToken ct)
    {
        using var repositoryLock = writeLock ? await RepositoryLock.AcquireAsync(root, RepositoryLock.DefaultWait, ct).ConfigureAwait(false) : null;
        var before = LockFile.Load(root);
        var lockFile = before;
        var results = new List<RestoredPack>();
        foreach (var (id, text) in config.Packs.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            var range = PackSpec.ParseRange(text, $"{TeamConfig.FileName} packs.{id}");
            var locked = lockFile.Find(id);
            try
            {
                var pack = await EnsureAsync(id, range, locked, ct).ConfigureAwait(false);
                string? unlocked = null;
                if (locked is null || locked.Version != pack.Version || locked.Sha512 != pack.Sha512)
                {
                    lockFile = lockFile.With(pack.ToLocked() with { Source = pack.Source ?? locked?.Source });
                    unlocked = locked is null
                        ? $"{LockFile.FileName} does not lock {id}; {pack.Version} is used for this run"
                        : $"{LockFile.FileName} locks {id} {locked.Version}, which {TeamConfig.FileName} no longer allows ({text}); {pack.Version} is used for this run";
                }

                results.Add(new RestoredPack(id, pack, null) { Unlocked = unlocked });
            }
            catch (PackRefusedException e)
            {
                results.Add(new RestoredPack(id, null, e.Message));
            }
        }

        foreach (var stale in lockFile.Packs.Where(p => !config.Packs.Keys.Contains(p.Id, StringComparer.OrdinalIgnoreCase)).ToList())
        {
            lockFile = lockFile.Without(stale.Id);
        }

        var changes = lockFile.ChangesFrom(before);
        if (writeLock && changes.Count > 0)
        {
            lockFile.Save(root);
        }

        return (results, new RepositoryChanges([], writeLock ? changes : []));
    }

    /// <summary>`packs update`: the newest version a pack's range allows (a pinned version moves to the newest), re-locked.</summary>
    public async Task<(string? From, StoredPack To, RepositoryChanges Changes)> UpdateAsync(string root, string id, string? versionOrRange, CancellationToken ct)
    {
        using var repositoryLock = await RepositoryLock.AcquireAsync(root, RepositoryLock.DefaultWait, ct).ConfigureAwait(false);
        var config = TeamConfigFile.LoadFrom(root);
        var entry = config.Packs.FirstOrDefault(p => string.Equals(p.Key, id, StringComparison.OrdinalIgnoreCase));
        if (entry.Key is null)
        {
            throw new PackException($"{id} is not among the packs of {config.File ?? TeamConfig.FileName}; use `gobuildrules packs install {id}`");
        }

        var lockFile = LockFile.Load(root);
        var before = lockFile.Find(entry.Key)?.Version;
        string? newText = null;
        VersionRange range;
        if (versionOrRange is not null)
        {
            range = PackSpec.ParseRange(versionOrRange, id);
            newText = versionOrRange;
        }
        else
        {
            var configured = PackSpec.ParseRange(entry.Value, id);
            // A pin (exactly one version) is moved; a range is kept and resolved again.
            range = configured.HasLowerAndUpperBounds && configured.MinVersion == configured.MaxVersion ? VersionRange.All : configured;
        }

        var pack = await EnsureAsync(entry.Key, range, locked: null, ct).ConfigureAwait(false);
        string? configChange = null;
        if (newText is not null || range == VersionRange.All)
        {
            configChange = SetPack(root, entry.Key, newText ?? pack.Version);
        }

        var after = lockFile.With(pack.ToLocked());
        var lockChanges = after.ChangesFrom(lockFile);
        if (lockChanges.Count > 0)
        {
            after.Save(root);
        }

        return (before, pack, new RepositoryChanges(configChange is null ? [] : [configChange], lockChanges));
    }

    /// <summary>`packs remove`: out of gobuildrules.json, the lock file and the store. A pack that is none of these changes nothing.</summary>
    public async Task<(IReadOnlyList<string> FromStore, RepositoryChanges Changes)> RemoveAsync(string root, string id, CancellationToken ct)
    {
        using var repositoryLock = await RepositoryLock.AcquireAsync(root, RepositoryLock.DefaultWait, ct).ConfigureAwait(false);
        var lockFile = LockFile.Load(root);
        var config = TeamConfigFile.LoadFrom(root);
        if (lockFile.Find(id) is null && !config.Packs.Keys.Contains(id, StringComparer.OrdinalIgnoreCase))
        {
            throw new PackException($"{id} is not among the packs of {config.File ?? Path.Combine(root, TeamConfig.FileName)} nor in its lock file; nothing changed");
        }

        var removed = new List<string>();
        foreach (var pack in store.List().Where(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
        {
            if (store.Remove(pack.Id, pack.Version))
            {
                removed.Add(pack.Version);
            }
        }

        var configChange = SetPack(root, id, null);
        var after = lockFile.Without(id);
        var lockChanges = after.ChangesFrom(lockFile);
        if (lockChanges.Count > 0)
        {
            after.Save(root);
        }

        return (removed, new RepositoryChanges(configChange is null ? [] : [configChange], lockChanges));
    }

    /// <summary>The pack in the store at a version the range allows, installing it when missing.</summary>
    public async Task<StoredPack> EnsureAsync(string id, VersionRange range, LockedPack? locked, CancellationToken ct)
    {
        NuGetVersion version;
        if (locked is not null && NuGetVersion.TryParse(locked.Version, out var lockedVersion) && range.Satisfies(lockedVersion))
        {
            version = lockedVersion;
        }
        else
        {
            locked = null;
            version = await ResolveAsync(id, range, highest: true, ct).ConfigureAwait(false);
        }

        var label = $"{id} {version.ToNormalizedString()}";
        var stored = store.Get(id, version.ToNormalizedString());
        if (stored is not null && (locked is null || (stored.Sha512 == locked.Sha512 && DependenciesMatch(stored, locked))))
        {
            return stored;
        }

        var package = await feeds.FetchAsync(id, version, locked?.Sha512, store, locked?.Source is { } s ? [s] : [], ct).ConfigureAwait(false);
        var temp = store.NewTempFolder();
        try
        {
            var extracted = Path.Combine(temp, "pack");
            Directory.CreateDirectory(extracted);
            string packId;
            IReadOnlyList<PackageDependencyGroup> groups;
            using (var zip = ZipFile.OpenRead(package.Path))
            {
                var entries = SafeArchive.Validate(zip, label);
                using var reader = new PackageArchiveReader(package.Path);
                var nuspec = reader.NuspecReader;
                packId = nuspec.GetId();
                if (!nuspec.GetPackageTypes().Any(t => string.Equals(t.Name, PackageType, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new PackRefusedException($"{label} refused: it is not a gobuildrules pack (its nuspec lacks package type {PackageType})");
                }

                groups = nuspec.GetDependencyGroups().ToList();
                SafeArchive.Extract(entries, extracted, label);
            }

            var lib = PackLayout.LibFolder(extracted);
            var assembly = Path.Combine(lib, packId + ".dll");
            if (!File.Exists(assembly))
            {
                throw new PackRefusedException($"{label} refused: no lib/{PackLayout.TargetFramework}/{packId}.dll (a pack targets {PackLayout.TargetFramework})");
            }

            // The host's contract assemblies are shared with every pack; a copy shipped inside a pack must never load.
            foreach (var contract in HostContracts)
            {
                File.Delete(Path.Combine(lib, contract + ".dll"));
            }

            var dependencies = await AddDependenciesAsync(label, groups, lib, locked, ct).ConfigureAwait(false);
            string? sdk;
            try
            {
                sdk = PackHost.SdkReferenceOf(assembly)?.ToString();
            }
            catch (Exception e) when (e is PackLoadException or BadImageFormatException)
            {
                throw new PackRefusedException($"{label} refused: {e.Message}");
            }

            return store.Commit(extracted, new StoredPack(packId, version.ToNormalizedString(), package.Sha512, package.Source ?? locked?.Source, sdk, dependencies, DateTimeOffset.UtcNow));
        }
        finally
        {
            PackStore.TryDelete(temp);
        }
    }

    private static bool DependenciesMatch(StoredPack stored, LockedPack locked) =>
        locked.Dependencies.All(l => stored.Dependencies.Any(d => string.Equals(d.Id, l.Id, StringComparison.OrdinalIgnoreCase) && d.Version == l.Version && d.Sha512 == l.Sha512));

    /// <summary>
    /// Brings the pack's NuGet dependencies (transitively, lowest version each range allows, as NuGet
    /// resolves) into the pack's own lib folder, so they load in the pack's private context. Files the
    /// pack ships itself win.
    /// </summary>
    private async Task<IReadOnlyList<LockedPackage>> AddDependenciesAsync(string label, IReadOnlyList<PackageDependencyGroup> groups, string lib, LockedPack? locked, CancellationToken ct)
    {
        var chosen = new Dictionary<string, LockedPackage>(StringComparer.OrdinalIgnoreCase);
        var pending = new Queue<NuGet.Packaging.Core.PackageDependency>(Nearest(groups));
        while (pending.Count > 0)
        {
            var dependency = pending.Dequeue();
            if (HostProvided.Contains(dependency.Id))
            {
                continue;
            }

            var lockedDep = locked?.Dependencies.FirstOrDefault(d => string.Equals(d.Id, dependency.Id, StringComparison.OrdinalIgnoreCase));
            NuGetVersion version = lockedDep is not null && NuGetVersion.TryParse(lockedDep.Version, out var lv) && dependency.VersionRange.Satisfies(lv)
                ? lv
                : await ResolveAsync(dependency.Id, dependency.VersionRange, highest: false, ct).ConfigureAwait(false);
            if (chosen.TryGetValue(dependency.Id, out var already) && NuGetVersion.Parse(already.Version) >= version)
            {
                continue;
            }

            var package = await feeds.FetchAsync(dependency.Id, version, lockedDep?.Version == version.ToNormalizedString() ? lockedDep.Sha512 : null, store, [], ct).ConfigureAwait(false);
            chosen[dependency.Id] = new LockedPackage(dependency.Id, version.ToNormalizedString(), package.Sha512);
            var depLabel = $"{label}: dependency {dependency.Id} {version.ToNormalizedString()}";
            using var zip = ZipFile.OpenRead(package.Path);
            var entries = SafeArchive.Validate(zip, depLabel);
            using var reader = new PackageArchiveReader(package.Path);
            var libGroup = NuGetFrameworkUtility.GetNearest(reader.GetLibItems(), Target, g => g.TargetFramework);
            if (libGroup is not null && libGroup.Items.Any())
            {
                var prefix = libGroup.Items.First().Split('/')[0] + "/" + libGroup.Items.First().Split('/')[1] + "/";
                SafeArchive.Extract(entries, lib, depLabel,
                    name => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && !name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? name[prefix.Length..] : null,
                    overwrite: false);
            }

            foreach (var next in Nearest(reader.NuspecReader.GetDependencyGroups().ToList()))
            {
                pending.Enqueue(next);
            }
        }

        return chosen.Values.OrderBy(d => d.Id, StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static IEnumerable<NuGet.Packaging.Core.PackageDependency> Nearest(IReadOnlyList<PackageDependencyGroup> groups) =>
        NuGetFrameworkUtility.GetNearest(groups, Target, g => g.TargetFramework)?.Packages ?? [];

    /// <summary>
    /// The version to use: for an exact version, that one (no feed is asked when it is cached); else
    /// the highest (packs) or lowest (dependencies, as NuGet does) version available in the range.
    /// </summary>
    private async Task<NuGetVersion> ResolveAsync(string id, VersionRange range, bool highest, CancellationToken ct)
    {
        if (range.HasLowerAndUpperBounds && range.MinVersion == range.MaxVersion && range.IsMinInclusive && range.IsMaxInclusive)
        {
            return range.MinVersion!;
        }

        var local = store.List().Where(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)).Select(p => NuGetVersion.Parse(p.Version));
        IEnumerable<NuGetVersion> candidates;
        if (!highest && range.MinVersion is { } min && range.IsMinInclusive && feeds.Cached(id, min) is not null)
        {
            return min;
        }

        candidates = feeds.Offline
            ? local.Concat(feeds.CachedVersions(id))
            : await feeds.VersionsAsync(id, ct).ConfigureAwait(false);
        var list = candidates.Distinct().ToList();
        var best = highest ? PackSpec.Highest(range, list) : list.Where(range.Satisfies).Where(v => !v.IsPrerelease || range.MinVersion?.IsPrerelease == true).Min();
        if (best is null)
        {
            var where = feeds.Offline ? "in the pack store or the global packages folder (--offline)" : $"on the feeds ({string.Join(", ", feeds.SourceNames)})";
            if (feeds.Offline)
            {
                throw new PackOfflineException($"no version of {id} in {range.PrettyPrint()} is {where}");
            }

            throw new PackException(list.Count == 0 ? $"{id} was not found {where}" : $"no version of {id} in {range.PrettyPrint()} {where}; available: {string.Join(", ", list.Order().TakeLast(5))}");
        }

        return best;
    }
}
