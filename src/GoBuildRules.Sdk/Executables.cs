namespace GoBuildRules.Sdk;

/// <summary>Finds programs the way a shell does, for collectors that must say whether CC, git… can run.</summary>
internal static class Executables
{
    /// <summary>
    /// Resolves a command name (or path) against PATH. Returns the full path and whether it can be
    /// executed; null when nothing by that name exists.
    /// </summary>
    public static (string Path, bool IsExecutable)? Find(string command, string? pathVariable)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            return null;
        }

        if (command.Contains('/') || (OperatingSystem.IsWindows() && command.Contains('\\')))
        {
            return File.Exists(command) ? (System.IO.Path.GetFullPath(command), IsExecutable(command)) : null;
        }

        (string, bool)? nonExecutable = null;
        foreach (var dir in (pathVariable ?? "").Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var name in CandidateNames(command))
            {
                var candidate = System.IO.Path.Combine(dir, name);
                if (!File.Exists(candidate))
                {
                    continue;
                }

                if (IsExecutable(candidate))
                {
                    return (candidate, true);
                }

                nonExecutable ??= (candidate, false);
            }
        }

        return nonExecutable;
    }

    /// <summary>Splits a CC / CXX value into program and arguments, honouring quotes as cmd/go does.</summary>
    public static IReadOnlyList<string> SplitCommandLine(string value)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        var inField = false;
        foreach (var c in value)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inField = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inField)
                {
                    fields.Add(current.ToString());
                    current.Clear();
                    inField = false;
                }
            }
            else
            {
                current.Append(c);
                inField = true;
            }
        }

        if (inField)
        {
            fields.Add(current.ToString());
        }

        return fields;
    }

    private static IEnumerable<string> CandidateNames(string command)
    {
        yield return command;
        if (OperatingSystem.IsWindows() && !System.IO.Path.HasExtension(command))
        {
            yield return command + ".exe";
            yield return command + ".cmd";
            yield return command + ".bat";
        }
    }

    private static bool IsExecutable(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        try
        {
            var mode = File.GetUnixFileMode(path);
            return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0
                && !Directory.Exists(path);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
