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
        if (Facts.Of(snapshot)?.GoEnvFile is not { Exists: true } file || file.Entries.Count == 0)
        {
            yield break;
        }

        var shadowed = file.Entries.Where(e => snapshot.Env(e.Name) is not null).Select(e => e.Name).ToList();
        yield return Descriptor.Finding(
            $"{file.Entries.Count} setting(s) made with `go env -w` apply to every go command of this user: {string.Join(", ", file.Entries.Select(e => e.Name))}."
            + (shadowed.Count > 0 ? $" Overridden by the environment: {string.Join(", ", shadowed)}." : ""),
            "GOENV") with
        {
            Location = new Location(file.Path, file.Entries[0].Line),
            Evidence = [new Evidence("GOENV", file.Path), .. file.Entries.Select(e => new Evidence($"line {e.Line}", $"{e.Name}={e.Value}"))],
            Fixes = file.Entries
                .Select(e => Fix.GoEnvUnset(e.Name, $"Remove the persistent {e.Name}", $"{e.Name} falls back to the environment or go's default in every project."))
                .ToList(),
        };
    }
}
