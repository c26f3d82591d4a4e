namespace GoBuildRules.Core.Fixing;

/// <param name="Restored">Paths put back exactly as they were before the run.</param>
/// <param name="Refused">Paths left alone, each with why: the user changed them after the fix.</param>
public sealed record UndoResult(IReadOnlyList<string> Restored, IReadOnlyList<string> Refused);

/// <summary>
/// Puts back what one `fix --apply` run changed, newest change first: backed-up files and folders
/// get their original bytes and modes (or are removed again when they did not exist), moved-aside
/// cache entries return to their place (replacing what go downloaded since), and the GOENV file is
/// one of the backed-up files, so every `go env` value is the one before. A path that differs from
/// what the run left is refused, not overwritten: the user changed it since.
/// </summary>
public static class FixUndo
{
    public static UndoResult Undo(FixJournal journal, CancellationToken ct)
    {
        var restored = new List<string>();
        var refused = new List<string>();
        foreach (var backup in Enumerable.Reverse(journal.Record.Backups))
        {
            ct.ThrowIfCancellationRequested();
            var (kind, files) = journal.ReadState(backup.Path, copy: false);
            if (kind == backup.Kind && FileState.SameContent(files, backup.Files) && files.Select(f => f.Mode).SequenceEqual(backup.Files.Select(f => f.Mode)))
            {
                // As it was before the run: unchanged by the fix, or put back by an earlier, partial undo.
                continue;
            }

            // No after-state: the run was cut short inside the fix that first touched this path; restore it.
            if (backup.AfterKind is { } afterKind && (kind != afterKind || !FileState.SameContent(files, backup.After ?? [])))
            {
                refused.Add($"{backup.Path}: changed since the fix ({Describe(kind, files)}, the fix left {Describe(afterKind, backup.After ?? [])}); left as it is");
                continue;
            }

            try
            {
                Restore(journal, backup);
                restored.Add(backup.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // One path that cannot be put back (a full disk, a lost journal copy) must not stop the others.
                refused.Add($"{backup.Path}: could not be put back ({e.Message}); the journal keeps what it has, `fix --undo` can be run again");
            }
        }

        foreach (var aside in Enumerable.Reverse(journal.Record.Aside))
        {
            ct.ThrowIfCancellationRequested();
            var stored = Path.Combine(journal.Folder, aside.Stored);
            if (!Path.Exists(stored) && Path.Exists(aside.Path))
            {
                // Moved back by an earlier, partial undo.
                continue;
            }

            if (!Path.Exists(stored))
            {
                refused.Add($"{aside.Path}: its moved-aside copy {stored} is gone; left as it is");
                continue;
            }

            // What is there now is what go downloaded after the fix removed the entry: go can fetch it again.
            PathMoves.Delete(aside.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(aside.Path)!);
            PathMoves.Move(stored, aside.Path, aside.IsDirectory);
            Modes.Set(aside.Path, aside.Mode);
            restored.Add(aside.Path);
        }

        journal.Record.State = refused.Count == 0 ? "undone" : "partly undone";
        journal.Save();
        return new UndoResult(restored, refused);
    }

    private static string Describe(PathKind kind, IReadOnlyList<FileState> files) => kind switch
    {
        PathKind.Absent => "missing",
        PathKind.File => $"sha256 {files[0].Sha256[..12]}…",
        _ => $"a folder of {files.Count} files",
    };

    private static void Restore(FixJournal journal, BackedUpPath backup)
    {
        switch (backup.Kind)
        {
            case PathKind.Absent:
                PathMoves.Delete(backup.Path);
                break;
            case PathKind.File:
                if (Directory.Exists(backup.Path))
                {
                    PathMoves.Delete(backup.Path);
                }

                Directory.CreateDirectory(Path.GetDirectoryName(backup.Path)!);
                PutBack(journal, backup.Files[0], backup.Path);
                break;
            case PathKind.Directory:
                PathMoves.Delete(backup.Path);
                Directory.CreateDirectory(backup.Path);
                foreach (var file in backup.Files)
                {
                    var target = Path.Combine(backup.Path, file.Relative);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    PutBack(journal, file, target);
                }

                break;
        }
    }

    /// <summary>Copies the saved bytes beside the target, then renames: a reader never sees half a file.</summary>
    private static void PutBack(FixJournal journal, FileState file, string target)
    {
        var temp = Path.Combine(Path.GetDirectoryName(target)!, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.Copy(journal.CopyPath(file), temp);
            Modes.Set(temp, file.Mode);
            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            // A full disk or a vanished journal copy must not leave a stray file in the user's folder.
            File.Delete(temp);
            throw;
        }
    }
}
