using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Workspace;

public static class GoWorkParser
{
    public static (GoWorkFile File, IReadOnlyList<ParseProblem> Problems) Parse(string path, string text)
    {
        var raw = new List<(int Line, string Message)>();
        var uses = new List<WorkUse>();
        var replaces = new List<ModuleReplacement>();
        var file = new GoWorkFile(path);
        foreach (var d in ModFileLexer.Read(text, raw))
        {
            switch (d.Verb)
            {
                case "go" when d.Args.Count == 1:
                    file = file with { Go = d.Args[0], GoLine = d.Line };
                    break;
                case "toolchain" when d.Args.Count == 1:
                    file = file with { Toolchain = d.Args[0] };
                    break;
                case "use" when d.Args.Count == 1:
                    uses.Add(new WorkUse(d.Args[0], d.Line));
                    break;
                case "replace" when GoModParser.ParseReplace(d) is { } replacement:
                    replaces.Add(replacement);
                    break;
                case "go" or "use" or "replace":
                    raw.Add((d.Line, $"malformed {d.Verb} directive"));
                    break;
            }
        }

        file = file with { Uses = uses, Replaces = replaces };
        return (file, raw.Select(p => new ParseProblem(path, p.Line, p.Message)).ToList());
    }
}
