namespace GoBuildRules.Cli;

/// <summary>Where the CLI writes: reports to stdout or a file, errors as one line on stderr.</summary>
public sealed class Output
{
    public bool ColorEnabled =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")) && !Console.IsOutputRedirected
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    /// <summary>A progress line (rewritten in place) on a terminal; nothing when stderr is redirected.</summary>
    public IProgress<string>? Progress() =>
        Console.IsErrorRedirected || Environment.GetEnvironmentVariable("TERM") == "dumb" ? null : new TerminalProgress();

    private sealed class TerminalProgress : IProgress<string>
    {
        public void Report(string value)
        {
            int width;
            try
            {
                // 0 when the terminal does not say; then a classic 80 columns.
                var columns = Console.BufferWidth;
                width = columns > 20 ? columns - 1 : 79;
            }
            catch (IOException)
            {
                width = 79;
            }

            var line = value.Length > width ? value[..width] : value;
            Console.Error.Write("\r" + line.PadRight(width) + (value.EndsWith("done", StringComparison.Ordinal) ? "\n" : ""));
        }
    }

    public void Error(string message) => Console.Error.WriteLine($"gobuildrules: error: {message}");

    public void Warning(string message) => Console.Error.WriteLine($"gobuildrules: warning: {message}");

    /// <summary>A line for the person or CI log watching the run, never mixed into a report on stdout.</summary>
    public void Info(string line) => Console.Error.WriteLine(line);

    /// <summary>One report to standard output or, atomically, to a file.</summary>
    public void Write(string text, string? file)
    {
        var target = AtomicOutputs.Check([file]);
        AtomicOutputs.Commit(this, [(target[0], text)], CancellationToken.None);
    }

    /// <summary>Standard output never throws (see StandardStreams): a closed or full stdout loses the text, not the exit code.</summary>
    public void WriteStdout(string text)
    {
        Console.Out.Write(text);
        Console.Out.Flush();
    }
}
