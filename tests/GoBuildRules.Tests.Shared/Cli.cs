using System.Diagnostics;
using GoBuildRules.Testing;

namespace GoBuildRules.Tests.Shared;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:0.00} s\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the real gobuildrules, as built from src/GoBuildRules.Cli, in a child process.</summary>
public static class Cli
{
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ToolDirectory => Path.Combine(RepoPaths.Root(), "src", "GoBuildRules.Cli", "bin", Configuration, "net10.0");

    public static string ToolAssembly => Path.Combine(ToolDirectory, "gobuildrules.dll");

    /// <param name="environment">
    /// Variables to set; a null value removes one. NO_COLOR is always set, and unless the caller
    /// sets them GOPROXY and GOSUMDB are "off": a test never probes a public endpoint, only the
    /// loopback servers it starts itself.
    /// </param>
    /// <summary>The variable the network collector honours (GoBuildRules.Rules.Network NetworkCollector.LoopbackOnlyVariable).</summary>
    public const string LoopbackOnlyVariable = "GOBUILDRULES_TEST_LOOPBACK_ONLY";

    /// <param name="launcher">A command the tool is started through (e.g. `unshare -m … sh -c …`), the tool's own command line appended.</param>
    public static CliResult Run(IEnumerable<string> args, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, IReadOnlyList<string>? launcher = null)
    {
        var psi = new ProcessStartInfo(launcher is { Count: > 0 } ? launcher[0] : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        if (launcher is { Count: > 0 })
        {
            foreach (var a in launcher.Skip(1))
            {
                psi.ArgumentList.Add(a);
            }

            psi.ArgumentList.Add("dotnet");
        }

        psi.ArgumentList.Add(ToolAssembly);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["GOPROXY"] = "off";
        psi.Environment["GOSUMDB"] = "off";
        // Test-wide guard: the network pack refuses to probe anything off this machine and says so in
        // the scan's notifications; a run that needed it fails the test below.
        psi.Environment[LoopbackOnlyVariable] = "1";
        foreach (var (k, v) in environment ?? new Dictionary<string, string?>())
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"gobuildrules {string.Join(' ', args)} did not exit within {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s");
        }

        p.WaitForExit();
        if ((stdout.Result + stderr.Result).Contains(LoopbackOnlyVariable + "=1: refusing", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"gobuildrules {string.Join(' ', args)} would have reached a public endpoint:\n{stdout.Result}\n{stderr.Result}");
        }

        return new CliResult(p.ExitCode, stdout.Result, stderr.Result, sw.Elapsed);
    }

    public static CliResult Run(params string[] args) => Run((IEnumerable<string>)args);
}

/// <summary>
/// Rules that read what other processes do at this very moment (go/git/gopls using the caches,
/// inotify watches in use). Two collections taken seconds apart may rightly differ on them, so
/// tests that compare a live scan with the replay of another snapshot leave them out.
/// </summary>
public static class LiveStateRules
{
    public static readonly IReadOnlySet<string> Ids = new HashSet<string>(StringComparer.Ordinal) { "GBMOD008", "GBVND001", "GBVND002" };
}
