using System.Diagnostics;
using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Vendor.Tests;

/// <summary>Tests that read or change the machine's inotify state run one at a time.</summary>
[CollectionDefinition("inotify", DisableParallelization = true)]
public sealed class InotifyCollection;

internal static class Report
{
    public sealed record Found(string RuleId, string Severity, string Message, string? File, int? Line);

    public static IReadOnlyList<Found> Findings(CliResult result)
    {
        using var doc = JsonDocument.Parse(result.Stdout);
        return doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => new Found(
            f.GetProperty("ruleId").GetString()!,
            f.GetProperty("severity").GetString()!,
            f.GetProperty("message").GetString()!,
            f.TryGetProperty("location", out var l) && l.ValueKind == JsonValueKind.Object ? l.GetProperty("file").GetString() : null,
            f.TryGetProperty("location", out var l2) && l2.ValueKind == JsonValueKind.Object && l2.TryGetProperty("line", out var line) && line.ValueKind == JsonValueKind.Number ? line.GetInt32() : null)).ToList();
    }
}

internal static class Machine
{
    /// <summary>Runs a program with a deadline; returns exit code and output (exit -1 when it did not finish).</summary>
    public static (int ExitCode, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                p.Kill(entireProcessTree: true);
                return (-1, "timed out");
            }

            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
