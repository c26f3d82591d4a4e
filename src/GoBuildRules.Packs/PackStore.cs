using System.Text.Json;
using GoBuildRules.Core.Packs;

namespace GoBuildRules.Packs;

/// <summary>
/// The tool's own pack store, {GOBUILDRULES_HOME}/packs/{id}/{version}/ (id lower-cased as in the
/// NuGet global packages folder), each folder the layout of an extracted package that PackHost
/// loads. A folder counts as installed only once its marker file exists: installs extract into
/// packs/.tmp, verify, write the marker and then rename, so a killed install leaves nothing that
/// looks usable.
/// </summary>
public sealed class PackStore(string home)
{
    public const string HomeVariable = "GOBUILDRULES_HOME";
    public const string MarkerFile = ".gobuildrules-pack.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Home { get; } = Path.GetFullPath(home);

    public string PacksRoot => Path.Combine(Home, "packs");

    /// <summary>Scratch space inside the store, so nothing of an unverified package lands elsewhere.</summary>
    public string TempRoot => Path.Combine(PacksRoot, ".tmp");

    /// <summary>Why GOBUILDRULES_HOME cannot be used, or null: a relative path would put the store wherever the tool runs, usually inside the repository.</summary>
    public static string? InvalidHome()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        return string.IsNullOrWhiteSpace(home) || Path.IsPathFullyQualified(home)
            ? null
            : $"{HomeVariable}={home} is a relative path; give an absolute one (the pack store would otherwise land inside whatever folder the tool runs in)";
    }

    /// <summary>GOBUILDRULES_HOME, else ~/.gobuildrules.</summary>
    public static PackStore Default()
    {
        var home = Environment.GetEnvironmentVariable(HomeVariable);
        return new PackStore(string.IsNullOrWhiteSpace(home)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".gobuildrules")
            : home);
    }

    public string FolderOf(string id, string version) => Path.Combine(PacksRoot, id.ToLowerInvariant(), version.ToLowerInvariant());

    public StoredPack? Get(string id, string version)
    {
        var folder = FolderOf(id, version);
        return Read(folder);
    }

    public IReadOnlyList<StoredPack> List()
    {
        if (!Directory.Exists(PacksRoot))
        {
            return [];
        }

        return Directory.GetDirectories(PacksRoot)
            .Where(d => !Path.GetFileName(d).StartsWith('.'))
            .SelectMany(Directory.GetDirectories)
            .Select(Read)
            .OfType<StoredPack>()
            .OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ThenBy(p => NuGet.Versioning.NuGetVersion.Parse(p.Version))
            .ToList();
    }

    public bool Remove(string id, string version)
    {
        var folder = FolderOf(id, version);
        if (!Directory.Exists(folder))
        {
            return false;
        }

        // Unmark first: a removal cut short must not leave a half-deleted folder that looks installed.
        File.Delete(Path.Combine(folder, MarkerFile));
        Directory.Delete(folder, recursive: true);
        var parent = Path.GetDirectoryName(folder)!;
        if (Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
        {
            Directory.Delete(parent);
        }

        return true;
    }

    /// <summary>A fresh folder under <see cref="TempRoot"/>; leftovers of killed installs are removed first.</summary>
    public string NewTempFolder()
    {
        Directory.CreateDirectory(TempRoot);
        foreach (var stale in Directory.GetDirectories(TempRoot).Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddHours(-1)))
        {
            TryDelete(stale);
        }

        var folder = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Marks a verified, fully extracted folder and moves it into place, replacing an older copy.</summary>
    public StoredPack Commit(string extracted, StoredPack pack)
    {
        File.WriteAllText(Path.Combine(extracted, MarkerFile), JsonSerializer.Serialize(pack, Json));
        var final = FolderOf(pack.Id, pack.Version);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        if (Directory.Exists(final))
        {
            var old = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
            Directory.Move(final, old);
            TryDelete(old);
        }

        Directory.Move(extracted, final);
        return pack with { Folder = final };
    }

    public static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Scratch space: a leftover is cleaned by a later install.
        }
    }

    private static StoredPack? Read(string folder)
    {
        var marker = Path.Combine(folder, MarkerFile);
        if (!File.Exists(marker) || !Directory.Exists(PackLayout.LibFolder(folder)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StoredPack>(File.ReadAllText(marker), Json) is { } pack ? pack with { Folder = folder } : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What the store knows of one installed pack.</summary>
/// <param name="SdkVersion">The GoBuildRules.Sdk version the pack's assembly references: what it was built against.</param>
public sealed record StoredPack(string Id, string Version, string Sha512, string? Source, string? SdkVersion, IReadOnlyList<LockedPackage> Dependencies, DateTimeOffset InstalledAt)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public string Folder { get; init; } = "";

    public LockedPack ToLocked() => new(Id, Version, Sha512, Source, Dependencies);
}
