using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Toolchain;

public sealed class CacheUnusableRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBGO013",
        "GOMODCACHE or GOCACHE names a path go cannot use",
        "environment",
        Severity.Error,
        "GOMODCACHE or GOCACHE is a relative path, or names a file instead of a folder: go refuses to start a build (and GOMODCACHE stops `go mod download` too).",
        "go creates GOMODCACHE and GOCACHE when they do not exist, but only as absolute paths and only where a folder can be made. A relative value (`GOCACHE=cache` in a CI file) or a path that is a regular file (a cache archive restored to the cache's name, a typo) stops every go command that needs the cache: `go: could not create module cache: \"…\" is not a directory`, `go: GOMODCACHE entry is relative; must be absolute path`, `failed to initialize build cache at …: not a directory`, `build cache is required, but could not be located: GOCACHE is not an absolute path`.")
    {
        HelpMarkdown = "`go env GOMODCACHE GOCACHE` shows the values; `ls -ld \"$(go env GOMODCACHE)\"` whether it is a folder.",
        Tags = ["environment", "gocache", "gomodcache", "oracle"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        foreach (var (variable, errors) in new[] { "GOMODCACHE", "GOCACHE" }.Select(v => (v, snapshot.GoOracle.Errors.Where(e => GoErrors.UnusableCache(e) == v).ToList())))
        {
            if (errors.Count == 0)
            {
                continue;
            }

            var error = errors[0];
            var value = SettingFixes.Effective(snapshot, variable);
            var setBy = SettingFixes.Source(snapshot, variable) == SettingSource.Environment ? "the environment" : "the go env file";
            var what = variable == "GOMODCACHE"
                ? "no module can be downloaded or read from the cache, so `go build` and `go mod download` fail"
                : "go has nowhere to keep compiled packages, so every `go build`, `go list` and `go test` fails";
            yield return Descriptor.Finding(
                $"go says: {error.Message}. {variable}={value} (from {setBy}) is not a folder go can use: {what}.",
                variable) with
            {
                Location = Anchors.Module(snapshot),
                Evidence = [.. GoErrors.Outcome(snapshot, error), new Evidence(variable, $"{value} (from {setBy})")],
                Fixes = SettingFixes.Unset(snapshot, variable, $"Remove {variable} (or set it to an absolute folder); go then uses its default and creates it",
                    variable == "GOMODCACHE" ? "Modules are downloaded again into the default cache ($GOPATH/pkg/mod) once." : "The first build afterwards compiles everything from scratch."),
            };
        }
    }
}
