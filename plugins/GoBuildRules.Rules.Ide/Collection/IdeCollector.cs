using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using GoBuildRules.Rules.Shared;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Collection;

/// <summary>Reads the IDE configuration files of the workspace and checks what they point at.</summary>
public sealed partial class IdeCollector : ISnapshotCollector<IdeFacts>
{
    /// <summary>It reads editor and CI settings, never the module cache or the running processes.</summary>
    public bool RunsBeforeGo => false;

    private const int MaxFileBytes = 1024 * 1024;

    private readonly Func<string, string?> environment;

    public IdeCollector()
        : this(Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>For tests: the environment the settings are resolved against.</summary>
    internal IdeCollector(Func<string, string?> environment)
    {
        this.environment = environment;
    }

    public string Key => IdePack.FactsKey;

    public Task<IdeFacts> CollectAsync(CollectionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Collect(context.WorkspaceRoot, context.Core.Repository, context.Core.Ci, cancellationToken));

    /// <param name="index">The scan's repository index: the workspace files and the test files come from it, not from a walk of the pack's own.</param>
    /// <param name="ci">The scan's CI files.</param>
    internal IdeFacts Collect(string root, RepositoryIndex index, CiSystem ci, CancellationToken ct)
    {
        var files = new List<SettingsFile>();
        foreach (var (file, kind) in VsCodeFiles(index))
        {
            var bytes = ReadBytes(root, file);
            if (bytes is not null)
            {
                files.Add(ReadSettings(file, kind, bytes));
            }
        }

        var idea = IdeaReader.ReadAll(root, environment);
        var envNames = new SortedSet<string>(StringComparer.Ordinal);
        var references = new List<EnvReference>();
        var paths = new List<PathCheck>();
        foreach (var f in files)
        {
            foreach (var v in f.Values)
            {
                if (v.Text is null)
                {
                    continue;
                }

                foreach (Match m in EnvReferencePattern().Matches(v.Text))
                {
                    references.Add(new EnvReference(m.Groups[1].Value, environment(m.Groups[1].Value) is not null, f.File, v.Line, string.Join('.', v.Path)));
                }
            }

            foreach (var (setting, v) in Settings.Normalised(f))
            {
                if (setting.Count == 2 && setting[0] is "go.toolsEnvVars" or "build.env" && v.Kind == "string")
                {
                    envNames.Add(setting[1]);
                }

                if (setting.Count == 3 && setting[0] == "gopls" && setting[1] == "build.env")
                {
                    envNames.Add(setting[2]);
                }

                if (v.Text is not null && PathSetting(setting) is { } what)
                {
                    paths.Add(Check(root, what, f.File, v.Line, v.Text));
                }
            }
        }

        foreach (var s in idea.SelectMany(i => i.Settings.Select(s => (i.File, s))))
        {
            if (IdeaReader.IsGoVariable(s.s.Name) && s.s.Component != "GOROOT")
            {
                envNames.Add(s.s.Name);
            }

            if (s.s.Component == "GOROOT")
            {
                paths.Add(Check(root, "GoLand GOROOT", s.File, s.s.Line, s.s.Value));
            }

            if (s.s.Component == "GOPATH" && s.s.Value.Length > 0)
            {
                paths.Add(Check(root, "GoLand GOPATH", s.File, s.s.Line, s.s.Value));
            }
        }

        var shell = envNames.ToDictionary(n => n, n => environment(n) is { } value ? Secrets.RedactVariable(n, value) : null, StringComparer.Ordinal);
        return new IdeFacts
        {
            VsCode = files,
            EnvReferences = references,
            Paths = paths,
            Shell = shell,
            Ci = CiReader.Read(root, ci.ConfigFiles),
            Tests = TestScan(root, index, ct),
            Idea = idea,
        };
    }

    /// <summary>Which settings name a path that must exist, and what it must be.</summary>
    private static string? PathSetting(IReadOnlyList<string> s) => s switch
    {
        ["go.alternateTools", var tool] => "go.alternateTools." + tool,
        ["go.goroot"] => "go.goroot",
        ["configurations", _, "substitutePath", _, "from"] => "substitutePath.from",
        ["go.delveConfig", "substitutePath", _, "from"] => "substitutePath.from",
        ["configurations", _, "dlvToolPath"] => "dlvToolPath",
        _ => null,
    };

    private PathCheck Check(string root, string setting, string file, int line, string raw)
    {
        var resolved = Resolve(root, raw);
        bool exists, executable;
        if (setting.StartsWith("go.alternateTools.", StringComparison.Ordinal) || setting == "dlvToolPath")
        {
            var found = Executables.Find(resolved, environment("PATH"));
            exists = found is not null;
            executable = found?.IsExecutable ?? false;
            resolved = found?.Path ?? resolved;
        }
        else if (setting is "go.goroot" or "GoLand GOROOT")
        {
            var go = Path.Combine(resolved, "bin", OperatingSystem.IsWindows() ? "go.exe" : "go");
            exists = Directory.Exists(resolved);
            executable = Executables.Find(go, null)?.IsExecutable ?? false;
        }
        else
        {
            exists = Directory.Exists(resolved) || File.Exists(resolved);
            executable = false;
        }

        return new PathCheck(setting, file, line, Secrets.Redact(raw), Secrets.Redact(resolved), exists, executable);
    }

    /// <summary>Expands the variables VS Code and GoLand put in paths: ${workspaceFolder}, ${env:X}, ~, $PROJECT_DIR$, file://.</summary>
    private string Resolve(string root, string raw)
    {
        var s = raw.Trim();
        if (s.StartsWith("file://", StringComparison.Ordinal))
        {
            s = s["file://".Length..];
        }

        var home = environment("HOME") ?? environment("USERPROFILE") ?? "";
        s = s.Replace("${workspaceFolder}", root).Replace("${workspaceRoot}", root).Replace("$PROJECT_DIR$", root)
            .Replace("${userHome}", home).Replace("$USER_HOME$", home);
        s = EnvReferencePattern().Replace(s, m => environment(m.Groups[1].Value) ?? "");
        if (s == "~" || s.StartsWith("~/", StringComparison.Ordinal))
        {
            s = home + s[1..];
        }

        // A bare command name (go, dlv) is looked up on PATH by the caller; anything with a slash is a path.
        return s.Contains('/') && !Path.IsPathRooted(s) ? Path.GetFullPath(Path.Combine(root, s)) : s;
    }

    private static IEnumerable<(string File, string Kind)> VsCodeFiles(RepositoryIndex index)
    {
        yield return (".vscode/settings.json", "settings");
        yield return (".vscode/launch.json", "launch");
        foreach (var w in index.WatcherConfigs.Where(f => f.EndsWith(".code-workspace", StringComparison.Ordinal) && !f.Contains('/')).Take(10))
        {
            yield return (w, "workspace");
        }
    }

    internal static SettingsFile ReadSettings(string file, string kind, byte[] bytes)
    {
        var parse = JsoncFile.Parse(bytes);
        var values = parse.Values.Select(v => new SettingValue(v.Path, v.Line, KindName(v.Kind), Redact(v.Path, v.Text))).ToList();
        return new SettingsFile(file, kind) { Values = values, ErrorLine = parse.ErrorLine, Error = parse.Error, Truncated = parse.Truncated };
    }

    /// <summary>A value under a secret-named key (env.GITHUB_TOKEN) is masked whole; any other loses URL credentials and secret assignments.</summary>
    private static string? Redact(IReadOnlyList<string> path, string? text)
    {
        if (text is null)
        {
            return null;
        }

        var secretKey = path.LastOrDefault(p => !p.All(char.IsAsciiDigit) && Secrets.IsSecretName(p));
        return secretKey is not null ? Secrets.RedactVariable(secretKey, text) : Secrets.Redact(text);
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "null",
    };

    private static byte[]? ReadBytes(string root, string relative)
    {
        try
        {
            var info = new FileInfo(Path.Combine(root, relative));
            return info.Exists && info.Length <= MaxFileBytes ? File.ReadAllBytes(info.FullName) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Counts _test.go files and testing.Short() guards, outside vendor/ and node_modules/, within a budget.</summary>
    /// <summary>How many of the module's test files guard long tests with testing.Short() (the files the repository index lists, bounded).</summary>
    internal static TestHints TestScan(string root, RepositoryIndex index, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var files = index.Go.TestFiles.Select(f => Path.Combine(root, f));
        int count = 0, guards = 0, exampleLine = 0;
        string? example = null;
        var truncated = false;
        foreach (var file in files)
        {
            if (count >= 3000 || sw.Elapsed > TimeSpan.FromSeconds(1) || ct.IsCancellationRequested)
            {
                truncated = true;
                break;
            }

            count++;
            try
            {
                if (new FileInfo(file).Length > 512 * 1024)
                {
                    continue;
                }

                var lines = File.ReadAllLines(file);
                for (var i = 0; i < lines.Length; i++)
                {
                    if (lines[i].Contains("testing.Short()", StringComparison.Ordinal))
                    {
                        guards++;
                        if (example is null)
                        {
                            example = Path.GetRelativePath(root, file).Replace('\\', '/');
                            exampleLine = i + 1;
                        }
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable test files are simply not counted.
            }
        }

        truncated |= index.Truncated || index.Go.TestFileCount > index.Go.TestFiles.Count;
        return new TestHints { TestFiles = truncated ? count : index.Go.TestFileCount, ShortGuards = guards, ExampleFile = example, ExampleLine = exampleLine, Truncated = truncated };
    }

    [GeneratedRegex(@"\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvReferencePattern();
}
