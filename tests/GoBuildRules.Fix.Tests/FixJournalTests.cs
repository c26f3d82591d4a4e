using GoBuildRules.Core.Fixing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Fix.Tests;

/// <summary>The journal and undo on their own, where a whole run would be slow to set up or to cut short.</summary>
public sealed class FixJournalTests
{
    [Fact]
    public void A_run_cut_short_inside_a_fix_is_still_undone_exactly()
    {
        using var t = new TempFolder("gbfix");
        var file = t.Write("app/go.sum", "a v1 h1:x=\n");
        var created = t.Combine("app", "vendor");
        var journal = FixJournal.Create(t.Combine("home"), t.Combine("app"), DateTimeOffset.UtcNow);
        journal.BackUp(file);
        journal.BackUp(created);
        File.AppendAllText(file, "b v1 h1:y=\n");
        t.Write("app/vendor/modules.txt", "# b v1\n");
        // No RecordAfter: the process died inside the fix.

        var reopened = FixJournal.Open(t.Combine("home"), null)!;
        Assert.Equal("applying", reopened.Record.State);
        var result = FixUndo.Undo(reopened, CancellationToken.None);

        Assert.Empty(result.Refused);
        Assert.Equal("a v1 h1:x=\n", File.ReadAllText(file));
        Assert.False(Directory.Exists(created));
        Assert.Null(FixJournal.Open(t.Combine("home"), null));
    }

    [Fact]
    public void A_file_that_cannot_be_put_back_is_refused_leaves_no_temporary_file_and_the_others_are_restored()
    {
        using var t = new TempFolder("gbfix");
        var sum = t.Write("app/go.sum", "one\n");
        var mod = t.Write("app/go.mod", "module m\n");
        var journal = FixJournal.Create(t.Combine("home"), t.Combine("app"), DateTimeOffset.UtcNow);
        journal.BackUp(sum);
        journal.BackUp(mod);
        File.WriteAllText(sum, "two\n");
        File.WriteAllText(mod, "module m\n\ngo 1.19\n");
        journal.RecordAfter();
        var lost = journal.Record.Backups.Single(b => b.Path == sum).Files[0];
        File.Delete(journal.CopyPath(lost));

        var result = FixUndo.Undo(FixJournal.Open(t.Combine("home"), null)!, CancellationToken.None);

        Assert.Equal([mod], result.Restored);
        Assert.Contains(result.Refused, r => r.StartsWith(sum + ": could not be put back", StringComparison.Ordinal));
        Assert.Equal("module m\n", File.ReadAllText(mod));
        Assert.Equal("two\n", File.ReadAllText(sum));
        Assert.Equal(["go.mod", "go.sum"], Directory.GetFiles(t.Combine("app")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_partly_undone_run_finishes_on_the_second_undo_without_touching_what_was_restored()
    {
        using var t = new TempFolder("gbfix");
        var sum = t.Write("app/go.sum", "one\n");
        var mod = t.Write("app/go.mod", "module m\n");
        var journal = FixJournal.Create(t.Combine("home"), t.Combine("app"), DateTimeOffset.UtcNow);
        journal.BackUp(sum);
        journal.BackUp(mod);
        File.WriteAllText(sum, "two\n");
        File.WriteAllText(mod, "module m\n\ngo 1.19\n");
        journal.RecordAfter();
        File.WriteAllText(mod, "module m // edited by hand\n");

        var first = FixUndo.Undo(FixJournal.Open(t.Combine("home"), null)!, CancellationToken.None);
        Assert.Equal([sum], first.Restored);
        Assert.Contains(first.Refused, r => r.StartsWith(mod + ": changed since the fix", StringComparison.Ordinal));
        Assert.Equal("one\n", File.ReadAllText(sum));

        // The user puts go.mod back as the fix left it; the second undo restores only go.mod.
        File.WriteAllText(mod, "module m\n\ngo 1.19\n");
        var second = FixUndo.Undo(FixJournal.Open(t.Combine("home"), null)!, CancellationToken.None);
        Assert.Equal([mod], second.Restored);
        Assert.Empty(second.Refused);
        Assert.Equal("module m\n", File.ReadAllText(mod));
        Assert.Equal("one\n", File.ReadAllText(sum));
    }

    [Fact]
    public void A_read_only_tree_moved_aside_comes_back_with_its_modes_replacing_what_was_put_there_since()
    {
        using var t = new TempFolder("gbfix");
        var tree = t.Combine("mod", "example.com", "lib@v1.0.0");
        t.Write("mod/example.com/lib@v1.0.0/lib.go", "package lib\n");
        File.SetUnixFileMode(Path.Combine(tree, "lib.go"), UnixFileMode.UserRead);
        File.SetUnixFileMode(tree, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var journal = FixJournal.Create(t.Combine("home"), t.Path, DateTimeOffset.UtcNow);

        journal.MoveAside(tree);
        Assert.False(Directory.Exists(tree));
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "lib.go"), "package lib // fresh download\n");
        File.SetUnixFileMode(tree, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        journal.RecordAfter();

        var result = FixUndo.Undo(journal, CancellationToken.None);
        Assert.Equal([tree], result.Restored);
        Assert.Equal("package lib\n", File.ReadAllText(Path.Combine(tree, "lib.go")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserExecute, File.GetUnixFileMode(tree));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(Path.Combine(tree, "lib.go")));
    }
}
