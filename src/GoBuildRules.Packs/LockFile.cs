using System.Text.Json;
using System.Text.Json.Serialization;

namespace GoBuildRules.Packs;

/// <summary>
/// gobuildrules.lock.json beside gobuildrules.json: the exact version and the SHA-512 of the
/// package of every pack (and of the packages it brought along). A package whose bytes differ
/// from the lock is refused, so every machine runs the rules the team reviewed.
/// </summary>
public sealed record LockFile
{
    public const string FileName = "gobuildrules.lock.json";
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    public IReadOnlyList<LockedPack> Packs { get; init; } = [];

    public LockedPack? Find(string id) => Packs.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase));

    public LockFile With(LockedPack pack) =>
        this with { Packs = Packs.Where(p => !string.Equals(p.Id, pack.Id, StringComparison.OrdinalIgnoreCase)).Append(pack).OrderBy(p => p.Id, StringComparer.OrdinalIgnoreCase).ToList() };

    public LockFile Without(string id) =>
        this with { Packs = Packs.Where(p => !string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)).ToList() };

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Base64 hashes stay readable ('+' not escaped); the file is never embedded in HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string PathIn(string root) => System.IO.Path.Combine(root, FileName);

    /// <summary>The lock of <paramref name="root"/>, or an empty one when there is no file.</summary>
    public static LockFile Load(string root)
    {
        var file = PathIn(root);
        if (!File.Exists(file) && !Directory.Exists(file))
        {
            return new LockFile();
        }

        try
        {
            var text = Core.IO.BoundedFile.ReadAllText(file, "lock file", maxBytes: 4 * 1024 * 1024);
            var lockFile = JsonSerializer.Deserialize<LockFile>(text, Options) ?? new LockFile();
            if (lockFile.Version != CurrentVersion)
            {
                throw new PackException($"{file}: lock file version {lockFile.Version} is not supported (this tool reads version {CurrentVersion})");
            }

            return lockFile;
        }
        catch (Core.IO.InputFileException e)
        {
            throw new PackException(e.Message);
        }
        catch (JsonException e)
        {
            throw new PackException($"{file} is not a valid lock file: {e.Message.Split(" Path:")[0]}");
        }
    }

    /// <summary>Writes the lock atomically; only the commands that change packs call it, under <see cref="RepositoryLock"/>.</summary>
    public void Save(string root)
    {
        try
        {
            Core.IO.AtomicFile.WriteAllText(PathIn(root), JsonSerializer.Serialize(this, Options) + "\n", "lock file");
        }
        catch (Core.IO.InputFileException e)
        {
            throw new PackException(e.Message);
        }
    }

    /// <summary>What differs from <paramref name="before"/>, one phrase per pack ("added X 1.0", "X 1.0 -> 1.1", "removed X").</summary>
    public IReadOnlyList<string> ChangesFrom(LockFile before)
    {
        var changes = new List<string>();
        foreach (var pack in Packs)
        {
            var old = before.Find(pack.Id);
            if (old is null)
            {
                changes.Add($"added {pack.Id} {pack.Version}");
            }
            else if (old.Version != pack.Version || old.Sha512 != pack.Sha512)
            {
                changes.Add(old.Version != pack.Version ? $"{pack.Id} {old.Version} -> {pack.Version}" : $"{pack.Id} {pack.Version} re-hashed");
            }
        }

        changes.AddRange(before.Packs.Where(p => Find(p.Id) is null).Select(p => $"removed {p.Id}"));
        return changes;
    }
}

/// <param name="Sha512">Base64 SHA-512 of the .nupkg file, as NuGet writes it in .nupkg.sha512.</param>
/// <param name="Source">The feed it came from, informational.</param>
public sealed record LockedPack(string Id, string Version, string Sha512, string? Source, IReadOnlyList<LockedPackage> Dependencies);

public sealed record LockedPackage(string Id, string Version, string Sha512);
