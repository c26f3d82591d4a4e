using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Rules;

public sealed class AirIncludeExtRule : IRule
{
    public RuleDescriptor Descriptor { get; } = new(
        "GBVND005",
        "air's include_ext leaves out go",
        "watchers",
        Severity.Warning,
        "air's include_ext lists the extensions whose changes trigger a rebuild, and go is not among them.",
        "air rebuilds only when a file with one of the include_ext extensions changes (default: go, tpl, tmpl, html). An include_ext written without \"go\" (often copied from a front-end project, or written with a dot as \".go\") makes air ignore every Go edit: it keeps serving the old binary and nothing says why.")
    {
        HelpMarkdown = "Open .air.toml at the line named; extensions are written without the dot: include_ext = [\"go\", \"tpl\", \"tmpl\", \"html\"].",
        Tags = ["watchers", "air"],
    };

    public IEnumerable<Finding> Evaluate(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var f = Support.Facts(snapshot);
        if (f is null)
        {
            yield break;
        }

        foreach (var air in f.Air)
        {
            if (air.Get("build.include_ext") is not { Kind: "array", Values.Count: > 0 } ext || ext.Values.Contains("go"))
            {
                continue;
            }

            var dotted = ext.Values.Contains(".go");
            var fixedList = ext.Values.Where(v => v != ".go").Prepend("go").Select(v => "\"" + v.TrimStart('.') + "\"");
            yield return Descriptor.Finding(
                dotted
                    ? $"{air.File}:{ext.Line}: include_ext lists \".go\" with a dot; air compares extensions without it, so Go edits never trigger a rebuild."
                    : $"{air.File}:{ext.Line}: include_ext = [{string.Join(", ", ext.Values)}] has no \"go\": air will not rebuild when Go files change.",
                $"{air.File}:include_ext") with
            {
                Location = new Location(air.File, ext.Line),
                Evidence = [new Evidence("include_ext", string.Join(", ", ext.Values)), new Evidence("file", air.File)],
                Fixes =
                [
                    Fix.EditFile(air.File, $"include_ext = [{string.Join(", ", fixedList.Distinct())}]  (under [build])", "Add go (without a dot) to include_ext",
                        "None beyond rebuilding on Go edits, which is what air is for."),
                ],
            };
        }
    }
}
