using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Packs;

/// <summary>A pack whose rules and collectors are ready to run. Disposing it releases its container.</summary>
public sealed class LoadedPack(PackInfo info, string folder, bool bundled, IReadOnlyList<IRule> rules, IReadOnlyList<ISnapshotCollector> collectors, IDisposable lifetime) : IDisposable
{
    public PackInfo Info { get; } = info;
    public string Folder { get; } = folder;
    public bool Bundled { get; } = bundled;
    public IReadOnlyList<IRule> Rules { get; } = rules;
    public IReadOnlyList<ISnapshotCollector> Collectors { get; } = collectors;

    public void Dispose() => lifetime.Dispose();
}

/// <summary>Why a pack was not loaded. The scan goes on with the other packs.</summary>
public sealed record PackLoadError(string Pack, string Folder, string Message);

public sealed record PackSet(IReadOnlyList<LoadedPack> Packs, IReadOnlyList<PackLoadError> Errors) : IDisposable
{
    public IEnumerable<IRule> Rules => Packs.SelectMany(p => p.Rules);

    public void Dispose()
    {
        foreach (var pack in Packs)
        {
            pack.Dispose();
        }
    }
}

/// <param name="Folder">The root of an extracted pack package.</param>
/// <param name="Bundled">True for the first-party packs that ship inside the tool.</param>
public sealed record PackSource(string Folder, bool Bundled);
