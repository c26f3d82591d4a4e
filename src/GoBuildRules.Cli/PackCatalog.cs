using GoBuildRules.Core.Packs;

namespace GoBuildRules.Cli;

/// <summary>Which pack folders a run loads: the packs bundled with the tool, then any --packs folders.</summary>
public sealed class PackCatalog
{
    public IReadOnlyList<PackSource> Sources(IEnumerable<string> extraPackFolders)
    {
        var sources = PackLayout.PackFoldersIn(PackLayout.BundledPacksFolder(AppContext.BaseDirectory))
            .Select(f => new PackSource(f, Bundled: true))
            .ToList();
        foreach (var folder in extraPackFolders)
        {
            var full = Path.GetFullPath(folder);
            if (!Directory.Exists(full))
            {
                throw new UsageException($"--packs {folder} does not exist");
            }

            // A folder may be one pack (it has lib/net10.0) or hold several.
            sources.AddRange(Directory.Exists(PackLayout.LibFolder(full))
                ? [new PackSource(full, Bundled: false)]
                : PackLayout.PackFoldersIn(full).Select(f => new PackSource(f, Bundled: false)));
        }

        return sources;
    }
}

/// <summary>Bad input from the user: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
