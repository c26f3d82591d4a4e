namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// One bad or careless input per case, each from the reproductions of issue 12 or its class: the
/// tool answers with its documented exit code and one line on stderr that names the problem, and
/// changes no file. {W} in an argument is the workspace folder.
/// </summary>
public sealed class UsageCases
{
    public sealed record Case(string[] Args, int Exit, string Fragment, Action<Workspace>? Setup = null, Dictionary<string, string?>? Env = null);

    private const string Snap = "{W}/snapshot.json";

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // options
        ["timeout far too small"] = new(["scan", "--offline", "--timeout", "0.001"], 2, "--timeout 0.001 is out of range"),
        ["timeout zero"] = new(["scan", "--offline", "--timeout", "0"], 2, "--timeout 0 is out of range"),
        ["timeout negative"] = new(["scan", "--offline", "--timeout", "-1"], 2, "is out of range"),
        ["timeout NaN"] = new(["scan", "--offline", "--timeout", "NaN"], 2, "is out of range"),
        ["timeout too large"] = new(["scan", "--offline", "--timeout", "601"], 2, "is out of range"),
        ["snapshot timeout too small"] = new(["snapshot", "--offline", "--timeout", "0.01"], 2, "is out of range"),
        ["fail-on unknown"] = new(["scan", "--offline", "--fail-on", "sometimes"], 2, "--fail-on sometimes is not one of"),
        ["format unknown"] = new(["scan", "--offline", "--format", "pdf"], 2, "--format pdf is not one of"),
        ["format empty file"] = new(["scan", "--offline", "--format", "json="], 2, "the file after '=' is empty"),
        ["two formats on stdout"] = new(["scan", "--offline", "--format", "json", "--format", "md"], 2, "only one --format can go to standard output"),
        ["same file for two formats"] = new(["scan", "--offline", "--format", "json={W}/same", "--format", "html={W}/same"], 2, "is given for two reports"),
        ["same file through another spelling"] = new(["scan", "--offline", "--format", "json={W}/same", "--format", "md={W}/./same"], 2, "is given for two reports"),
        ["output into a missing folder"] = new(["scan", "--offline", "--format", "json={W}/nope/r.json"], 2, "does not exist"),
        ["output onto a directory"] = new(["scan", "--offline", "--format", "json={W}/mod"], 2, "it is a directory"),
        ["output to /dev/full keeps the other file"] = new(["scan", "--offline", "--format", "json={W}/IMPORTANT.json", "--format", "html=/dev/full"], 2, "cannot write /dev/full"),
        ["output -o with two stdout formats"] = new(["scan", "--offline", "--format", "json", "--format", "md", "-o", "{W}/x"], 2, "--output needs exactly one --format"),
        ["template missing"] = new(["scan", "--offline", "--template", "{W}/missing.scriban"], 2, "does not exist"),
        ["template is a directory"] = new(["scan", "--offline", "--template", "{W}/mod"], 2, "is a directory"),
        ["template is /dev/zero"] = new(["scan", "--offline", "--template", "/dev/zero"], 2, "not a regular file"),
        ["template that does not parse"] = new(["scan", "--offline", "--template", "{W}/bad.scriban"], 2, "bad.scriban(", w => w.Write("bad.scriban", "{{ for x in }}")),
        ["template output over the cap"] = new(["scan", "--from", Snap, "--template", "{W}/big.scriban", "--format", "console={W}/out.txt"], 2, "larger than 64 MB", w => w.Write("big.scriban", "{{ for i in 1..200 }}{{ '' | string.pad_left 1000000 }}{{ end }}")),
        ["template for a format nobody asked for"] = new(["scan", "--offline", "--template", "sarif={W}/t.scriban"], 2, "which no --format asks for", w => w.Write("t.scriban", "x")),
        ["unknown option"] = new(["scan", "--no-such-option"], 2, "no-such-option"),
        ["path missing"] = new(["scan", "--path", "{W}/missing"], 2, "does not exist"),
        ["path is a file"] = new(["scan", "--path", "{W}/mod/go.mod"], 2, "is a file, not a folder"),
        ["packs folder missing"] = new(["scan", "--offline", "--packs", "{W}/nopacks"], 2, "does not exist"),
        ["packs is a file"] = new(["scan", "--offline", "--packs", "{W}/mod/go.mod"], 2, "is a file"),
        ["packs folder without a pack"] = new(["scan", "--offline", "--packs", "{W}/empty"], 2, "holds no pack", w => Directory.CreateDirectory(w.Combine("empty"))),
        ["relative GOBUILDRULES_HOME"] = new(["scan", "--offline"], 2, "is a relative path", Env: new() { ["GOBUILDRULES_HOME"] = "relative/dir" }),

