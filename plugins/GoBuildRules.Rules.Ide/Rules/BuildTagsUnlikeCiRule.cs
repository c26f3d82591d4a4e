using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Rules;

public sealed class BuildTagsUnlikeCiRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBIDE003",
        "VS Code's build tags or -mod differ from CI's",
        "ide",
        Severity.Warning,
        "CI builds or tests with -tags (or -mod) that go.buildTags / go.buildFlags / gopls build.buildFlags do not match.",
        "gopls type-checks and VS Code builds, tests and debugs only the files whose //go:build constraints the configured tags satisfy. When CI builds with -tags integration,sqlite and the IDE has no tags, those files are invisible to the editor: no errors shown where CI fails, 'No packages found' or 'build constraints exclude all Go files' for them, and tests that CI runs never run from the editor. A -mod in go.buildFlags unlike CI's makes the IDE resolve modules differently (vendor/ against the module cache).")
    {
        HelpMarkdown = "Compare the -tags and -mod in the CI file named with go.buildTags / go.buildFlags in .vscode/settings.json.",
        Tags = ["ide", "vscode", "ci", "build-tags"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null || !f.VsCode.Any(v => v.Kind != "launch"))
        {
            yield break;
        }

        // The IDE's tags: go.buildTags, and -tags in go.buildFlags or gopls build.buildFlags.
        var ideTags = new SortedSet<string>(StringComparer.Ordinal);
        string? ideMod = null;
        Location? where = null;
        if (Settings.Find(f, "go.buildTags") is { } bt && bt.Value.Text is { } tagsText)
        {
            foreach (var t in tagsText.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)) ideTags.Add(t);
            where = new Location(bt.File.File, bt.Value.Line);
        }

        foreach (var path in new[] { new[] { "go.buildFlags" }, ["gopls", "build.buildFlags"] })
        {
            var flags = Settings.Items(f, path);
            for (var i = 0; i < flags.Count; i++)
            {
                var (flag, val) = flags[i].Split('=', 2) is [var a, var b] ? (a, b) : (flags[i], i + 1 < flags.Count ? flags[i + 1] : "");
                if (flag is "-tags" or "--tags")
                {
                    foreach (var t in val.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)) ideTags.Add(t);
                }

                if (flag is "-mod" or "--mod")
                {
                    ideMod = val;
                }
            }

            if (flags.Count > 0 && Settings.Find(f, path) is { } s)
            {
                where ??= new Location(s.File.File, s.Value.Line);
            }
        }

        var settingsFile = f.VsCode.First(v => v.Kind != "launch").File;
        foreach (var ci in f.Ci.Where(c => c.HasTags && c.Tags.Count > 0))
        {
            var missing = ci.Tags.Where(t => !ideTags.Contains(t)).ToList();
            if (missing.Count == 0)
            {
                continue;
            }

            yield return Finding(where ?? new Location(settingsFile, 1), $"tags:{ci.File}:{string.Join(",", ci.Tags)}",
                $"{ci.File}:{ci.Line} builds with -tags {string.Join(",", ci.Tags)}, but VS Code's Go settings {(ideTags.Count == 0 ? "set no tags" : "set tags " + string.Join(",", ideTags))}: files behind //go:build {string.Join(" / ", missing)} are invisible to gopls and to tests run from the editor.",
                ci, ideTags, ideMod, $"\"go.buildTags\": \"{string.Join(",", ideTags.Union(ci.Tags).Order(StringComparer.Ordinal))}\"");
        }

        if (ideMod is not null && f.Ci.FirstOrDefault(c => c.Mod is not null && c.Mod != ideMod) is { } modCi)
        {
            yield return Finding(where ?? new Location(settingsFile, 1), $"mod:{modCi.File}",
                $"VS Code builds with -mod={ideMod} but {modCi.File}:{modCi.Line} uses -mod={modCi.Mod}: the IDE resolves dependencies differently from CI.",
                modCi, ideTags, ideMod, $"use -mod={modCi.Mod} in go.buildFlags, or drop -mod there");
        }
    }

    private Finding Finding(Location where, string subject, string message, CiBuild ci, IEnumerable<string> ideTags, string? ideMod, string edit) =>
        Descriptor.Finding(message, subject) with
        {
            Location = where,
            Evidence =
            [
                new Evidence("CI line", $"{ci.File}:{ci.Line}: {ci.Text}"),
                new Evidence("CI -tags", string.Join(",", ci.Tags)),
                new Evidence("IDE tags", string.Join(",", ideTags)),
                new Evidence("IDE -mod", ideMod ?? "(none)"),
            ],
            Fixes =
            [
                Fix.EditFile(where.File, edit, "Give VS Code the tags (and -mod) CI builds with",
                    "Files behind other tags drop out of the editor's view instead; use a multi-root workspace or switch tags when you work on those."),
            ],
        };
}
