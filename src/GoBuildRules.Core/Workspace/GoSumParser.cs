using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Workspace;

public static class GoSumParser
{
    public static (GoSumFile File, IReadOnlyList<ParseProblem> Problems) Parse(string relativePath, string text)
    {
        var entries = new List<GoSumEntry>();
        var problems = new List<ParseProblem>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3 || !fields[2].Contains(':'))
            {
                problems.Add(new ParseProblem(relativePath, i + 1, "malformed go.sum line"));
                continue;
            }

            entries.Add(new GoSumEntry(fields[0], fields[1], fields[2], i + 1));
        }

        return (new GoSumFile(relativePath) { Entries = entries }, problems);
    }
}
