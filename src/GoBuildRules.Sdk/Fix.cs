namespace GoBuildRules.Sdk;

public enum FixKind
{
    /// <summary>A shell command to run as is.</summary>
    Command,
    /// <summary>A persistent `go env -w VAR=VALUE` (or `go env -u VAR` when Value is null).</summary>
    GoEnv,
    /// <summary>A change to a file of the repository or of the machine.</summary>
    FileEdit,
}

/// <summary>
/// Whether `gobuildrules fix --apply` may apply a fix. The default is <see cref="Manual"/>: a pack
/// must opt in, and only fixes whose effect is bounded and reversible (a `go env -w`/`-u`, a file
/// edit, one module's cache entry, a go command that rewrites files the tool backs up) qualify.
/// </summary>
public enum FixApplicability
{
    /// <summary>Never applied by the tool: it needs a human choice, or changes something the tool cannot undo or reach (the current shell's environment, a CI file).</summary>
    Manual,
    /// <summary>Applied only when the user names its finding or rule with `fix --only`: it has a cost the user must accept (checksum verification off, the whole module cache downloaded again).</summary>
    OnlyWhenNamed,
    /// <summary>Applied by `fix --apply`: bounded, reversible and undone by `fix --undo`.</summary>
    Automatic,
}

/// <summary>The shell a command fix is written for: POSIX sh, or PowerShell when the snapshot comes from Windows.</summary>
public enum ShellSyntax
{
    Posix,
    PowerShell,
}

/// <summary>
/// A remedy. Every fix says what it risks or costs, so that a reader can pick the safest one;
/// fixes are listed safest first.
/// </summary>
public sealed record Fix(FixKind Kind, string Title, string Risk)
{
    /// <summary>The command line for Command and GoEnv fixes.</summary>
    public string? Command { get; init; }

    /// <summary>For FileEdit: the file to change (repo-relative or absolute) and what to put there.</summary>
    public string? File { get; init; }

    public string? Edit { get; init; }

    /// <summary>The words of a single-command fix, before quoting; null when the command was written as text. Not part of reports: Command is.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string>? Argv { get; init; }

    /// <summary>Whether `gobuildrules fix` may apply this fix; see <see cref="FixApplicability"/>. Manual unless the pack says otherwise.</summary>
    public FixApplicability Applicability { get; init; } = FixApplicability.Manual;

    /// <summary>
    /// A fix that changes a go setting (GoEnv, or an `export`/`unset` for the current shell): the
    /// variable, and the value it gets (null: back to the GOENV file's value or Go's default).
    /// </summary>
    public string? Variable { get; init; }

    public string? Value { get; init; }

    /// <summary>
    /// For an applier: every command of the fix as its words, run in order without a shell, each only
    /// when the one before succeeded; null when the fix is not runnable that way. Not part of reports: Command is.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<IReadOnlyList<string>>? Steps { get; init; }

    /// <summary>Absolute paths the fix deletes before its steps run (a module's cache entry); an applier moves them aside instead, so that they can be put back.</summary>
    public IReadOnlyList<string>? Removes { get; init; }

    /// <summary>Files or folders (relative to the module, or absolute) the fix's steps may rewrite; an applier backs them up first.</summary>
    public IReadOnlyList<string>? Rewrites { get; init; }

    /// <summary>This fix with <paramref name="applicability"/>; the shorthand packs use to opt a fix in.</summary>
    public Fix As(FixApplicability applicability) => this with { Applicability = applicability };

    /// <summary>This fix marked <see cref="FixApplicability.Automatic"/>, rewriting <paramref name="rewrites"/> (backed up by the applier).</summary>
    public Fix Automatic(params string[] rewrites) =>
        this with { Applicability = FixApplicability.Automatic, Rewrites = rewrites.Length == 0 ? Rewrites : [.. Rewrites ?? [], .. rewrites] };

    public static Fix Run(string title, string command, string risk) =>
        new(FixKind.Command, title, risk) { Command = command };

