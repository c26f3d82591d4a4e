using System.Text.RegularExpressions;
using GoBuildRules.Rules.Shared;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Vendor.Collection;

/// <summary>
/// Reads the repository's watcher configs, scripts, .gitignore and CI files (bounded, redacted). Which
/// files exist comes from the scan's repository index and CI discovery: this class looks for nothing.
/// </summary>
internal static partial class RepoFiles
{
    private const int MaxFileBytes = 512 * 1024;

    private static readonly string[] ScriptFiles =
    [
        "Makefile", "makefile", "GNUmakefile", "Taskfile.yml", "Taskfile.yaml", "justfile", "Justfile", "Procfile", "Procfile.dev",
        "package.json", "docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml", "Tiltfile", ".reflex", "reflex.conf",
    ];

    public static string? Read(string root, string relative)
    {
        var full = Path.Combine(root, relative);
        try
        {
            var info = new FileInfo(full);
            if (!info.Exists || info.Length > MaxFileBytes)
            {
                return null;
            }

            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <param name="configs">The index's <see cref="RepositoryIndex.WatcherConfigs"/>.</param>
    public static IReadOnlyList<TomlConfig> Air(string root, IReadOnlyList<string> configs) =>
        new[] { ".air.toml", "air.toml", ".air.conf" }
            .Where(configs.Contains)
            .Select(f => (File: f, Text: Read(root, f)))
            .Where(x => x.Text is not null)
            .Select(x => TomlLite.Parse(x.File, x.Text!))
            .ToList();

    /// <param name="configs">The index's <see cref="RepositoryIndex.WatcherConfigs"/>.</param>
    public static IReadOnlyList<WatcherCommand> WatcherCommands(string root, IReadOnlyList<string> configs)
    {
        var files = ScriptFiles.Where(configs.Contains)
            .Concat(configs.Where(f => f.EndsWith(".sh", StringComparison.Ordinal)).Take(100))
            .Concat(configs.Where(f => f == ".vscode/tasks.json"))
            .Distinct();
        var found = new List<WatcherCommand>();
        foreach (var file in files)
        {
            var text = Read(root, file);
            if (text is null)
            {
                continue;
            }

            var isReflexConf = file is ".reflex" or "reflex.conf";
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length && found.Count < 100; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (isReflexConf)
                {
                    if (line.TrimStart().StartsWith('-'))
                    {
                        found.Add(new WatcherCommand("reflex", file, i + 1, Arguments(line)));
                    }

                    continue;
                }

                var m = ToolPattern().Match(line);
                if (m.Success)
                {
                    var tool = m.Groups["tool"].Value.ToLowerInvariant() switch
                    {
                        "compiledaemon" => "CompileDaemon",
                        var t => t,
                    };
                    found.Add(new WatcherCommand(tool, file, i + 1, Arguments(line[(m.Index + m.Length)..])));
                }
            }
        }

        return found;
    }

    /// <summary>The command's own arguments: up to a shell separator, redacted.</summary>
    private static IReadOnlyList<string> Arguments(string rest)
    {
        var cut = rest.IndexOfAny([';', '|', '&', '`']);
        var args = Executables.SplitCommandLine(cut < 0 ? rest : rest[..cut]);
        return args.Select(a => Secrets.Redact(a.Trim('"', '\'', ','))).Where(a => a.Length > 0).Take(60).ToList();
    }

    /// <param name="configs">The index's <see cref="RepositoryIndex.WatcherConfigs"/>.</param>
    public static GoplsFilters? Gopls(string root, IReadOnlyList<string> configs)
    {
        // The folder's .vscode/settings.json first, then the workspace files at the root.
        var candidates = configs.Where(f => f == ".vscode/settings.json")
            .Concat(configs.Where(f => f.EndsWith(".code-workspace", StringComparison.Ordinal) && !f.Contains('/')).Take(50))
            .ToList();
        GoplsFilters? found = null;
        foreach (var file in candidates)
        {
            var text = Read(root, file);
            if (text is null)
            {
                continue;
            }

            var parse = JsoncFile.Parse(System.Text.Encoding.UTF8.GetBytes(text));
            var prefix = file.EndsWith(".code-workspace", StringComparison.Ordinal) ? new[] { "settings" } : [];
            var setting = parse.Values.FirstOrDefault(v => v.Kind == System.Text.Json.JsonValueKind.Array && IsFiltersPath(v.Path, prefix));
            if (setting is null)
            {
                continue;
            }

            var filters = parse.Values
                .Where(v => v.Path.Count == setting.Path.Count + 1 && v.Path.Take(setting.Path.Count).SequenceEqual(setting.Path) && v.Text is not null)
                .Select(v => v.Text!)
                .ToList();
            // The folder's .vscode/settings.json overrides a workspace file's settings for that folder.
            found ??= new GoplsFilters(file, setting.Line, filters);
        }

        return found;
    }

    private static bool IsFiltersPath(IReadOnlyList<string> path, string[] prefix)
    {
        if (path.Count < prefix.Length + 1 || !path.Take(prefix.Length).SequenceEqual(prefix))
        {
            return false;
        }

        var rest = path.Skip(prefix.Length).ToList();
        return (rest.Count == 2 && rest[0] == "gopls" && rest[1] == "build.directoryFilters")
            || (rest.Count == 1 && rest[0] == "gopls.build.directoryFilters");
    }

    /// <summary>The root .gitignore's effective rule for a directory name (the last matching line wins; a `!` re-includes).</summary>
    public static SourceLine? Ignored(string root, string name)
    {
        var text = Read(root, ".gitignore");
        if (text is null)
        {
            return null;
        }

        SourceLine? last = null;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var raw = lines[i].TrimEnd('\r').Trim();
            if (raw.Length == 0 || raw.StartsWith('#'))
            {
                continue;
            }

            var negated = raw.StartsWith('!');
            var pattern = (negated ? raw[1..] : raw).TrimStart('/').TrimEnd('/');
            if (pattern == name || pattern == name + "/*" || pattern == name + "/**" || pattern == "**/" + name || pattern == "**/" + name + "/**")
            {
                last = negated ? null : new SourceLine(".gitignore", i + 1, raw);
            }
        }

        return last;
    }

