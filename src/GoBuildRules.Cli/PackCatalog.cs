using GoBuildRules.Core.Packs;

namespace GoBuildRules.Cli;

/// <summary>
/// Which pack folders a run loads: the packs bundled with the tool, the packs the team config names
/// (from the pack store; such a pack replaces a bundled pack of the same id, so a team can pin or
/// update a first-party pack on its own), then any --packs folders.
/// </summary>
public sealed class PackCatalog
{
    /// <param name="configured">Store folders of the packs gobuildrules.json names, already restored and verified.</param>
    public IReadOnlyList<PackSource> Sources(IEnumerable<string> extraPackFolders, IReadOnlyList<(string Id, string Folder)> configured)
    {
        var replaced = new HashSet<string>(configured.Select(c => c.Id), StringComparer.OrdinalIgnoreCase);
        var sources = PackLayout.PackFoldersIn(PackLayout.BundledPacksFolder(AppContext.BaseDirectory))
            .Where(f => !replaced.Contains(PackLayout.PackIdOf(f)))
            .Select(f => new PackSource(f, Bundled: true))
            .ToList();
        sources.AddRange(configured.Select(c => new PackSource(c.Folder, Bundled: false)));
        foreach (var folder in extraPackFolders)
        {
            var full = Path.GetFullPath(folder);
            if (File.Exists(full))
            {
                throw new UsageException($"--packs {folder} is a file; give the folder of a pack (an extracted package with lib/{PackLayout.TargetFramework}) or a folder of such folders");
            }

            if (!Directory.Exists(full))
            {
                throw new UsageException($"--packs {folder} does not exist");
            }

            // A folder may be one pack (it has lib/net10.0) or hold several.
            List<PackSource> found = Directory.Exists(PackLayout.LibFolder(full))
                ? [new PackSource(full, Bundled: false)]
                : PackLayout.PackFoldersIn(full).Select(f => new PackSource(f, Bundled: false)).ToList();
            if (found.Count == 0)
            {
                throw new UsageException($"--packs {folder} holds no pack (no lib/{PackLayout.TargetFramework} in it or in a folder below it)");
            }

            sources.AddRange(found);
        }

        return sources;
    }
}

/// <summary>Bad input from the user: printed as one line, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
