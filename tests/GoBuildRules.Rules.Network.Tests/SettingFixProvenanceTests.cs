using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.Network.Tests;

/// <summary>
/// Every fix of every rule of the pack that changes a go setting (`go env -w`, `go env -u`,
/// `export`, `unset`) is run with the real go, on every positive fixture, once with the fixture's
/// settings coming from the environment and once from the GOENV file; `go env` must then report
/// the value the fix promises. A fix never proposes the value a setting already has.
/// </summary>
public sealed partial class SettingFixProvenanceTests
{
    /// <summary>The module-fetch settings whose provenance the fixtures vary.</summary>
    private static readonly string[] Settings = ["GOPROXY", "GOSUMDB", "GOPRIVATE", "GONOPROXY", "GONOSUMDB", "GOINSECURE"];

    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(Fixtures, "positive*.json", SearchOption.AllDirectories).Where(PackFixtures.IsFixture).Order(StringComparer.Ordinal))
        {
            foreach (var source in new[] { "environment", "envfile" })
            {
                data.Add(Path.GetRelativePath(Fixtures, file), source);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_setting_fix_changes_the_effective_value_as_it_says(string fixture, string source)
    {
        using var temp = new TempFolder("gbr-provenance");
        var envFile = temp.Combine("go-env");
        var (snapshot, environment, fileLines) = Variant(Path.Combine(Fixtures, fixture), source == "environment", envFile);

        var fixes = RuleReplay.RulesOf(new NetworkPack())
            .SelectMany(r => RuleReplay.Run(r, snapshot))
            .SelectMany(f => f.Fixes.Select(x => (f.RuleId, Fix: x)))
            .Where(x => x.Fix.Command is { } c && SettingCommand().IsMatch(c))
            .ToList();

        foreach (var (ruleId, fix) in fixes)
        {
            var m = SettingCommand().Match(fix.Command!);
            var name = m.Groups["name"].Value;
            if (!Settings.Contains(name))
            {
                // GOTOOLCHAIN (go >= 1.21) is unknown to the go 1.19 these tests run.
                continue;
            }

            var current = snapshot.GoSettings.Value(name);
            var fromEnvironment = environment.ContainsKey(name);
            var writesGoEnv = fix.Command!.StartsWith("go env", StringComparison.Ordinal);
            Assert.False(fromEnvironment && writesGoEnv,
                $"{ruleId} on {fixture} ({source}): `{fix.Command}` cannot work, {name} comes from the environment (go: does not override conflicting OS environment variable)");

            var unsets = m.Groups["unset"].Success;
            var expected = unsets
                ? (name is "GONOPROXY" or "GONOSUMDB" ? snapshot.GoSettings.Value("GOPRIVATE") : GoSettings.Defaults.GetValueOrDefault(name, ""))
                : ArgvValue(fix, name);
            Assert.False(expected == current, $"{ruleId} on {fixture} ({source}): `{fix.Command}` proposes the value {name} already has ({current})");

            File.WriteAllText(envFile, fileLines);
            var after = RunFixThenGoEnv(fix.Command!, name, environment, envFile, temp.Path);
            Assert.True(after == expected,
                $"{ruleId} on {fixture} ({source}): after `{fix.Command}` go env {name} is '{after}', the fix promises '{expected}'");
        }
    }

    [Fact]
    public void The_cases_cover_fixes_of_each_kind()
    {
        // Guards against a test that passes because nothing matched.
        var kinds = new HashSet<string>();
        foreach (var file in Directory.GetFiles(Fixtures, "positive*.json", SearchOption.AllDirectories).Where(PackFixtures.IsFixture))
        {
            foreach (var fromEnvironment in new[] { true, false })
            {
                var (snapshot, _, _) = Variant(file, fromEnvironment, "/nonexistent/go-env");
                foreach (var fix in RuleReplay.RulesOf(new NetworkPack()).SelectMany(r => RuleReplay.Run(r, snapshot)).SelectMany(f => f.Fixes))
                {
                    if (fix.Command is { } c && SettingCommand().Match(c) is { Success: true } m)
                    {
                        kinds.Add(c.StartsWith("go env", StringComparison.Ordinal) ? "go env " + c.Split(' ')[2] : c.Split(' ')[0]);
                    }
                }
            }
        }

        Assert.Contains("go env -w", kinds);
        Assert.Contains("go env -u", kinds);
        Assert.Contains("export", kinds);
        Assert.Contains("unset", kinds);
    }

    /// <summary>The fixture with its non-default module settings moved into the environment, or into a GOENV file.</summary>
    private static (Snapshot Snapshot, Dictionary<string, string> Environment, string EnvFileText) Variant(string file, bool fromEnvironment, string envFile)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var goEnv = json["go"]?["env"]?.AsObject();
        var environment = (json["environment"]?.AsObject() ?? new JsonObject()).ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<string>());
        var moved = new Dictionary<string, string>();
        foreach (var name in Settings)
        {
            var value = goEnv?[name]?.GetValue<string>() ?? environment.GetValueOrDefault(name);
            environment.Remove(name);
            var derived = name is "GONOPROXY" or "GONOSUMDB" ? goEnv?["GOPRIVATE"]?.GetValue<string>() ?? "" : GoSettings.Defaults.GetValueOrDefault(name, "");
            if (value is { Length: > 0 } && value != derived)
            {
                moved[name] = value;
            }
        }

        var lines = string.Concat(moved.Select(kv => $"{kv.Key}={kv.Value}\n"));
        var snapshotEnvironment = new Dictionary<string, string>(environment);
        if (fromEnvironment)
        {
            foreach (var (k, v) in moved) snapshotEnvironment[k] = v;
        }

        json["environment"] = new JsonObject(snapshotEnvironment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value))));
        var snapshot = Snapshot.FromJson(json.ToJsonString());
        var fileFacts = new GoEnvFile(envFile) { Read = true, Exists = !fromEnvironment, Entries = fromEnvironment ? [] : GoEnvFile.Parse(lines) };
        snapshot = snapshot with { GoSettings = GoSettings.Resolve(snapshot.Go.Env, snapshot.Env, fileFacts) };
        return (snapshot, fromEnvironment ? moved : [], fromEnvironment ? "" : lines);
    }

    /// <summary>The value a set fix writes, from the words it was built from (never re-parsed from shell text).</summary>
    private static string ArgvValue(Fix fix, string name)
    {
        var assignment = fix.Argv?.LastOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"`{fix.Command}` was not built from words; cannot tell the value it sets");
        return assignment[(name.Length + 1)..];
    }

    /// <summary>
    /// `sh -c 'FIX; go env NAME'` in an empty environment but for PATH, a scratch HOME, GOENV (the
    /// temporary file) and the variables the variant puts in the environment.
    /// </summary>
    private static string RunFixThenGoEnv(string command, string name, IReadOnlyDictionary<string, string> environment, string envFile, string home)
    {
        var psi = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = home };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"{command} && go env {name}");
        psi.Environment.Clear();
        psi.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH");
        psi.Environment["HOME"] = home;
        psi.Environment["GOENV"] = envFile;
        psi.Environment["GOCACHE"] = Path.Combine(home, "cache");
        psi.Environment["GOTOOLCHAIN"] = "local";
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"`{command}` did not finish");
        }

        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"`{command} && go env {name}` exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result.TrimEnd('\n');
    }

    [GeneratedRegex(@"^(?:go env -w (?<name>[A-Z0-9_]+)=|go env -u (?<name>[A-Z0-9_]+)(?<unset>)$|export (?:')?(?<name>[A-Z0-9_]+)=|unset (?<name>[A-Z0-9_]+)(?<unset>)(?: && go env -u [A-Z0-9_]+)?$)")]
    private static partial Regex SettingCommand();
}