    /// <param name="ciFiles">The scan's CI files (<see cref="CiSystem.ConfigFiles"/>), relative to <paramref name="root"/>.</param>
    public static (IReadOnlyList<SourceLine> ModVendor, IReadOnlyList<SourceLine> GoModVendor) CiVendor(string root, IReadOnlyList<CiConfigFile> ciFiles)
    {
        var modVendor = new List<SourceLine>();
        var goModVendor = new List<SourceLine>();
        foreach (var file in ciFiles.Select(f => f.Path))
        {
            var text = Read(root, file);
            if (text is null)
            {
                continue;
            }

            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (line.TrimStart().StartsWith('#'))
                {
                    continue;
                }

                if (ModVendorPattern().IsMatch(line))
                {
                    modVendor.Add(new SourceLine(file, i + 1, Clip(line)));
                }

                if (GoModVendorPattern().IsMatch(line))
                {
                    goModVendor.Add(new SourceLine(file, i + 1, Clip(line)));
                }
            }
        }

        return (modVendor, goModVendor);
    }

    private static string Clip(string line)
    {
        var t = Secrets.Redact(line.Trim());
        return t.Length > 200 ? t[..200] + "…" : t;
    }

    [GeneratedRegex(@"(?:^|[\s/""'`=(])(?<tool>reflex|CompileDaemon|compiledaemon|watchexec)(?=\s|$|[""'])")]
    private static partial Regex ToolPattern();

    [GeneratedRegex(@"-mod[= ]vendor\b")]
    private static partial Regex ModVendorPattern();

    [GeneratedRegex(@"\bgo\s+mod\s+vendor\b")]
    private static partial Regex GoModVendorPattern();
}
