using System.Diagnostics;
using System.Security.Cryptography;
using GoBuildRules.Tests.Shared;

[assembly: CollectionBehavior(MaxParallelThreads = 4)]

namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// Runs the real built tool the way a user's shell does (through `sh -c`, so streams can be
/// closed or pointed at devices) and checks what every hardening case promises: the exit code,
/// one line on stderr, no stack trace, no byte of any pre-existing file changed and no process
/// left behind. Wall time is bounded by the harness timeout only; nothing asserts on timings.
/// </summary>
public static class Harness
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <param name="redirections">Shell redirections applied to the tool, e.g. "2>&amp;-" or ">/dev/full".</param>
    public static CliResult Run(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment = null, string redirections = "", TimeSpan? timeout = null)
    {
        using var p = Start(args, workingDirectory, environment, redirections, out var mark);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var sw = Stopwatch.StartNew();
        if (!p.WaitForExit(timeout ?? Timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"gobuildrules {string.Join(' ', args)} {redirections} did not exit within {(timeout ?? Timeout).TotalSeconds} s");
        }

        p.WaitForExit();
        var result = new CliResult(p.ExitCode, stdout.Result, stderr.Result, sw.Elapsed);
        AssertNothingLeftBehind(mark, result);
        return result;
    }

    /// <summary>Starts the tool (exec'd by sh, so the process is the tool itself and can be signalled).</summary>
    public static Process Start(IReadOnlyList<string> args, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string redirections, out string mark)
    {
        var psi = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"exec \"$0\" \"$@\" {redirections}");
        psi.ArgumentList.Add(DotnetHost);
        psi.ArgumentList.Add(Cli.ToolAssembly);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        mark = Guid.NewGuid().ToString("N");
        psi.Environment["GBR_HARDENING_MARK"] = mark;
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["GOPROXY"] = "off";
        psi.Environment["GOSUMDB"] = "off";
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        var p = Process.Start(psi)!;
        p.StandardInput.Close();
        return p;
    }

    public static string DotnetHost { get; } = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";

    /// <summary>Processes still carrying the run's mark in their environment (the tool, a go it started, a grandchild).</summary>
    public static IReadOnlyList<int> Survivors(string mark)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var environ = File.ReadAllText(Path.Combine(dir, "environ"));
                if (environ.Contains("GBR_HARDENING_MARK=" + mark, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }

    public static void AssertNothingLeftBehind(string mark, CliResult result)
    {
        // A killed child is reaped by init a moment later.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        IReadOnlyList<int> left;
        while ((left = Survivors(mark)).Count > 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        if (left.Count > 0)
        {
            foreach (var pid in left)
            {
                try { Process.GetProcessById(pid).Kill(entireProcessTree: true); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
            }
        }

        Assert.True(left.Count == 0, $"processes left behind: {string.Join(", ", left)}\n{result}");
    }

    /// <summary>The one-line error every bad input gets: the code, one line on stderr naming the problem, no stack trace.</summary>
    public static void AssertCleanError(CliResult r, int exitCode, string fragment)
    {
        Assert.True(r.ExitCode == exitCode, $"expected exit {exitCode}\n{r}");
        AssertNoStackTrace(r);
        var lines = r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr\n{r}");
        Assert.Contains(fragment, lines[0], StringComparison.OrdinalIgnoreCase);
    }

    public static void AssertNoStackTrace(CliResult r)
    {
        var all = r.Stdout + r.Stderr;
        Assert.DoesNotContain("   at ", all);
        Assert.DoesNotContain("Unhandled exception", all);
        Assert.DoesNotContain("internal error", all);
    }

    /// <summary>SHA-256 of every file below a folder, by relative path.</summary>
    public static IReadOnlyDictionary<string, string> Hashes(string folder)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            if (!GoBuildRules.Core.IO.RegularFile.Is(file))
            {
                continue;
            }

            using var stream = File.OpenRead(file);
            result[Path.GetRelativePath(folder, file)] = Convert.ToHexString(SHA256.HashData(stream));
        }

        return result;
    }

    /// <summary>Every file that existed before is byte for byte the same, and no other file appeared (but below home/, the private HOME of the run).</summary>
    public static void AssertUnchanged(IReadOnlyDictionary<string, string> before, string folder, CliResult r)
    {
        var after = Hashes(folder);
        var changed = before.Where(b => !after.TryGetValue(b.Key, out var h) || h != b.Value).Select(b => b.Key)
            .Concat(after.Keys.Where(k => !before.ContainsKey(k) && !k.StartsWith("home" + Path.DirectorySeparatorChar, StringComparison.Ordinal)).Select(k => k + " (new)"))
            .ToList();
        Assert.True(changed.Count == 0, $"files changed: {string.Join(", ", changed)}\n{r}");
    }
}
