using System.Globalization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class HungProgramRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO020",
        "A program the go command runs hangs (CC, CXX, git, pkg-config or go itself)",
        "toolchain",
        Severity.Error,
        "go did not answer, and one of the programs it runs did not answer either when asked for its version.",
        "The go command starts other programs and waits for them without a deadline: go 1.19's `go env` runs CC to work out GOGCCFLAGS, every cgo build runs CC (and CXX for C++ files), module fetches run git, `#cgo pkg-config:` lines run pkg-config. When one of them never returns — most often a compiler wrapper such as ccache, sccache or distcc waiting on a stuck server, or a wrapper script — the go command hangs with it and says nothing. When `go version`, `go env` or a tool's `--version` was slow, the scan asked each of these programs for its version under its own short deadline; this is the one that did not answer.")
    {
        HelpMarkdown = "Run the command shown with `timeout 5` to confirm; look at what the wrapper waits for (`ps -ef | grep -E 'ccache|sccache|distcc'`), restart or bypass it.",
        Tags = ["toolchain", "hang", "cgo"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        // When go answered after all, a slow --version is a slow machine, not a hang of the build.
        var goHung = snapshot.Go.Status == ToolStatus.TimedOut && !snapshot.Go.CutShort;
        foreach (var probe in snapshot.Hangs.Probes.Where(p => p.Hung && !WatchedBuildIsIn(snapshot, p)))
        {
            var what = probe.Role switch
            {
                "CC" => "go 1.19's `go env` runs CC to work out GOGCCFLAGS and every cgo build runs it",
                "CXX" => "cgo builds of packages with C++ files run CXX",
                "git" => "module fetches without a proxy and VCS stamping run git",
                "pkg-config" => "#cgo pkg-config lines run pkg-config",
                _ => "every build runs the go binary",
            };
            var waited = probe.Seconds.ToString("0.#", CultureInfo.InvariantCulture);
            var evidence = new List<Evidence>
            {
                new("program", probe.Path),
                new("role", probe.Role),
                new("set by", probe.Source),
                new("command", probe.Command),
                new("waited", $"{waited} s, then stopped"),
                new("what it is", probe.Kind),
            };
            if (probe.Shebang is not null) evidence.Add(new Evidence("shebang", probe.Shebang));
            if (probe.ResolvedPath is not null) evidence.Add(new Evidence("link to", probe.ResolvedPath));
            if (snapshot.Hangs.Trigger is not null) evidence.Add(new Evidence("noticed because", snapshot.Hangs.Trigger));
            if (snapshot.Go.Error is not null) evidence.Add(new Evidence("go", snapshot.Go.Error));

            yield return Descriptor.Finding(
                $"{probe.Role} {probe.Path} ({probe.Kind}) did not answer `{probe.Command}` within {waited} s: {what}, so {(goHung ? "the go command hangs with it" : "go commands that run it will hang")}.",
                $"{probe.Role}:{probe.Path}") with
            {
                Severity = goHung ? Severity.Error : Severity.Warning,
                Location = Anchors.Module(snapshot),
                Evidence = evidence,
                Fixes = Fixes(probe),
            };
        }
    }

    /// <summary>
    /// Whether `gobuildrules watch` caught the build stuck in this compiler: a live process of the watched
    /// tree runs it, or is the child of the cgo tool (which runs nothing else). GBRUN003 then names the
    /// cause from the live tree (the process and what it waits for), so this probe of it is not a second finding.
    /// </summary>
    private static bool WatchedBuildIsIn(Snapshot s, ProgramProbe probe) =>
        probe.Role is "CC" or "CXX" && s.Watch is { } watch
        && watch.Processes.Any(p => !p.State.StartsWith('Z')
            && (p.CommandLine.Split(' ', 3).Take(2).Contains(probe.Path) || watch.Process(p.ParentPid)?.Name == "cgo"));

    private static IReadOnlyList<Fix> Fixes(ProgramProbe probe)
    {
        var confirm = Fix.Run("Confirm by hand, with a deadline", $"timeout 5 {probe.Command}; echo \"exit $?\"",
            "None; the program is stopped after 5 s (exit 124 means it hung).");
        return probe.Role switch
        {
            "CC" or "CXX" =>
            [
                confirm,
                Fix.Run($"Bypass the wrapper for this shell: use the compiler directly", ["export", $"{probe.Role}={(probe.Role == "CC" ? "gcc" : "g++")}"],
                    "Only this shell; builds lose the wrapper's caching or distribution and are slower, and the stuck wrapper stays stuck until it is restarted."),
                Fix.Run("Build pure-Go packages without a C compiler", "CGO_ENABLED=0 go build ./...",
                    "Packages that need cgo (import \"C\", or net/os/user with cgo resolvers) then fail or use the pure-Go fallbacks."),
            ],
            _ => [confirm],
        };
    }
}
