using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GoBuildRules.Sdk;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// Values that break naive output (`&lt;script&gt;`, pipes, backticks, quotes, newlines) planted in
/// an environment value and in a file name, through the real tool, checked in every format.
/// </summary>
public sealed partial class EscapingTests
{
    private const string Payload = SampleReports.Payload;
    private const string FileName = "sub/we<script>alert(2)</script>|`x`\"q'\nname.mod";

    private static Dictionary<string, string> RenderAll(string[] scanArgs, string cwd, IReadOnlyDictionary<string, string?>? env = null)
    {
        var outputs = ReportRenderer.BuiltInFormats.ToDictionary(f => f, f => Path.Combine(cwd, "report." + f));
        var args = scanArgs.Concat(outputs.SelectMany(o => new[] { "--format", $"{o.Key}={o.Value}" })).Concat(["--fail-on", "never"]).ToList();
        var run = Cli.Run(args, cwd, env);
        Assert.True(run.ExitCode == 0, run.ToString());
        return outputs.ToDictionary(o => o.Key, o => File.ReadAllText(o.Value));
    }

    [Fact]
    public void Replayed_environment_value_and_file_name_are_escaped_in_every_format()
    {
        using var temp = new TempFolder("gbr-esc");
        var snapshot = new Snapshot
        {
            CollectedAt = SampleReports.CollectedAt,
            Go = new GoFacts { Status = ToolStatus.NotFound },
            Environment = new Dictionary<string, string> { ["PATH"] = Payload },
            Workspace = new WorkspaceFacts
            {
                Root = "/src/app",
                GoMod = new GoModFile("go.mod") { Module = "example.com/app", ModuleLine = 1 },
                ParseProblems = [new ParseProblem(FileName, 3, "bad line " + Payload)],
            },
        };
        var from = temp.Write("snapshot.json", snapshot.ToJson());
        var outputs = RenderAll(["scan", "--from", from], temp.Path);
        CheckEveryFormat(outputs, Payload, FileName);

        var sarif = JsonNode.Parse(outputs["sarif"])!;
        var uris = sarif["runs"]![0]!["results"]!.AsArray().Select(r => (string)r!["locations"]![0]!["physicalLocation"]!["artifactLocation"]!["uri"]!).ToList();
        Assert.Contains(TemplateFunctions.UriPath(FileName), uris);
        Assert.All(uris, u => Assert.True(Uri.IsWellFormedUriString(u, UriKind.Relative), u));
    }

    [Fact]
    public void Live_scan_with_planted_PATH_and_folder_name_is_escaped_in_every_format()
    {
        using var temp = new TempFolder("gbr-esc");
        // The folder name is a file name the reports show (workspace root); PATH holds the payload and no go.
        var folder = Path.Combine(temp.Path, "mod<script>alert(3)</script>|`x`\"q'\nz");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "go.mod"), "module example.com/esc\n\ngo 1.19\n\nrequire (\n");
        var outputs = RenderAll(["scan", "--path", folder, "--offline", "--timeout", "10"], temp.Path,
            new Dictionary<string, string?> { ["PATH"] = "/nonexistent/" + Payload });
        using var json = JsonDocument.Parse(outputs["json"]);
        Assert.Equal(folder, json.RootElement.GetProperty("snapshot").GetProperty("workspaceRoot").GetString());
        var path = json.RootElement.GetProperty("findings").EnumerateArray()
            .SelectMany(f => f.GetProperty("evidence").EnumerateArray()).First(e => e.GetProperty("name").GetString() == "PATH");
        Assert.Equal("/nonexistent/" + Payload, path.GetProperty("value").GetString());
        CheckEveryFormat(outputs, Payload, folder);
    }

    private static void CheckEveryFormat(Dictionary<string, string> o, string value, string file)
    {
        // JSON and SARIF: parse, and hold the exact strings.
        AssertHolds(JsonNode.Parse(o["json"])!, value, substring: true);
        AssertHolds(JsonNode.Parse(o["json"])!, file, substring: true);
        AssertHolds(JsonNode.Parse(o["sarif"])!, value, substring: true);

        // HTML: our own script is the only script element; the values show as text.
        var html = o["html"];
        Assert.Single(Regex.Matches(html, "<script", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.DoesNotContain("\"dq\"", html);

        // Markdown: outside code, no raw HTML; every table row keeps its columns.
        var md = o["md"];
        Assert.DoesNotContain("<script", StripCode(md));
        foreach (var table in Tables(md))
        {
            var columns = Cells(table[0]);
            Assert.All(table, row => Assert.True(Cells(row) == columns, $"row breaks its table: {row}"));
        }

        Assert.Contains("alert(1)", o["console"]);
    }

    private static void AssertHolds(JsonNode node, string value, bool substring = false)
    {
        static IEnumerable<string> Strings(JsonNode? n) => n switch
        {
            JsonObject o => o.SelectMany(p => Strings(p.Value)),
            JsonArray a => a.SelectMany(Strings),
            JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
            _ => [],
        };
        Assert.Contains(Strings(node), s => substring ? s.Contains(value, StringComparison.Ordinal) : s == value);
    }

    /// <summary>Removes fenced blocks and code spans (CommonMark: a span closes at a backtick run of the same length).</summary>
    private static string StripCode(string md)
    {
        md = FencedBlock().Replace(md, "");
        return CodeSpan().Replace(md, "");
    }

    private static List<List<string>> Tables(string md)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in md.Split('\n'))
        {
            if (line.StartsWith('|'))
            {
                if (current is null) tables.Add(current = []);
                current.Add(line);
            }
            else
            {
                current = null;
            }
        }

        return tables;
    }

    /// <summary>Pipes that split cells: those after an even run of backslashes (\\| is a backslash and a split).</summary>
    private static int Cells(string row)
    {
        var count = 0;
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] != '|') continue;
            var slashes = 0;
            for (var j = i - 1; j >= 0 && row[j] == '\\'; j--) slashes++;
            if (slashes % 2 == 0) count++;
        }

        return count;
    }

    [GeneratedRegex(@"(?ms)^(`{3,})[^\n]*\n.*?^\1\s*$")]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"(?s)(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)")]
    private static partial Regex CodeSpan();
}
