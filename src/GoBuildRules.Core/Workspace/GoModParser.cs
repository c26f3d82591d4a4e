using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Workspace;

public static class GoModParser
{
    public static (GoModFile File, IReadOnlyList<ParseProblem> Problems) Parse(string relativePath, string text)
    {
        var raw = new List<(int Line, string Message)>();
        var requires = new List<ModuleRequirement>();
        var replaces = new List<ModuleReplacement>();
        var excludes = new List<ModuleRequirement>();
        var file = new GoModFile(relativePath);
        foreach (var d in ModFileLexer.Read(text, raw))
        {
            switch (d.Verb)
            {
                case "module" when d.Args.Count >= 1:
                    file = file with { Module = d.Args[0], ModuleLine = d.Line };
                    break;
                case "go" when d.Args.Count == 1:
                    file = file with { Go = d.Args[0], GoLine = d.Line };
                    break;
                case "toolchain" when d.Args.Count == 1:
                    file = file with { Toolchain = d.Args[0], ToolchainLine = d.Line };
                    break;
                case "require" when d.Args.Count == 2:
                    requires.Add(new ModuleRequirement(d.Args[0], d.Args[1], d.Line) { Indirect = IsIndirect(d.Comment) });
                    break;
                case "exclude" when d.Args.Count == 2:
                    excludes.Add(new ModuleRequirement(d.Args[0], d.Args[1], d.Line));
                    break;
                case "replace":
                    if (ParseReplace(d) is { } replacement)
                    {
                        replaces.Add(replacement);
                    }
                    else
                    {
                        raw.Add((d.Line, "malformed replace directive"));
                    }

                    break;
                case "module" or "go" or "toolchain" or "require" or "exclude":
                    raw.Add((d.Line, $"malformed {d.Verb} directive"));
                    break;
            }
        }

        file = file with { Requires = requires, Replaces = replaces, Excludes = excludes };
        return (file, raw.Select(p => new ParseProblem(relativePath, p.Line, p.Message)).ToList());
    }

    internal static ModuleReplacement? ParseReplace(ModFileLexer.Directive d)
    {
        var arrow = d.Args.ToList().IndexOf("=>");
        if (arrow is < 1 or > 2 || d.Args.Count - arrow - 1 is < 1 or > 2)
        {
            return null;
        }

        return new ModuleReplacement(
            d.Args[0],
            arrow == 2 ? d.Args[1] : null,
            d.Args[arrow + 1],
            d.Args.Count - arrow - 1 == 2 ? d.Args[arrow + 2] : null,
            d.Line);
    }

    private static bool IsIndirect(string comment) =>
        comment == "indirect" || comment.StartsWith("indirect;", StringComparison.Ordinal);
}
