using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.AllPacks.Tests;

/// <summary>
/// Every fix of every rule of every first-party pack that changes a go setting (`go env -w`,
/// `go env -u`, `export`, `unset`) is run with the real go, on every positive fixture, with the
/// settings the fixture sets moved into each place a value can come from: the environment, the GOENV
/// file, or both (the environment hiding a file value). Settings the fixture leaves alone stay at
/// Go's default, so fixes on defaults are run in every variant. After the fix, `go env` (in a scratch
/// HOME with a temporary GOENV file, never the user's) must report the value the fix promises, and no
/// fix may propose the value a setting already has or write the GOENV file for a setting the
/// environment overrides (go: "does not override conflicting OS environment variable").
/// </summary>
public sealed class SettingFixProvenanceTests
{
    private static readonly IRulePack[] Packs = Directory.GetFiles(AppContext.BaseDirectory, "GoBuildRules.Rules.*.dll")
        .Select(f => Assembly.Load(AssemblyName.GetAssemblyName(f)))
        .SelectMany(a => a.GetExportedTypes())
        .Where(t => typeof(IRulePack).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (IRulePack)Activator.CreateInstance(t)!)
        .ToArray();

    private static readonly IReadOnlyList<IRule> Rules = Packs.SelectMany(RuleReplay.RulesOf).ToList();

    /// <summary>cmd/go reads these (cfg.Getenv) but go 1.19's `go env NAME` prints nothing for them: the test reads them as Getenv does.</summary>
    private static readonly string[] CgoFlagChecks = new[] { "CFLAGS", "CPPFLAGS", "CXXFLAGS", "FFLAGS", "LDFLAGS" }
        .SelectMany(v => new[] { $"CGO_{v}_ALLOW", $"CGO_{v}_DISALLOW" })
        .ToArray();

    /// <summary>
    /// The go settings whose provenance the variants move. A fix touching a go setting not listed
    /// here fails <see cref="Every_setting_a_fix_touches_is_varied"/>.
    /// </summary>
    private static readonly string[] Settings =
    [
        "GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE", "GOVCS", "GOFLAGS", "GO111MODULE",
        "GOCACHE", "GOMODCACHE", "GOTMPDIR", "GOWORK", "GOTOOLCHAIN", "CGO_ENABLED", "CC", "CXX", "GOOS", "GOARCH",
        .. CgoFlagChecks,
    ];

