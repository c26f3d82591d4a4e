using System.Globalization;
using System.Text;
using System.Text.Json;
using GoBuildRules.Core.Config;
using GoBuildRules.Core.Workspace;
using GoBuildRules.Packs;
using GoBuildRules.Sdk;

namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// A seeded random fuzz run: valid snapshots, configs, lock files, go.mod, go.sum, go.work,
/// modules.txt and JSONC texts are mutated (bytes flipped, spans cut, repeated or swapped, hostile
/// tokens inserted) and fed to the parsers. Each either reads the input or refuses it with its
/// own documented exception; nothing else may escape. CI runs a fixed count;
/// GOBUILDRULES_FUZZ_ITERATIONS (per input kind) and GOBUILDRULES_FUZZ_SEED run longer or other ones.
/// </summary>
public sealed class FuzzTests
{
    private static readonly int Iterations = int.TryParse(Environment.GetEnvironmentVariable("GOBUILDRULES_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : 400;

    private static readonly int Seed = int.TryParse(Environment.GetEnvironmentVariable("GOBUILDRULES_FUZZ_SEED"), out var s) ? s : 20261201;

    private static readonly string[] Tokens =
    [
        "null", "{", "}", "[", "]", "\"", ",", ":", "//", "/*", "*/", "\0", "\\u0000", "\uFFFF", "\uD800", "1e999", "-0", "NaN", "true",
        new string('[', 200), new string('x', 5000), "\"schemaVersion\": 1", "\"packs\": {}", "module", "require (", ")", "=>", "// indirect",
        "go 1.99999999999999999999", "h1:", "/go.mod", "\r\n", "\t", "# ", "## explicit", "replace", "use (", "\u00e9", "$(id)",
    ];

    private const string GoMod = "module example.com/app\n\ngo 1.19\n\nrequire (\n\tgithub.com/a/b v1.2.3\n\tgolang.org/x/text v0.3.7 // indirect\n)\n\nreplace github.com/a/b => ../b\n\nexclude github.com/c/d v0.1.0\n";
    private const string GoSum = "github.com/a/b v1.2.3 h1:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ=\ngithub.com/a/b v1.2.3/go.mod h1:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ=\n";
    private const string GoWork = "go 1.19\n\nuse (\n\t./app\n\t./lib\n)\n\nreplace example.com/x => ./x\n";
    private const string ModulesTxt = "# github.com/a/b v1.2.3\n## explicit; go 1.17\ngithub.com/a/b\ngithub.com/a/b/sub\n# golang.org/x/text v0.3.7 => ../text\n## explicit\ngolang.org/x/text/unicode\n";
    private const string Config = "{\n  // team\n  \"packs\": { \"A.B\": \"1.0.0\", },\n  \"severity\": { \"rules\": { \"GBNET002\": \"warning\" }, \"categories\": { \"ide\": \"note\" } },\n  \"disabled\": [\"GBVND004\"],\n  \"suppressions\": [ { \"rule\": \"X1\", \"subject\": \"a*\", \"justification\": \"j\", \"expires\": \"2030-01-01\" } ],\n  \"probeBudgetSeconds\": 10,\n  \"failOn\": \"warning\",\n}\n";
    private const string Lock = "{\n  \"version\": 1,\n  \"packs\": [ { \"id\": \"A.B\", \"version\": \"1.0.0\", \"sha512\": \"abc+/=\", \"source\": \"https://f/v3/index.json\", \"dependencies\": [ { \"id\": \"C\", \"version\": \"2.0.0\", \"sha512\": \"x\" } ] } ]\n}\n";

    public static TheoryData<string> Kinds() => ["snapshot", "config", "lock", "go.mod", "go.sum", "go.work", "modules.txt", "jsonc edit"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Mutated_inputs_are_read_or_refused_with_the_documented_exception(string kind)
    {
        var random = new Random(HashCode.Combine(Seed, kind.Length, kind[0]));
        using var temp = new GoBuildRules.Tests.Shared.TempFolder("gbr-fuzz");
        var seed = kind switch
        {
            "snapshot" => Workspace.ValidSnapshot,
            "config" or "jsonc edit" => Config,
            "lock" => Lock,
            "go.mod" => GoMod,
            "go.sum" => GoSum,
            "go.work" => GoWork,
            _ => ModulesTxt,
        };
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(seed, random);
            try
            {
                Feed(kind, input, temp.Path);
            }
            catch (Exception e)
            {
                Assert.Fail($"{kind} iteration {i} (seed {Seed}): {e.GetType().Name}: {e.Message}\n--- input\n{input}");
            }
        }
    }

    /// <summary>Accepted outcomes: the parsed value, or the parser's own refusal.</summary>
    private static void Feed(string kind, string input, string folder)
    {
        switch (kind)
        {
            case "snapshot":
                try
                {
                    Snapshot.FromCollectedJson(input).ToJson();
                }
                catch (SnapshotFormatException)
                {
                }

                break;
            case "config":
                try
                {
                    TeamConfigFile.Parse(input, "gobuildrules.json");
                }
                catch (ConfigException)
                {
                }

                break;
            case "lock":
                // As a file holds it: what is not UTF-8 becomes U+FFFD.
                File.WriteAllBytes(Path.Combine(folder, LockFile.FileName), Encoding.UTF8.GetBytes(input));
                try
                {
                    LockFile.Load(folder);
                }
                catch (PackException)
                {
                }

                break;
            case "go.mod":
                GoModParser.Parse("go.mod", input);
                break;
            case "go.sum":
                GoSumParser.Parse("go.sum", input);
                break;
            case "go.work":
                GoWorkParser.Parse("go.work", input);
                break;
            case "modules.txt":
                VendorModulesParser.Parse("vendor/modules.txt", input);
                break;
            case "jsonc edit":
                TeamConfig? before = null;
                try
                {
                    before = TeamConfigFile.Parse(input, "gobuildrules.json");
                }
                catch (ConfigException)
                {
                }

                string edited;
                try
                {
                    edited = JsoncEditor.SetMember(input, "packs", "New.Pack", "[1.0,2.0)");
                }
                catch (JsonException)
                {
                    break;
                }

                if (before is not null && before.Packs.Count >= 0)
                {
                    // A config that was readable stays readable, with the new entry and every other entry as it was.
                    var after = TeamConfigFile.Parse(edited, "gobuildrules.json");
                    Assert.Equal("[1.0,2.0)", after.Packs["New.Pack"]);
                    foreach (var (id, version) in before.Packs.Where(p => !string.Equals(p.Key, "New.Pack", StringComparison.OrdinalIgnoreCase)))
                    {
                        Assert.Equal(version, after.Packs[id]);
                    }

                    var removed = TeamConfigFile.Parse(JsoncEditor.SetMember(edited, "packs", "New.Pack", null), "gobuildrules.json");
                    Assert.False(removed.Packs.ContainsKey("New.Pack"));
                }

                break;
        }
    }

    public static string Mutate(string text, Random random)
    {
        var s = new StringBuilder(text);
        var count = random.Next(1, 5);
        for (var k = 0; k < count && s.Length > 0; k++)
        {
            var at = random.Next(s.Length);
            switch (random.Next(6))
            {
                case 0:
                    s[at] = (char)random.Next(0, 0x80);
                    break;
                case 1:
                    s.Remove(at, Math.Min(random.Next(1, 20), s.Length - at));
                    break;
                case 2:
                    s.Insert(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 3:
                    var len = Math.Min(random.Next(1, 40), s.Length - at);
                    s.Insert(random.Next(s.Length), s.ToString(at, len));
                    break;
                case 4:
                    s.Insert(at, random.Next().ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    var other = random.Next(s.Length);
                    (s[at], s[other]) = (s[other], s[at]);
                    break;
            }
        }

        return s.ToString();
    }

    /// <summary>A few mutated snapshots and configs through the real tool: clean outcomes only.</summary>
    [Fact]
    public void Mutated_snapshots_and_configs_through_the_cli_end_cleanly()
    {
        var random = new Random(Seed);
        using var w = new Workspace();
        for (var i = 0; i < 4; i++)
        {
            w.Write($"fuzz{i}.json", Mutate(Workspace.ValidSnapshot, random));
            var r = w.Run(["scan", "--from", w.Combine($"fuzz{i}.json"), "--format", "json"]);
            Assert.True(r.ExitCode is 0 or 1 or 2, r.ToString());
            Harness.AssertNoStackTrace(r);
        }

        for (var i = 0; i < 3; i++)
        {
            w.Write("mod/gobuildrules.json", Mutate(Config.Replace("\"A.B\": \"1.0.0\", ", "", StringComparison.Ordinal), random));
            var r = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", "json"]);
            Assert.True(r.ExitCode is 0 or 1 or 2, r.ToString());
            Harness.AssertNoStackTrace(r);
        }
    }
}
