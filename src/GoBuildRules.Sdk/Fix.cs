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

    public static Fix Run(string title, string command, string risk) =>
        new(FixKind.Command, title, risk) { Command = command };

    public static Fix GoEnvWrite(string variable, string value, string title, string risk) =>
        new(FixKind.GoEnv, title, risk) { Command = $"go env -w {variable}={ShellQuote(value)}" };

    public static Fix GoEnvUnset(string variable, string title, string risk) =>
        new(FixKind.GoEnv, title, risk) { Command = $"go env -u {variable}" };

    public static Fix EditFile(string file, string edit, string title, string risk) =>
        new(FixKind.FileEdit, title, risk) { File = file, Edit = edit };

    /// <summary>One POSIX shell word: left bare when it is plainly safe, else single-quoted.</summary>
    public static string ShellQuote(string value) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:,@=+%".Contains(c))
            ? value
            : "'" + value.Replace("'", "'\\''") + "'";
}
