using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

/// <summary>
/// Which rule explains which error of the go oracle (<see cref="Snapshot.GoOracle"/>). The specific
/// rules and the fallback (GBGO011) ask the same questions here, so every go error is reported by
/// exactly one rule and none is dropped.
/// </summary>
internal static partial class GoErrors
{
    /// <summary>go.mod or go.work that go's own parser rejects, or a go.mod without a module line.</summary>
    public static bool IsModFileParse(GoError e) =>
        e.Message.StartsWith("go: no module declaration in go.mod", StringComparison.Ordinal)
        || (e.Location is { } l && (l.File.EndsWith("go.mod", StringComparison.Ordinal) || l.File.EndsWith("go.work", StringComparison.Ordinal))
            && ModFileLine().IsMatch(e.Message));

    /// <summary>The directory of a go.mod `replace … => ../dir` does not exist.</summary>
    public static Match MissingReplacement(GoError e) => Replacement().Match(e.Message);

    /// <summary>A go.work `use` names a folder without a go.mod (or no folder at all).</summary>
    public static Match MissingWorkUse(GoError e, Snapshot s) =>
        s.GoOracle.WorkspaceMode ? WorkUseOpen().Match(e.Message) : Match.Empty;

    public static bool IsGoFlags(GoError e) => e.Message.StartsWith("go: parsing $GOFLAGS:", StringComparison.Ordinal);

    public static bool IsCacheOff(GoError e) => e.Message.Contains("disabled by GOCACHE=off", StringComparison.Ordinal);

    /// <summary>GO111MODULE=off makes go ignore go.mod: imports of required modules are looked for in GOPATH.</summary>
    public static bool IsGopathMode(GoError e, Snapshot s) =>
        ModulesOff(s) && (e.Message.Contains("cannot find package", StringComparison.Ordinal)
                          || e.Message.Contains("modules disabled by GO111MODULE=off", StringComparison.Ordinal));

    public static bool IsNeedsDownload(GoError e) => e.Kind == GoErrorKind.NeedsDownload;

    /// <summary>Module mode without a main module: no go.mod here or above, no go.work (cmd/go modload's errors for that case).</summary>
    public static bool IsNoModule(GoError e, Snapshot s) =>
        !s.GoOracle.WorkspaceMode && s.Workspace.GoMod is null
        && (e.Message.Contains("does not contain main module or its selected dependencies", StringComparison.Ordinal)
            || e.Message.Contains("go.mod file not found in current directory or any parent directory", StringComparison.Ordinal));

    /// <summary>"GOMODCACHE" or "GOCACHE" when go refused the variable's value (relative, or not a folder); null otherwise.</summary>
    public static string? UnusableCache(GoError e) =>
        e.Message.Contains("could not create module cache:", StringComparison.Ordinal)
        || e.Message.Contains("GOMODCACHE entry is relative", StringComparison.Ordinal) ? "GOMODCACHE"
        : e.Message.StartsWith("failed to initialize build cache at ", StringComparison.Ordinal)
        || e.Message.Contains("GOCACHE is not an absolute path", StringComparison.Ordinal) ? "GOCACHE"
        : null;

    public static bool Explained(GoError e, Snapshot s) =>
        IsModFileParse(e) || MissingReplacement(e).Success || MissingWorkUse(e, s).Success || IsGoFlags(e)
        || IsCacheOff(e) || IsGopathMode(e, s) || IsNeedsDownload(e) || IsNoModule(e, s) || UnusableCache(e) is not null;

    public static bool ModulesOff(Snapshot s) =>
        string.Equals(s.Env("GO111MODULE") ?? s.GoEnv("GO111MODULE"), "off", StringComparison.Ordinal);

    /// <summary>What go ran and how it ended, for a finding's evidence.</summary>
    public static IEnumerable<Evidence> Outcome(Snapshot s, GoError e)
    {
        yield return new Evidence("go said", e.Message);
        if (s.GoOracle.Commands.FirstOrDefault(c => c.Command == e.Command) is { } run)
        {
            yield return new Evidence("command", $"{e.Command} (offline: GOPROXY=off GOSUMDB=off) exited {(run.TimedOut ? "by the deadline" : run.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture))} after {run.ElapsedSeconds:0.###} s");
        }

        if (s.Go.VersionOutput is { } version)
        {
            yield return new Evidence("go version", version);
        }
    }

    /// <summary>Where a finding about the error belongs: where go said, else go.mod.</summary>
    public static Location? Where(Snapshot s, GoError e) => e.Location ?? Anchors.Module(s);

    [GeneratedRegex(@"(?:^|/)go\.(?:mod|work):\d+: ", RegexOptions.Multiline)]
    private static partial Regex ModFileLine();

    [GeneratedRegex(@"replacement directory (?<dir>\S+) does not exist")]
    private static partial Regex Replacement();

    [GeneratedRegex(@"^go: open (?<dir>.+)/go\.mod: no such file or directory")]
    private static partial Regex WorkUseOpen();
}
