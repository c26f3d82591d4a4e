using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Collection;

/// <summary>
/// Names the program a hanging `go env` or `go version` is stuck in. go 1.19's `go env` runs CC to
/// work out GOGCCFLAGS, cgo builds run CC and CXX, module fetches run git, #cgo pkg-config lines run
/// pkg-config: a stuck wrapper (ccache, distcc, sccache server) in any of them hangs the go command
/// without a word. When go has not answered after <see cref="SlowAfter"/>, each of these programs is
/// asked for its version under its own short deadline, while the scan's deadline still has room.
/// </summary>
public sealed class HangProber(IProcessRunner processes)
{
    /// <summary>`go env` and `go version` read local files only; a second without an answer (less under a short deadline) is worth a look.</summary>
    public static readonly TimeSpan SlowAfter = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(2);

    /// <summary>Left for the core facts to return after the probes: the deadline given here is the core facts' own share.</summary>
    private static readonly TimeSpan Reserve = TimeSpan.FromMilliseconds(100);

    private static readonly string[] CompilerCaches = ["ccache", "sccache", "distcc", "icecc", "icecream", "buildcache", "cachecc1"];

    /// <param name="subprocesses">The scan's own subprocesses: `go version`, `go env -json` and the tools' `--version`.</param>
    public async Task<HangFacts> WatchAsync(Task subprocesses, IReadOnlyDictionary<string, string> environment, DateTimeOffset deadline, CancellationToken ct)
    {
        // A third of the deadline when that is shorter: under a short deadline the probes still need time to wait.
        var slowAfter = (deadline - DateTimeOffset.UtcNow) / 3;
        slowAfter = slowAfter < SlowAfter ? (slowAfter > TimeSpan.Zero ? slowAfter : TimeSpan.Zero) : SlowAfter;
        if (await Task.WhenAny(subprocesses, Task.Delay(slowAfter, CancellationToken.None)).ConfigureAwait(false) == subprocesses)
        {
            return new HangFacts();
        }

        var trigger = $"`go version`, `go env -json` or a tool's `--version` had not answered after {slowAfter.TotalSeconds:0.0#} s";
        var budget = deadline - DateTimeOffset.UtcNow - Reserve;
        if (budget > ProbeDeadline) budget = ProbeDeadline;
        // Less than half a second would call a healthy program on a busy machine hung.
        if (budget < TimeSpan.FromMilliseconds(500) || ct.IsCancellationRequested)
        {
            return new HangFacts { Trigger = trigger };
        }

        var probes = await Task.WhenAll(Targets(environment).Select(t => ProbeAsync(t, budget, ct))).ConfigureAwait(false);
        return new HangFacts { Trigger = trigger, Probes = probes };
    }

    /// <summary>
    /// The C compiler cmd/go runs, when CC is set (environment or GOENV file) and found, with the arguments
    /// of `CC --version`; null otherwise (the default gcc is among the tools the core asks anyway).
    /// </summary>
    public static (string Path, IReadOnlyList<string> Arguments)? ConfiguredCompiler(IReadOnlyDictionary<string, string> environment) =>
        Targets(environment).FirstOrDefault(t => t.Role == "CC") is { } cc && cc.Source != "the default" ? (cc.Path, cc.Arguments) : null;

    private sealed record Target(string Role, string Path, IReadOnlyList<string> Arguments, string Source, string? Wrapper);

    private static IEnumerable<Target> Targets(IReadOnlyDictionary<string, string> environment)
    {
        var path = environment.GetValueOrDefault("PATH");
        var goEnvFile = GoSettingsReader.ReadEnvFile(environment);

        Target? Setting(string role, string? variable, string fallback, string[] versionArguments)
        {
            var (value, source) = variable is not null && environment.GetValueOrDefault(variable) is { Length: > 0 } v ? (v, $"{variable} in the environment")
                : variable is not null && goEnvFile.Entry(variable)?.Value is { Length: > 0 } f ? (f, $"{variable} in the GOENV file")
                : (fallback, variable is null ? "PATH" : "the default");
            // Like cmd/go, a setting such as CC="ccache gcc" is a program and its first arguments.
            var fields = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || Executables.Find(fields[0], path) is not { IsExecutable: true } found) return null;
            var wrapper = fields.Length > 1 ? fields[0] : null;
            return new Target(role, found.Path, [.. fields.Skip(1), .. versionArguments], source, wrapper);
        }

        return new[]
        {
            Setting("CC", "CC", "gcc", ["--version"]),
            Setting("CXX", "CXX", "g++", ["--version"]),
            Setting("pkg-config", "PKG_CONFIG", "pkg-config", ["--version"]),
            Setting("git", null, "git", ["--version"]),
            Setting("go", null, "go", ["version"]),
        }.OfType<Target>();
    }

    private async Task<ProgramProbe> ProbeAsync(Target target, TimeSpan budget, CancellationToken ct)
    {
        var result = await processes.RunAsync(new ProcessRequest(target.Path, target.Arguments, budget), ct).ConfigureAwait(false);
        var (kind, shebang, resolved) = Describe(target.Path, target.Wrapper);
        return new ProgramProbe(target.Role, string.Join(' ', [target.Path, .. target.Arguments]), target.Path)
        {
            Hung = result.Outcome == ProcessOutcome.TimedOut,
            DeadlineSeconds = Math.Round(budget.TotalSeconds, 2),
            Seconds = Math.Round(result.Elapsed.TotalSeconds, 2),
            Kind = kind,
            Shebang = shebang,
            ResolvedPath = resolved,
            Source = target.Source,
        };
    }

    /// <summary>What a program is: a compiler cache by name (of the link or its target), a script by its #! line, or an executable.</summary>
    private static (string Kind, string? Shebang, string? Resolved) Describe(string path, string? wrapper)
    {
        string? resolved = null;
        try
        {
            resolved = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
        }
        catch (IOException)
        {
            // A dangling or looping link: describe the path itself.
        }

        var names = new[] { wrapper, Path.GetFileName(path), resolved is null ? null : Path.GetFileName(resolved) };
        if (names.FirstOrDefault(n => n is not null && CompilerCaches.Contains(n, StringComparer.OrdinalIgnoreCase)) is { } cache)
        {
            return ($"{cache} (a compiler cache or distributed compiler)", null, resolved);
        }

        string head;
        try
        {
            using var file = File.OpenRead(resolved ?? path);
            var buffer = new byte[4096];
            var n = file.Read(buffer, 0, buffer.Length);
            head = System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ("executable", null, resolved);
        }

        if (!head.StartsWith("#!", StringComparison.Ordinal))
        {
            return ("executable", null, resolved);
        }

        var shebang = head.Split('\n')[0].TrimEnd('\r');
        var calls = CompilerCaches.FirstOrDefault(c => head.Contains(c, StringComparison.OrdinalIgnoreCase));
        return (calls is null ? "wrapper script" : $"wrapper script that runs {calls}", shebang, resolved);
    }
}
