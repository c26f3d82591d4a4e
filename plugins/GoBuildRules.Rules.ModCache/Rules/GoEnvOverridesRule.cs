using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Rules;

public sealed class GoEnvOverridesRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBMOD013",
        "Settings made with `go env -w`",
        "configuration",
        Severity.Note,
        "Every variable set persistently in the GOENV file, listed in one place.",
        "`go env -w` writes to a per-user file (GOENV, e.g. ~/.config/go/env) that every go command reads, in every project, silently: a GOFLAGS=-mod=vendor, GOPROXY, GOMODCACHE or GOWORK set there months ago for one project explains behaviour that nothing in the repository shows. An environment variable of the same name wins over the file.")
    {
        HelpMarkdown = "`cat \"$(go env GOENV)\"` shows the file; `go env -u NAME` removes one setting.",
        Tags = ["configuration", "go env"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        // The host reads the GOENV file once for every pack (GoSettings); a replayed snapshot without it has nothing to list.
        if (snapshot.GoSettings.EnvFile is not { Read: true, Exists: true, Path: { } path } file || file.Entries.Count == 0)
        {
            yield break;
        }

        var shadowed = file.Entries.Where(e => SettingFixes.Source(snapshot, e.Name) == SettingSource.Environment).Select(e => e.Name).ToList();
        yield return Descriptor.Finding(
            $"{file.Entries.Count} setting(s) made with `go env -w` apply to every go command of this user: {string.Join(", ", file.Entries.Select(e => e.Name))}."
            + (shadowed.Count > 0 ? $" Overridden by the environment: {string.Join(", ", shadowed)}." : ""),
            "GOENV") with
        {
            Location = new Location(path, file.Entries[0].Line),
            Evidence = [new Evidence("GOENV", path), .. file.Entries.Select(e => new Evidence($"line {e.Line}", $"{e.Name}={e.Value}"))],
            // An entry the environment overrides changes nothing when removed: only the ones in effect get a fix.
            Fixes = file.Entries
                .Where(e => SettingFixes.Source(snapshot, e.Name) != SettingSource.Environment)
                .Select(e => Fix.GoEnvUnset(e.Name, $"Remove the persistent {e.Name}", $"{e.Name} falls back to go's default in every project."))
                .ToList(),
        };
    }
}
