using Cocona;
using GoBuildRules.Core.Engine;

namespace GoBuildRules.Cli;

/// <summary>
/// Cocona reports its own command-line errors (unknown option, bad value) with exit code 1, which
/// gobuildrules reserves for findings. Commands mark that they ran; any failure before that is a
/// usage error and exits 2, as documented.
/// </summary>
internal static class ExitCodeBridge
{
    public static async Task<int> RunAsync(CoconaApp app, string[] args)
    {
        var invocation = app.Services.GetService(typeof(Invocation)) as Invocation
            ?? throw new InvalidOperationException("Invocation is not registered");
        await app.RunAsync().ConfigureAwait(false);
        var code = Environment.ExitCode;
        if (invocation.CommandRan || code == 0)
        {
            return code;
        }

        // Cocona answers --help with a non-zero code; help that was asked for is a success.
        return args.Any(a => a is "-h" or "--help") ? ExitCodes.Success : ExitCodes.UsageOrConfigError;
    }
}

/// <summary>Per-process record that a command body started (set once, read once at exit).</summary>
public sealed class Invocation
{
    public bool CommandRan { get; private set; }

    public void Started() => CommandRan = true;
}