        // snapshots
        ["snapshot missing"] = new(["scan", "--from", "{W}/nope.json"], 2, "does not exist"),
        ["snapshot is a directory"] = new(["scan", "--from", "{W}/mod"], 2, "is a directory"),
        ["snapshot is /dev/zero"] = new(["scan", "--from", "/dev/zero"], 2, "not a regular file"),
        ["snapshot is a FIFO"] = new(["scan", "--from", "{W}/fifo"], 2, "not a regular file", w => MakeFifo(w.Combine("fifo"))),
        ["snapshot {}"] = new(["scan", "--from", "{W}/s.json"], 2, "has no schemaVersion", w => w.Write("s.json", "{}")),
        ["snapshot schemaVersion only"] = new(["scan", "--from", "{W}/s.json"], 2, "\"go\" is missing", w => w.Write("s.json", "{\"schemaVersion\":1}")),
        ["snapshot null document"] = new(["scan", "--from", "{W}/s.json"], 2, "not an object", w => w.Write("s.json", "null")),
        ["snapshot array"] = new(["scan", "--from", "{W}/s.json"], 2, "not an object", w => w.Write("s.json", "[1,2]")),
        ["snapshot truncated"] = new(["scan", "--from", "{W}/s.json"], 2, "not a valid snapshot", w => w.Write("s.json", Workspace.ValidSnapshot[..80])),
        ["snapshot empty file"] = new(["scan", "--from", "{W}/s.json"], 2, "not a valid snapshot", w => w.Write("s.json", "")),
        ["snapshot future schema"] = new(["scan", "--from", "{W}/s.json"], 2, "schema version 2 is not supported", w => w.Write("s.json", Workspace.ValidSnapshot.Replace("\"schemaVersion\": 1", "\"schemaVersion\": 2"))),
        ["snapshot host null"] = NullSection("host"),
        ["snapshot go null"] = NullSection("go"),
        ["snapshot workspace null"] = NullSection("workspace"),
        ["snapshot extensions null"] = NullSection("extensions"),
        ["snapshot environment null"] = NullSection("environment"),
        ["snapshot collectionIssues null"] = NullSection("collectionIssues"),
        ["snapshot tools null"] = NullSection("tools"),
        ["snapshot go.env value null"] = new(["scan", "--from", "{W}/s.json"], 2, "go.env.GOPROXY", w => w.Write("s.json", Workspace.ValidSnapshot.Replace("\"GOPROXY\": \"off\"", "\"GOPROXY\": null"))),
        ["snapshot host.os null"] = new(["scan", "--from", "{W}/s.json"], 2, "os", w => w.Write("s.json", Workspace.ValidSnapshot.Replace("\"os\": \"linux\"", "\"os\": null"))),
        ["snapshot go.status unknown"] = new(["scan", "--from", "{W}/s.json"], 2, "not a valid snapshot", w => w.Write("s.json", Workspace.ValidSnapshot.Replace("\"status\": \"found\"", "\"status\": \"lost\""))),
        ["report given as snapshot"] = new(["convert", "--from", "{W}/snapshot.json", "--format", "md"], 2, "not a valid gobuildrules JSON report"),
        ["convert from /dev/zero"] = new(["convert", "--from", "/dev/zero", "--format", "md"], 2, "not a regular file"),
        ["convert from a directory"] = new(["convert", "--from", "{W}/mod", "--format", "md"], 2, "is a directory"),

        // configuration
        ["config is /dev/zero"] = new(["scan", "--offline", "--config", "/dev/zero"], 2, "not a regular file"),
        ["config is a directory"] = new(["scan", "--offline", "--config", "{W}/mod"], 2, "is a directory"),
        ["config is a FIFO"] = new(["scan", "--offline", "--config", "{W}/fifo"], 2, "not a regular file", w => MakeFifo(w.Combine("fifo"))),
        ["config missing"] = new(["scan", "--offline", "--config", "{W}/none.json"], 2, "does not exist"),
        ["config named gobuildrules.json is a directory"] = new(["scan", "--offline"], 2, "is a directory", w => Directory.CreateDirectory(w.Combine("mod", "gobuildrules.json"))),
        ["config duplicate key"] = Config("{ \"failOn\": \"error\", \"failOn\": \"never\" }", "Duplicate"),
        ["config duplicate rule"] = Config("{ \"severity\": { \"rules\": { \"GBNET002\": \"off\", \"GBNET002\": \"error\" } } }", "Duplicate"),
        ["config unknown setting"] = Config("{ \"failOnn\": \"error\" }", "failOnn"),
        ["config not JSON"] = Config("{ packs: ", "line"),
        ["config probe budget too small"] = Config("{ \"probeBudgetSeconds\": 0.001 }", "probeBudgetSeconds 0.001 is out of range"),
        ["config bad severity"] = Config("{ \"severity\": { \"categories\": { \"ide\": \"loud\" } } }", "not one of error, warning, note, off"),
        ["config suppression without justification"] = Config("{ \"suppressions\": [ { \"rule\": \"GBGO001\" } ] }", "justification"),
        ["config pack without version"] = Config("{ \"packs\": { \"X.Y\": \"\" } }", "needs a pack id and a version"),