    /// <summary>The names the installed go knows (`go env -json`), plus those it reads without printing.</summary>
    private static readonly Lazy<HashSet<string>> KnownToGo = new(() =>
    {
        using var temp = new TempFolder("gbr-provenance-known");
        var json = RunShell("go env -json", new Dictionary<string, string>(), temp.Combine("go-env"), temp.Path).Stdout;
        return new HashSet<string>(JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).Concat(CgoFlagChecks));
    });

    private static IEnumerable<string> PositiveFixtures() =>
        AllPacksReplay.AllFixtures().Where(f => Path.GetFileName(f).StartsWith("positive", StringComparison.Ordinal));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in PositiveFixtures())
        {
            var name = Path.GetRelativePath(RepoPaths.Root(), file);
            // Without a setting of its own the fixture has one variant: everything at Go's default.
            var variants = Variant.Moved(Snapshot.FromJson(File.ReadAllText(file))).Count == 0 ? new[] { "default" } : new[] { "environment", "envfile", "shadowed" };
            foreach (var v in variants)
            {
                data.Add(name, v);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_setting_fix_changes_the_effective_value_as_it_says(string fixture, string where)
    {
        using var temp = new TempFolder("gbr-provenance");
        var variant = Variant.Of(Path.Combine(RepoPaths.Root(), fixture), where, temp.Combine("go-env"));
        var problems = new List<string>();
        foreach (var (ruleId, fix) in SettingFixesOf(variant.Snapshot))
        {
            var label = $"{ruleId} on {fixture} ({where}): `{fix.Command}`";
            foreach (var name in Touched(fix).Where(n => Settings.Contains(n)))
            {
                if (fix.Kind == FixKind.GoEnv && SettingFixes.Source(variant.Snapshot, name) == SettingSource.Environment)
                {
                    problems.Add($"{label} cannot work: {name} comes from the environment (go: does not override conflicting OS environment variable)");
                }
            }

            if (Fix.ShellFor(variant.Snapshot) != ShellSyntax.Posix)
            {
                // PowerShell fixes are checked for their provenance above, not run.
                continue;
            }

            foreach (var (name, promised) in Promises(fix))
            {
                if (!KnownToGo.Value.Contains(name))
                {
                    // GOTOOLCHAIN (go >= 1.21) and the like: unknown to the go 1.19 these tests run.
                    continue;
                }

                // Whether a value is new is judged on the scanned machine: defaults such as CGO_ENABLED differ from this one.
                if (promised is not null && promised == SettingFixes.Effective(variant.Snapshot, name))
                {
                    problems.Add($"{label} proposes the value {name} already has ('{promised}')");
                    continue;
                }

                if (promised is null && SettingFixes.Source(variant.Snapshot, name) == SettingSource.Default)
                {
                    problems.Add($"{label} removes a {name} that is set nowhere");
                    continue;
                }

                var expected = promised ?? Effective(variant.Without(name), name, temp.Path);

                File.WriteAllText(variant.EnvFile, variant.EnvFileText);
                var after = Read(RunShell($"{fix.Command} && {Show(name)}", variant.Environment, variant.EnvFile, temp.Path), name, variant.EnvFile);
                if (after != expected)
                {
                    problems.Add($"{label}: afterwards {name} is '{after}', the fix promises '{expected}'");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_cases_cover_every_kind_of_fix_and_provenance()
    {
        // Guards against a test that passes because nothing matched.
        var seen = new HashSet<string>();
        foreach (var file in PositiveFixtures())
        {
            foreach (var where in new[] { "environment", "envfile", "shadowed" })
            {
                var variant = Variant.Of(file, where, "/nonexistent/go-env");
                foreach (var (_, fix) in SettingFixesOf(variant.Snapshot))
                {
                    var name = Touched(fix).FirstOrDefault(n => Settings.Contains(n));
                    if (name is not null)
                    {
                        seen.Add($"{Kind(fix)} on {SettingFixes.Source(variant.Snapshot, name)}");
                    }
                }
            }
        }

        string[] expected =
        [
            "go env -w on Default", "go env -w on EnvFile", "go env -u on EnvFile",
            "export on Environment", "unset on Environment", "unset && go env -u on Environment",
        ];
        Assert.True(expected.All(seen.Contains), $"missing: {string.Join(", ", expected.Where(e => !seen.Contains(e)))}; seen: {string.Join(", ", seen.Order())}");
    }

    [Fact]
    public void Every_setting_a_fix_touches_is_varied()
    {
        var unlisted = PositiveFixtures()
            .SelectMany(f => SettingFixesOf(Variant.Of(f, "envfile", "/nonexistent/go-env").Snapshot))
            .SelectMany(x => Touched(x.Fix).Where(n => KnownToGo.Value.Contains(n) && !Settings.Contains(n)).Select(n => $"{x.RuleId}: {n}"))
            .Distinct()
            .ToList();
        Assert.True(unlisted.Count == 0, "add to Settings: " + string.Join(", ", unlisted));
    }

    /// <summary>The fixes that change a setting: `go env -w/-u`, or a command starting with export / unset.</summary>
    private static IEnumerable<(string RuleId, Fix Fix)> SettingFixesOf(Snapshot snapshot) =>
        Rules.SelectMany(r => RuleReplay.Run(r, snapshot))
            .SelectMany(f => f.Fixes.Select(x => (f.RuleId, Fix: x)))
            .Where(x => x.Fix.Kind == FixKind.GoEnv
                || x.Fix.Command is { } c && (c.StartsWith("export ", StringComparison.Ordinal) || c.StartsWith("unset ", StringComparison.Ordinal)));

    private static string Kind(Fix fix) =>
        fix.Command!.StartsWith("unset ", StringComparison.Ordinal) && fix.Command.Contains("go env -u", StringComparison.Ordinal) ? "unset && go env -u"
        : fix.Command.StartsWith("go env -w", StringComparison.Ordinal) ? "go env -w"
        : fix.Command.StartsWith("go env -u", StringComparison.Ordinal) ? "go env -u"
        : fix.Command.Split(' ')[0];

    /// <summary>The names a fix changes, from the words it was built from.</summary>
    private static IEnumerable<string> Touched(Fix fix) => Promises(fix).Select(p => p.Name);

    /// <summary>
    /// What a fix promises, by name: the value it sets (from the words it was built from, never
    /// re-parsed from shell text), or null for "back to Go's default".
    /// </summary>
    private static IReadOnlyList<(string Name, string? Value)> Promises(Fix fix)
    {
        var command = fix.Command!;
        if (command.StartsWith("go env -u ", StringComparison.Ordinal))
        {
            return [(command["go env -u ".Length..].Trim(), null)];
        }

        if (command.StartsWith("unset ", StringComparison.Ordinal))
        {
            return [(command["unset ".Length..].Split(' ', ';')[0], null)];
        }

        if (fix.Argv is not { } argv)
        {
            // Shell text (`export NO_PROXY="$NO_PROXY,host"`) may only touch what is not a go setting.
            var names = command.Split(' ').Skip(1).Select(w => w.Split('=')[0]).Where(n => Settings.Contains(n)).ToList();
            Assert.True(names.Count == 0, $"`{command}` sets {string.Join(", ", names)} but was not built from words: the test cannot tell the value it promises");
            return [];
        }

        var words = argv is ["go", "env", "-w", ..] ? argv.Skip(3) : argv is ["export", ..] ? argv.Skip(1) : Enumerable.Empty<string>();
        return words.Select(w => w.Split('=', 2)).Where(p => p.Length == 2).Select(p => (p[0], (string?)p[1])).ToList();
    }

    /// <summary>The effective value in the variant, as the real go reports it.</summary>
    private static string Effective(Variant variant, string name, string home)
    {
        File.WriteAllText(variant.EnvFile, variant.EnvFileText);
        return Read(RunShell(Show(name), variant.Environment, variant.EnvFile, home), name, variant.EnvFile);
    }

    private static string Show(string name) => CgoFlagChecks.Contains(name) ? $"printf '%s' \"${{{name}:-}}\"" : $"go env {name}";

    /// <summary>`go env NAME`'s answer; for a name go does not print, cfg.Getenv's: the environment when non-empty, else the GOENV file's last line.</summary>
    private static string Read((string Stdout, string Stderr) result, string name, string envFile) =>
        !CgoFlagChecks.Contains(name) ? result.Stdout.TrimEnd('\n')
        : result.Stdout.Length > 0 ? result.Stdout
        : GoEnvFile.Parse(File.Exists(envFile) ? File.ReadAllText(envFile) : "").LastOrDefault(e => e.Name == name)?.Value ?? "";

    /// <summary>`sh -c SCRIPT` in an empty environment but for PATH, a scratch HOME, GOENV (the temporary file) and the variant's variables.</summary>
    private static (string Stdout, string Stderr) RunShell(string script, IReadOnlyDictionary<string, string> environment, string envFile, string home)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = home };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(script);
        psi.Environment.Clear();
        psi.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        psi.Environment["HOME"] = home;
        psi.Environment["GOENV"] = envFile;
        psi.Environment["GOTOOLCHAIN"] = "local";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{script}` did not finish");
        }

        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"`{script}` exited {p.ExitCode}: {stderr.Result}");
        return (stdout.Result, stderr.Result);
    }

    /// <summary>A fixture with the settings it sets moved to one place, the environment and GOENV file to run go with, and the snapshot the rules see.</summary>
    private sealed record Variant(Snapshot Snapshot, IReadOnlyDictionary<string, string> Environment, string EnvFile, string EnvFileText)
    {
        /// <summary>The settings the fixture sets (in the environment, in its GOENV file, or inferred from a non-default value), with their values.</summary>
        public static Dictionary<string, string> Moved(Snapshot original) =>
            Settings
                .Where(n => SettingFixes.Source(original, n) != SettingSource.Default)
                .ToDictionary(n => n, n => original.Env(n) is { Length: > 0 } e ? e
                    : original.GoSettings.EnvFile.Entry(n)?.Value ?? original.GoSettings.Value(n));

        public static Variant Of(string file, string where, string envFile)
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            var original = Snapshot.FromJson(json.ToJsonString());
            var moved = Moved(original);
            var environment = (json["environment"]?.AsObject() ?? new JsonObject()).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
            foreach (var name in moved.Keys) environment.Remove(name);

            var inEnvironment = where is "environment" or "shadowed";
            var inFile = where is "envfile" or "shadowed";
            var fileEntries = original.GoSettings.EnvFile.Entries.Where(e => !moved.ContainsKey(e.Name)).Select(e => (e.Name, e.Value))
                .Concat(inFile ? moved.Select(kv => (Name: kv.Key, Value: kv.Value)) : Enumerable.Empty<(string Name, string Value)>());
            var text = string.Concat(fileEntries.Select(e => $"{e.Name}={e.Value}\n"));
            var scanned = new Dictionary<string, string>(environment);
            if (inEnvironment)
            {
                foreach (var (k, v) in moved) scanned[k] = v;
            }

            json["environment"] = new JsonObject(scanned.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
            json.Remove("goSettings");
            var snapshot = Snapshot.FromJson(json.ToJsonString());
            var facts = new GoEnvFile(envFile) { Read = true, Exists = text.Length > 0, Entries = GoEnvFile.Parse(text) };
            snapshot = snapshot with { GoSettings = GoSettings.Resolve(snapshot.Go.Env, snapshot.Env, facts) };
            // go runs with the moved variables only: the fixture's PATH, HOME and the like describe another machine.
            return new Variant(snapshot, inEnvironment ? moved : new Dictionary<string, string>(), envFile, text);
        }

        /// <summary>The same place with <paramref name="name"/> set nowhere: where go shows its default.</summary>
        public Variant Without(string name) =>
            this with
            {
                Environment = Environment.Where(kv => kv.Key != name).ToDictionary(),
                EnvFileText = string.Concat(GoEnvFile.Parse(EnvFileText).Where(e => e.Name != name).Select(e => $"{e.Name}={e.Value}\n")),
            };
    }
}
