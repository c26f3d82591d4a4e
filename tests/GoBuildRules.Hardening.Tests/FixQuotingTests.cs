using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GoBuildRules.Core.Packs;
using GoBuildRules.Sdk;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Hardening.Tests;

/// <summary>
/// Fix commands are safe to paste: a module path, file name or environment value holding shell
/// syntax comes out quoted. Checked with a real /bin/sh: argv-built commands parse back to their
/// argv, and no fix of any rule, fed hostile values, runs the payload hidden in them.
/// </summary>
public sealed partial class FixQuotingTests
{
    private const string Payload = "$(printf INJ%sTED E)`printf INJ%sTED E`;printf INJ%sTED E|printf INJ%sTED E&&printf INJ%sTED E'\"\n*?~{a,b}\\";

    public static TheoryData<string> HostileWords() =>
    [
        "example.com/m`$(id)`", "example.com/a|b", "a b", "'", "''", "\"", "$HOME", "${HOME}", "$(echo INJECTED)", "`echo INJECTED`",
        "a;echo INJECTED", "a&&echo INJECTED", "a\nb", "-rf", "--", "*", "?", "~", "~root", "{a,b}", "a\\b", "\\", "!", "#comment",
        "x=y", "é/ü", "\u2018smart\u2019", "a\tb", "", " ", "=", "@", "%", ",", "[a]", "<in", ">out", "2>&1",
    ];

    [Theory]
    [MemberData(nameof(HostileWords))]
    public void A_posix_quoted_word_parses_back_to_itself(string word)
    {
        var argv = new[] { "go", "mod", "download", word, word + "@v1.0.0" };
        Assert.Equal(argv, ParseWithSh(Fix.CommandLine(argv, ShellSyntax.Posix)));
    }

    [Fact]
    public void Seeded_random_words_parse_back_to_themselves()
    {
        var random = new Random(12);
        const string alphabet = "ab/.-_ $`'\"\\;|&()<>*?~{}[]#!=%@,\t\n\u00e9\u2018";
        for (var i = 0; i < 200; i++)
        {
            var words = Enumerable.Range(0, random.Next(1, 5))
                .Select(_ => new string(Enumerable.Range(0, random.Next(0, 12)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
                .Prepend("go").ToArray();
            Assert.Equal(words, ParseWithSh(Fix.CommandLine(words, ShellSyntax.Posix)));
        }
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("it's", "'it''s'")]
    [InlineData("a b", "'a b'")]
    [InlineData("$env:TOKEN", "'$env:TOKEN'")]
    [InlineData("\u2018x\u2019", "'\u2018\u2018x\u2019\u2019'")]
    [InlineData("-flag", "'-flag'")]
    [InlineData("a,b", "'a,b'")]
    public void Powershell_words_are_single_quoted_with_quotes_doubled(string word, string quoted) =>
        Assert.Equal(quoted, Fix.PowerShellQuote(word));

    [Fact]
    public void A_windows_snapshot_gets_powershell_commands()
    {
        var windows = new Snapshot { Host = new HostFacts { Os = "windows" } };
        var fix = Fix.Run("t", ["go", "mod", "download", "example.com/a b@v1.0.0"], "r", Fix.ShellFor(windows));
        Assert.Equal("go mod download 'example.com/a b@v1.0.0'", fix.Command);
    }

    /// <summary>Every rule of every bundled pack, over its own positive fixtures with every module path and file path made hostile.</summary>
    [Fact]
    public void No_fix_of_any_rule_runs_what_hides_in_module_paths_and_file_names()
    {
        var tool = Cli.ToolDirectory;
        using var packs = new PackHost().Load(PackLayout.PackFoldersIn(PackLayout.BundledPacksFolder(tool)).Select(f => new PackSource(f, Bundled: true)));
        Assert.Empty(packs.Errors);
        var fixtures = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root(), "tests"), "positive*.json", SearchOption.AllDirectories)
            .Where(f => f.Contains($"{Path.DirectorySeparatorChar}fixtures{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && PackFixtures.IsFixture(f))
            .ToList();
        Assert.NotEmpty(fixtures);
        var commands = 0;
        var argvChecked = 0;
        using var cwd = new TempFolder("gbr-quote");
        foreach (var file in fixtures)
        {
            Snapshot snapshot;
            try
            {
                snapshot = Snapshot.FromJson(Hostile(File.ReadAllText(file)));
            }
            catch (SnapshotFormatException)
            {
                continue;
            }

            foreach (var rule in packs.Rules)
            {
                List<Finding> findings;
                try
                {
                    findings = rule.Evaluate(snapshot, CancellationToken.None).ToList();
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    // A rule that cannot read the mutated facts produces no fix to check.
                    continue;
                }

                foreach (var fix in findings.SelectMany(f => f.Fixes).Where(x => x.Command is not null))
                {
                    commands++;
                    var (stdout, stderr) = RunWithSh(fix.Command!, cwd.Path);
                    Assert.False((stdout + stderr).Contains("INJECTED", StringComparison.Ordinal), $"{rule.Descriptor.Id} ({Path.GetFileName(file)}): `{fix.Command}` ran the payload");
                    if (fix.Argv is { } argv)
                    {
                        argvChecked++;
                        Assert.Equal(argv, ParseWithSh(fix.Command!));
                    }
                }
            }
        }

        Assert.True(commands > 20, $"only {commands} fix commands were checked");
        Assert.True(argvChecked > 0, "no argv-built fix was checked");
    }

    /// <summary>Module paths and absolute paths in the fixture, each made hostile the same way wherever it appears.</summary>
    private static string Hostile(string json)
    {
        var node = JsonNode.Parse(json)!;
        Walk(node);
        return node.ToJsonString();

        static void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, value) in o.ToList())
                    {
                        if (value is JsonValue v && v.TryGetValue<string>(out var s) && Mutate(s) is { } m)
                        {
                            o[key] = m;
                        }
                        else
                        {
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                    {
                        if (a[i] is JsonValue v && v.TryGetValue<string>(out var s) && Mutate(s) is { } m)
                        {
                            a[i] = m;
                        }
                        else
                        {
                            Walk(a[i]);
                        }
                    }

                    break;
            }
        }

        static string? Mutate(string s) =>
            ModulePath().IsMatch(s) || (s.StartsWith('/') && s.Length > 1 && !s.Contains(' ', StringComparison.Ordinal)) ? s + Payload : null;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}(/[A-Za-z0-9._~\-]+)+$")]
    private static partial Regex ModulePath();

    /// <summary>The words sh makes of a command line, without running it: printf prints them.</summary>
    private static string[] ParseWithSh(string command)
    {
        var (stdout, stderr) = RunWithSh("printf '%s\\0' " + command, Path.GetTempPath());
        Assert.True(stderr.Length == 0, $"sh could not parse `{command}`: {stderr}");
        return stdout.Split('\0')[..^1];
    }

    /// <summary>Runs the command in sh with an empty PATH: only builtins (echo, printf) can run, so a payload shows on the output.</summary>
    private static (string Stdout, string Stderr) RunWithSh(string command, string cwd)
    {
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = cwd };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(command);
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/nonexistent";
        psi.Environment["HOME"] = cwd;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"sh -c `{command}` did not finish");
        }

        p.WaitForExit();
        return (stdout.Result, stderr.Result);
    }
}