        // lock file
        ["lock file is a directory"] = new(["scan", "--offline"], 2, "is a directory", w =>
        {
            w.Write("mod/gobuildrules.json", "{ \"packs\": { \"Contoso.GoPolicy\": \"1.0.0\" } }");
            Directory.CreateDirectory(w.Combine("mod", "gobuildrules.lock.json"));
        }),
        ["lock file not JSON"] = new(["scan", "--offline"], 2, "not a valid lock file", w =>
        {
            w.Write("mod/gobuildrules.json", "{ \"packs\": { \"Contoso.GoPolicy\": \"1.0.0\" } }");
            w.Write("mod/gobuildrules.lock.json", "{ \"version\": ");
        }),
        ["lock file of another version"] = new(["scan", "--offline"], 2, "lock file version 9 is not supported", w =>
        {
            w.Write("mod/gobuildrules.json", "{ \"packs\": { \"Contoso.GoPolicy\": \"1.0.0\" } }");
            w.Write("mod/gobuildrules.lock.json", "{ \"version\": 9, \"packs\": [] }");
        }),
        ["offline scan of a pack not installed"] = new(["scan", "--offline"], 2, "--offline", w => w.Write("mod/gobuildrules.json", "{ \"packs\": { \"Contoso.GoPolicy\": \"1.0.0\" } }")),

        // pack commands
        ["remove a pack never configured"] = new(["packs", "remove", "Never.Configured"], 2, "nothing changed", w => w.Write("mod/gobuildrules.json", "{\n  // team packs\n  \"packs\": {},\n}\n")),
        ["remove with no config at all"] = new(["packs", "remove", "Never.Configured"], 2, "nothing changed"),
        ["update a pack never configured"] = new(["packs", "update", "Never.Configured"], 2, "is not among the packs"),
        ["install a malformed spec"] = new(["packs", "install", "@@@"], 2, ""),
        ["install from a missing folder feed"] = new(["packs", "install", "X.Y", "--source", "{W}/nofeed"], 2, "X.Y"),
        ["rules explain unknown rule"] = new(["rules", "explain", "NOPE999"], 2, "NOPE999"),
    };

    private static Case NullSection(string section) =>
        new(["scan", "--from", "{W}/s.json"], 2, $"\"{section}\" is null", w => w.Write("s.json", System.Text.RegularExpressions.Regex.Replace(
            Workspace.ValidSnapshot, $"\"{section}\": (\\{{[^\\n]*\\}}|\\[\\]|\\{{\\}})", $"\"{section}\": null")));

    private static Case Config(string json, string fragment) =>
        new(["scan", "--offline"], 2, fragment, w => w.Write("mod/gobuildrules.json", json));

    private static void MakeFifo(string path)
    {
        using var p = System.Diagnostics.Process.Start("mkfifo", [path]);
        p.WaitForExit();
    }

    public static TheoryData<string> Names() => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void Bad_input_gets_one_line_its_exit_code_and_changes_nothing(string name)
    {
        var c = Cases[name];
        using var w = new Workspace();
        c.Setup?.Invoke(w);
        var before = Harness.Hashes(w.Path);
        var r = w.Run(c.Args.Select(a => a.Replace("{W}", w.Path, StringComparison.Ordinal)).ToArray(), c.Env);
        Harness.AssertCleanError(r, c.Exit, c.Fragment);
        Harness.AssertUnchanged(before, w.Path, r);
    }
}

/// <summary>Inputs that are odd but valid: the tool runs and says what it made of them.</summary>
public sealed class OddButValidCases
{
    [Fact]
    public void A_broken_locale_does_not_abort_the_runtime()
    {
        using var w = new Workspace();
        var r = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", "json"], new() { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "false", ["LANG"] = "zz", ["LC_ALL"] = "zz_ZZ.UTF-8" });
        Assert.True(r.ExitCode is 0 or 1, r.ToString());
        Harness.AssertNoStackTrace(r);
    }

    [Theory]
    [InlineData("{ \"disabled\": [\"ide\"] }", "which is a category, not a rule id")]
    [InlineData("{ \"severity\": { \"categories\": { \"nosuchcategory\": \"off\" } } }", "severity.categories.nosuchcategory names no category")]
    [InlineData("{ \"disabled\": [\"NOPE001\"] }", "NOPE001 is configured but no loaded pack has such a rule")]
    public void Config_entries_that_do_nothing_are_named(string config, string note)
    {
        using var w = new Workspace();
        w.Write("mod/gobuildrules.json", config);
        var before = Harness.Hashes(w.Path);
        var r = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", "json"]);
        Assert.True(r.ExitCode is 0 or 1, r.ToString());
        Harness.AssertNoStackTrace(r);
        Assert.Contains(note, r.Stdout);
        Harness.AssertUnchanged(before, w.Path, r);
    }

    [Fact]
    public void A_config_with_comments_and_trailing_commas_is_read()
    {
        using var w = new Workspace();
        w.Write("mod/gobuildrules.json", "{\n  // why\n  \"failOn\": \"never\", /* all */\n}\n");
        var r = w.Run(["scan", "--from", w.Combine("snapshot.json"), "--format", "json"]);
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
