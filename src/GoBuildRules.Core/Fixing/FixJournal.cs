using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using GoBuildRules.Core.IO;

namespace GoBuildRules.Core.Fixing;

/// <summary>One file as it was: its path relative to the backed-up path ("" for a file), hash, mode and the name of its copy in the journal.</summary>
public sealed record FileState(string Relative, string Sha256, int Mode, string? Copy)
{
    /// <summary>The same files with the same bytes, in the same order (modes not compared).</summary>
    public static bool SameContent(IReadOnlyList<FileState> a, IReadOnlyList<FileState> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Relative == p.Second.Relative && p.First.Sha256 == p.Second.Sha256);
}

public enum PathKind
{
    Absent,
    File,
    Directory,
}

/// <summary>A path a fix may rewrite: its state before the first fix touched it, and after the run (undo refuses when it changed since).</summary>
public sealed record BackedUpPath(string Path, PathKind Kind, IReadOnlyList<FileState> Files)
{
    public PathKind? AfterKind { get; init; }

    public IReadOnlyList<FileState>? After { get; init; }
}

/// <summary>A path a fix removed: moved into the journal under <see cref="Stored"/>, with its mode, not deleted.</summary>
public sealed record AsidePath(string Path, string Stored, bool IsDirectory, int Mode);

/// <summary>A go setting a fix changed: its value and source before, and the value go reported after.</summary>
public sealed record GoEnvChange(string Variable, string? Before, string Source, string? Requested, string? After);

/// <summary>What happened to one planned fix.</summary>
public sealed record AppliedFix(int Number, string RuleId, string Subject, string Fingerprint, string Title, string Command)
{
    /// <summary>applied, failed, skipped (declined at the prompt), or same-as.</summary>
    public string Outcome { get; set; } = "pending";

    public string? Message { get; set; }
}

public sealed record JournalRecord(string Id, DateTimeOffset Started, string ModuleRoot)
{
    /// <summary>applying (a run that did not finish), applied, undone, or partly undone.</summary>
    public string State { get; set; } = "applying";

    public List<AppliedFix> Fixes { get; init; } = [];

    public List<BackedUpPath> Backups { get; init; } = [];

    public List<AsidePath> Aside { get; init; } = [];

    public List<GoEnvChange> GoEnv { get; init; } = [];
}

/// <summary>
/// The undo journal of one `fix --apply` run: {GOBUILDRULES_HOME}/fix/{id}/journal.json (written
/// atomically after every change, so a run cut short can still be undone), the original bytes of
/// every file a fix rewrote (files/), and every removed path moved aside (aside/). Private to the
/// user (0700): GOENV files and go.sum are copied into it.
/// </summary>
public sealed class FixJournal
{
    public const string FileName = "journal.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private int copies;

    private FixJournal(string folder, JournalRecord record)
    {
        Folder = folder;
        Record = record;
        copies = record.Backups.Sum(b => b.Files.Count) + record.Aside.Count;
    }

    public string Folder { get; }

    public JournalRecord Record { get; }

    public static string Root(string home) => System.IO.Path.Combine(home, "fix");

    public static FixJournal Create(string home, string moduleRoot, DateTimeOffset now)
    {
        var id = $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
        var folder = System.IO.Path.Combine(Root(home), id);
        Directory.CreateDirectory(Root(home));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var journal = new FixJournal(folder, new JournalRecord(id, now, moduleRoot));
        journal.Save();
        return journal;
    }

    /// <summary>The journal with this id, or the newest one not undone yet when id is null; null when there is none.</summary>
    /// <exception cref="InputFileException">The journal exists but cannot be read.</exception>
    public static FixJournal? Open(string home, string? id)
    {
        var root = Root(home);
        if (!Directory.Exists(root))
        {
            return null;
        }

        if (id is not null)
        {
            if (id.Contains('/') || id.Contains('\\') || id is "." or "..")
            {
                return null;
            }

            var folder = System.IO.Path.Combine(root, id);
            return File.Exists(System.IO.Path.Combine(folder, FileName)) ? Load(folder) : null;
        }

        // Ids start with a UTC timestamp: the newest sorts last.
        return Directory.GetDirectories(root)
            .Where(d => File.Exists(System.IO.Path.Combine(d, FileName)))
            .OrderByDescending(d => System.IO.Path.GetFileName(d), StringComparer.Ordinal)
            .Select(Load)
            .FirstOrDefault(j => j.Record.State is not "undone");
    }

    private static FixJournal Load(string folder)
    {
        var file = System.IO.Path.Combine(folder, FileName);
        try
        {
            var record = JsonSerializer.Deserialize<JournalRecord>(BoundedFile.ReadAllText(file, "undo journal"), Json)
                ?? throw new InputFileException($"undo journal {file} is empty");
            return new FixJournal(folder, record);
        }
        catch (JsonException e)
        {
            throw new InputFileException($"undo journal {file} is not valid: {e.Message}");
        }
    }

