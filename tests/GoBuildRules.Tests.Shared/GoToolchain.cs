using System.Diagnostics;
using GoBuildRules.Sdk;

namespace GoBuildRules.Tests.Shared;

/// <summary>The real go binary. Tests that need it fail (not skip) when it is missing: CI installs it.</summary>
public static class GoToolchain
{
    public static string Path =>
        Executables.Find("go", Environment.GetEnvironmentVariable("PATH"))?.Path
        ?? throw new InvalidOperationException("these tests need the go command on PATH (Debian: apt-get install golang-go)");

    public sealed record GoResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
    {
        public string Output => Stdout + Stderr;
    }

    /// <summary>Runs go with a hard deadline, with the environment changed as given (a null value removes a variable).</summary>
    public static GoResult Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] args) =>
        RunThrough([], workingDirectory, environment, timeout, args);

    /// <summary>Runs go through a launcher (a <see cref="MountNamespace"/> one), the go command line appended to it.</summary>
    public static GoResult RunThrough(IReadOnlyList<string> launcher, string workingDirectory, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        var command = launcher.Append(Path).Concat(args).ToList();
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            return new GoResult(-1, stdout.Result, stderr.Result, true);
        }

        p.WaitForExit();
        return new GoResult(p.ExitCode, stdout.Result, stderr.Result, false);
    }
}
