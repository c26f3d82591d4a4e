using GoBuildRules.Rules.Cgo.Facts;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Cgo.Collection;

/// <summary>
/// Collects the cgo facts: the C and C++ compilers cmd/go will
/// run (found? runs? which target?), the cross-compilation variables, `xcode-select -p` on macOS,
/// and the module's cgo use from the scan's repository index. Runs beside the other collectors under the scan's
/// deadline; every subprocess has a short timeout of its own.
/// </summary>
public sealed class CgoCollector : ISnapshotCollector<CgoFacts>
{
    /// <summary>It reads the sources and asks the C compiler, never the module cache or the running processes.</summary>
    public bool RunsBeforeGo => false;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    internal static readonly string[] FlagVerbs = ["CFLAGS", "CPPFLAGS", "CXXFLAGS", "FFLAGS", "LDFLAGS"];

    public string Key => CgoPack.PackId;

    public async Task<CgoFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken)
    {
        var core = context.Core;
        var root = context.WorkspaceRoot;
        var walk = Task.Run(() => CgoSources.From(core.Repository, root, cancellationToken), cancellationToken);

        var target = new BuildTarget
        {
            Goos = core.GoEnv("GOOS") ?? core.Env("GOOS") ?? core.Host.Os,
            Goarch = core.GoEnv("GOARCH") ?? core.Env("GOARCH") ?? core.Host.Arch,
            HostGoos = core.GoEnv("GOHOSTOS") ?? core.Host.Os,
            HostGoarch = core.GoEnv("GOHOSTARCH") ?? core.Host.Arch,
        };

        XcodeSelectProbe? xcode = null;
        if (core.Host.Os == "darwin")
        {
            xcode = await ProbeXcodeSelectAsync(context.Processes, cancellationToken).ConfigureAwait(false);
        }

        var path = core.Env("PATH");
        var cc = Resolve("CC", target, core, path);
        var cxx = Resolve("CXX", target, core, path);
        cc = await ProbeAsync(cc, xcode, context.Processes, askTarget: true, cancellationToken).ConfigureAwait(false);
        var sources = await walk.ConfigureAwait(false);

        // CXX only matters to C++ sources: ask it whether it runs only when there are some.
        if (core.Repository.Go.NativeSources.Any(s => s.Kind is FileKinds.Cxx or FileKinds.ObjCxx))
        {
            cxx = await ProbeAsync(cxx, xcode, context.Processes, askTarget: false, cancellationToken).ConfigureAwait(false);
        }

        var facts = new CgoFacts
        {
            Target = target,
            Cc = cc,
            Cxx = cxx,
            CrossCompilerVariables = core.Environment
                .Where(kv => kv.Key.StartsWith("CC_FOR_", StringComparison.Ordinal) || kv.Key.StartsWith("CXX_FOR_", StringComparison.Ordinal))
                .ToDictionary(kv => kv.Key, kv => kv.Value),
            FlagOverrides = FlagOverrides(core),
            XcodeSelect = xcode,
            Sources = sources,
        };

        return facts;
    }

    /// <summary>The compiler cmd/go runs for CC or CXX: `go env`'s value as the host resolved it (<see cref="GoSettings"/>), else cmd/go's default.</summary>
    internal static CompilerProbe Resolve(string variable, BuildTarget target, Snapshot core, string? pathVariable)
    {
        var configured = core.GoSettings.Value(variable) is { Length: > 0 } v ? v : DefaultCompiler(variable, target.Goos);
        var probe = new CompilerProbe(variable) { Configured = configured };
        var fields = Executables.SplitCommandLine(configured);
        if (fields.Count == 0)
        {
            return probe with { Status = CompilerStatus.NotConfigured };
        }

        probe = probe with { Program = fields[0], Arguments = fields.Skip(1).ToList() };
        return Executables.Find(fields[0], pathVariable) switch
        {
            null => probe with { Status = CompilerStatus.NotFound },
            { IsExecutable: false } found => probe with { Status = CompilerStatus.NotExecutable, ResolvedPath = found.Path },
            var found => probe with { Status = CompilerStatus.Found, ResolvedPath = found.Value.Path },
        };
    }

    /// <summary>cmd/go's default when CC/CXX is unset: clang on darwin, ios, freebsd and openbsd, gcc elsewhere.</summary>
    internal static string DefaultCompiler(string variable, string goos)
    {
        var clang = goos is "darwin" or "ios" or "freebsd" or "openbsd";
        return variable == "CXX" ? (clang ? "clang++" : "g++") : (clang ? "clang" : "gcc");
    }

    private static async Task<CompilerProbe> ProbeAsync(CompilerProbe probe, XcodeSelectProbe? xcode, IProcessRunner processes, bool askTarget, CancellationToken ct)
    {
        if (probe is not { Status: CompilerStatus.Found, ResolvedPath: { } exe })
        {
            return probe;
        }

        // Without Command Line Tools, /usr/bin/cc & co. are stubs that open an install dialog when run.
        if (xcode is { Succeeded: false } && exe.StartsWith("/usr/bin/", StringComparison.Ordinal))
        {
            return probe with { ProbeError = "not run: /usr/bin compilers are stubs while xcode-select -p fails" };
        }

        var environment = new Dictionary<string, string?> { ["LC_ALL"] = "C" };
        var version = processes.RunAsync(new ProcessRequest(exe, [.. probe.Arguments, "--version"], ProbeTimeout) { Environment = environment }, ct);
        var dump = askTarget
            ? processes.RunAsync(new ProcessRequest(exe, [.. probe.Arguments, "-dumpmachine"], ProbeTimeout) { Environment = environment }, ct)
            : null;
        var v = await version.ConfigureAwait(false);
        var d = dump is null ? null : await dump.ConfigureAwait(false);
        probe = probe with
        {
            DumpMachine = d is { Succeeded: true } ? FirstLine(d.StandardOutput) : null,
            Version = v.Succeeded ? FirstLine(v.StandardOutput) : null,
        };

        ProcessResult[] results = d is null ? [v] : [d, v];
        if (results.Any(r => r.Succeeded))
        {
            probe = probe with { Runs = true };
        }
        else if (results.All(r => r.Outcome is ProcessOutcome.Exited or ProcessOutcome.FailedToStart or ProcessOutcome.NotFound))
        {
            probe = probe with { Runs = false };
        }

        var (failed, asked) = d is { Succeeded: false } ? (d, "-dumpmachine") : (v, "--version");
        if (!failed.Succeeded)
        {
            var why = failed.Outcome switch
            {
                ProcessOutcome.TimedOut => $"`{probe.Program} {asked}` did not answer within {ProbeTimeout.TotalSeconds:0} s",
                ProcessOutcome.Exited => $"`{probe.Program} {asked}` exited with {failed.ExitCode}: {FirstLine(failed.StandardError) ?? ""}".TrimEnd(' ', ':'),
                _ => $"`{probe.Program}` could not be started: {FirstLine(failed.StandardError) ?? failed.Outcome.ToString()}",
            };
            probe = probe with { ProbeError = Secrets.Redact(why) };
        }

        return probe;
    }

    private static async Task<XcodeSelectProbe> ProbeXcodeSelectAsync(IProcessRunner processes, CancellationToken ct)
    {
        var r = await processes.RunAsync(new ProcessRequest("xcode-select", ["-p"], ProbeTimeout), ct).ConfigureAwait(false);
        var path = FirstLine(r.StandardOutput);
        return r.Outcome switch
        {
            ProcessOutcome.Exited when r.ExitCode == 0 && path is not null => new XcodeSelectProbe { Succeeded = true, Path = path, ExitCode = 0 },
            ProcessOutcome.Exited => new XcodeSelectProbe { ExitCode = r.ExitCode, Error = FirstLine(r.StandardError) ?? $"exit code {r.ExitCode}" },
            ProcessOutcome.TimedOut => new XcodeSelectProbe { Error = "xcode-select -p did not answer in time" },
            _ => new XcodeSelectProbe { Error = "xcode-select could not be run: " + (FirstLine(r.StandardError) ?? r.Outcome.ToString()) },
        };
    }

    /// <summary>The CGO_*_ALLOW/DISALLOW that cmd/go's cfg.Getenv reads: the environment, else the GOENV file the host read.</summary>
    private static IReadOnlyList<FlagOverride> FlagOverrides(Snapshot core)
    {
        var list = new List<FlagOverride>();
        var envFile = core.GoSettings.EnvFile;
        foreach (var verb in FlagVerbs)
        {
            foreach (var name in new[] { $"CGO_{verb}_ALLOW", $"CGO_{verb}_DISALLOW" })
            {
                if (core.Env(name) is { Length: > 0 } v) list.Add(new FlagOverride(name, v, "environment"));
                else if (envFile.Entry(name) is { Value.Length: > 0 } e) list.Add(new FlagOverride(name, e.Value, envFile.Path!));
            }
        }

        return list;
    }

    private static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
}
