namespace GoBuildRules.Core.Packs;

/// <summary>
/// Where packs live on disk. Every pack folder has the layout of an extracted NuGet package,
/// {pack}/lib/net10.0/{PackId}.dll plus its private dependencies, whether it ships inside the
/// tool (bundled) or was installed from a feed.
/// </summary>
public static class PackLayout
{
    public const string TargetFramework = "net10.0";

    /// <summary>The folder of first-party packs beside the tool's own assembly.</summary>
    public static string BundledPacksFolder(string toolDirectory) => Path.Combine(toolDirectory, "packs");

    /// <summary>Each immediate subfolder of <paramref name="packsFolder"/> that looks like a pack.</summary>
    public static IReadOnlyList<string> PackFoldersIn(string packsFolder) =>
        Directory.Exists(packsFolder)
            ? Directory.GetDirectories(packsFolder).Where(d => Directory.Exists(LibFolder(d))).Order(StringComparer.Ordinal).ToList()
            : [];

    public static string LibFolder(string packFolder) => Path.Combine(packFolder, "lib", TargetFramework);

    /// <summary>
    /// The pack id of a folder: the nuspec's id when the folder was extracted from a package, else
    /// the folder name (or its parent's, for a {id}/{version} store folder).
    /// </summary>
    public static string PackIdOf(string packFolder)
    {
        var nuspec = Directory.GetFiles(packFolder, "*.nuspec").FirstOrDefault();
        if (nuspec is not null)
        {
            return Path.GetFileNameWithoutExtension(nuspec);
        }

        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(packFolder));
        return NuGetVersionLike(name) ? Path.GetFileName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(packFolder))!) : name;
    }

    private static bool NuGetVersionLike(string name) => name.Length > 0 && char.IsAsciiDigit(name[0]) && name.Contains('.');
}