    public void Save() =>
        AtomicFile.WriteAllText(System.IO.Path.Combine(Folder, FileName), JsonSerializer.Serialize(Record, Json), "undo journal");

    /// <summary>Records <paramref name="path"/> as it is now, once per run: the first fix that touches it keeps the original.</summary>
    public void BackUp(string path)
    {
        if (Record.Backups.Any(b => b.Path == path))
        {
            return;
        }

        var (kind, files) = ReadState(path, copy: true);
        Record.Backups.Add(new BackedUpPath(path, kind, files));
        Save();
    }

    /// <summary>Moves <paramref name="path"/> into the journal; nothing when it does not exist.</summary>
    public void MoveAside(string path)
    {
        var isDirectory = Directory.Exists(path);
        if (!isDirectory && !File.Exists(path))
        {
            return;
        }

        var stored = System.IO.Path.Combine("aside", (++copies).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(System.IO.Path.Combine(Folder, "aside"));
        var mode = Modes.Get(path);
        PathMoves.Move(path, System.IO.Path.Combine(Folder, stored), isDirectory);
        Record.Aside.Add(new AsidePath(path, stored, isDirectory, mode));
        Save();
    }

    /// <summary>The state of every backed-up path after the run: undo puts back only what nobody changed since.</summary>
    public void RecordAfter()
    {
        for (var i = 0; i < Record.Backups.Count; i++)
        {
            var (kind, files) = ReadState(Record.Backups[i].Path, copy: false);
            Record.Backups[i] = Record.Backups[i] with { AfterKind = kind, After = files };
        }

        Save();
    }

    public string CopyPath(FileState file) => System.IO.Path.Combine(Folder, file.Copy!);

    /// <summary>Kind and files of a path; with <paramref name="copy"/> each file's bytes are copied into the journal.</summary>
    public (PathKind Kind, IReadOnlyList<FileState> Files) ReadState(string path, bool copy)
    {
        if (File.Exists(path))
        {
            return (PathKind.File, [Capture(path, "", copy)]);
        }

        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Order(StringComparer.Ordinal)
                .Select(f => Capture(f, System.IO.Path.GetRelativePath(path, f), copy))
                .ToList();
            return (PathKind.Directory, files);
        }

        return (PathKind.Absent, []);
    }

    private FileState Capture(string file, string relative, bool copy)
    {
        string? stored = null;
        if (copy)
        {
            stored = System.IO.Path.Combine("files", (++copies).ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(System.IO.Path.Combine(Folder, "files"));
            File.Copy(file, System.IO.Path.Combine(Folder, stored));
        }

        return new FileState(relative, Sha256(file), Modes.Get(file), stored);
    }

    public static string Sha256(string file)
    {
        using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>Moving and deleting trees the go command made read-only (module cache entries are 0555/0444).</summary>
internal static class PathMoves
{
    private const UnixFileMode OwnerWrite = UnixFileMode.UserWrite;

    /// <summary>A rename when both sides share a filesystem; otherwise a copy (modes kept) and a delete.</summary>
    public static void Move(string from, string to, bool isDirectory)
    {
        if (!isDirectory)
        {
            try
            {
                File.Move(from, to);
            }
            catch (IOException)
            {
                File.Copy(from, to);
                Modes.Set(to, Modes.Get(from));
                File.Delete(from);
            }

            return;
        }

        // Renaming a directory to another parent rewrites its "..": it needs write permission on the directory itself.
        var mode = Modes.Get(from);
        Modes.Set(from, mode | (int)OwnerWrite);
        try
        {
            Directory.Move(from, to);
        }
        catch (IOException)
        {
            CopyTree(from, to);
            Delete(from);
        }

        Modes.Set(to, mode);
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.GetDirectories(from))
        {
            CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
            Modes.Set(Path.Combine(to, Path.GetFileName(dir)), Modes.Get(dir));
        }

        foreach (var file in Directory.GetFiles(from))
        {
            var target = Path.Combine(to, Path.GetFileName(file));
            File.Copy(file, target);
            Modes.Set(target, Modes.Get(file));
        }
    }

    /// <summary>Deletes a file or a whole tree, making read-only folders writable first.</summary>
    public static void Delete(string path)
    {
        if (File.Exists(path) && !Directory.Exists(path))
        {
            File.Delete(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            return;
        }

        MakeWritable(path);
        Directory.Delete(path, recursive: true);
    }

    private static void MakeWritable(string dir)
    {
        Modes.Set(dir, Modes.Get(dir) | (int)(OwnerWrite | UnixFileMode.UserExecute | UnixFileMode.UserRead));
        foreach (var sub in Directory.GetDirectories(dir))
        {
            if (!new FileInfo(sub).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                MakeWritable(sub);
            }
        }
    }
}

/// <summary>Unix file modes, kept so that undo restores them; Windows has none to keep.</summary>
internal static class Modes
{
    public static int Get(string path) => OperatingSystem.IsWindows() ? 0 : (int)File.GetUnixFileMode(path);

    public static void Set(string path, int mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)mode);
        }
    }
}