    /// <summary>
    /// A command built from its words, each quoted for <paramref name="shell"/>: values that come
    /// from the user's files (module paths, file names, environment values) can never turn into
    /// live shell syntax when the fix is pasted.
    /// </summary>
    public static Fix Run(string title, IReadOnlyList<string> argv, string risk, ShellSyntax shell = ShellSyntax.Posix) =>
        new(FixKind.Command, title, risk) { Command = CommandLine(argv, shell), Argv = argv, Steps = [argv] };

    /// <summary>Several commands run one after the other, each only when the one before succeeded (`a &amp;&amp; b`).</summary>
    public static Fix RunAll(string title, IReadOnlyList<IReadOnlyList<string>> commands, string risk, ShellSyntax shell = ShellSyntax.Posix) =>
        new(FixKind.Command, title, risk) { Steps = commands, Command = string.Join(shell == ShellSyntax.PowerShell ? "; if ($?) { " : " && ", commands.Select(c => CommandLine(c, shell))) + (shell == ShellSyntax.PowerShell ? string.Concat(Enumerable.Repeat(" }", commands.Count - 1)) : "") };

    public static Fix GoEnvWrite(string variable, string value, string title, string risk) =>
        new(FixKind.GoEnv, title, risk) { Command = $"go env -w {variable}={ShellQuote(value)}", Argv = ["go", "env", "-w", $"{variable}={value}"], Variable = variable, Value = value };

    /// <summary>As <see cref="GoEnvWrite(string, string, string, string)"/>, quoted for the snapshot's shell.</summary>
    public static Fix GoEnvWrite(string variable, string value, string title, string risk, ShellSyntax shell) =>
        shell == ShellSyntax.Posix
            ? GoEnvWrite(variable, value, title, risk)
            : new(FixKind.GoEnv, title, risk) { Command = CommandLine(["go", "env", "-w", $"{variable}={value}"], shell), Argv = ["go", "env", "-w", $"{variable}={value}"], Variable = variable, Value = value };

    public static Fix GoEnvUnset(string variable, string title, string risk) =>
        new(FixKind.GoEnv, title, risk) { Command = $"go env -u {variable}", Argv = ["go", "env", "-u", variable], Variable = variable };

    public static Fix EditFile(string file, string edit, string title, string risk) =>
        new(FixKind.FileEdit, title, risk) { File = file, Edit = edit };

    /// <summary>One POSIX shell word: left bare when it is plainly safe, else single-quoted.</summary>
    internal static string ShellQuote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:,@=+%".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''") + "'";

    /// <summary>
    /// One PowerShell word: bare when plainly safe, else single-quoted, where PowerShell reads the
    /// typographic quotes (U+2018 to U+201B) as quotes too, so each is doubled like '.
    /// </summary>
    internal static string PowerShellQuote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+%".Contains(c)) && value[0] != '-'
            ? value
            : "'" + string.Concat(value.Select(c => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B' ? new string(c, 2) : c.ToString())) + "'";

    internal static string Quote(string value, ShellSyntax shell) =>
        shell == ShellSyntax.PowerShell ? PowerShellQuote(value) : ShellQuote(value);

    /// <summary>The words as one command line; in PowerShell a quoted program name needs the call operator.</summary>
    internal static string CommandLine(IReadOnlyList<string> argv, ShellSyntax shell)
    {
        var words = argv.Select(a => Quote(a, shell)).ToList();
        if (shell == ShellSyntax.PowerShell && words.Count > 0 && words[0].StartsWith('\''))
        {
            words[0] = "& " + words[0];
        }

        return string.Join(' ', words);
    }

    /// <summary>The shell a user of the scanned machine pastes into.</summary>
    public static ShellSyntax ShellFor(Snapshot snapshot) =>
        string.Equals(snapshot.Host.Os, "windows", StringComparison.OrdinalIgnoreCase) ? ShellSyntax.PowerShell : ShellSyntax.Posix;
}
