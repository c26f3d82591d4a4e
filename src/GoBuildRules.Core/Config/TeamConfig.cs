using System.Text.Json;
using System.Text.Json.Serialization;
using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Config;

/// <summary>
/// The team configuration, gobuildrules.json at the repository root (schema:
/// docs/schemas/gobuildrules.schema.json). Everything is optional; an absent file is the empty config.
/// </summary>
public sealed record TeamConfig
{
    public const string FileName = "gobuildrules.json";

    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }

    /// <summary>Pack id → a NuGet version ("1.2.0") or range ("[1.0,2.0)").</summary>
    public IReadOnlyDictionary<string, string> Packs { get; init; } = new Dictionary<string, string>();

    public SeverityOverrides Severity { get; init; } = new();

    /// <summary>Rule ids whose findings are dropped.</summary>
    public IReadOnlyList<string> Disabled { get; init; } = [];

    public IReadOnlyList<Suppression> Suppressions { get; init; } = [];

    /// <summary>The deadline for all collection, probes included, when --timeout is not given.</summary>
    public double? ProbeBudgetSeconds { get; init; }

    /// <summary>error, warning, note or never, when --fail-on is not given.</summary>
    public string? FailOn { get; init; }

    /// <summary>The file this was read from, null for the empty config.</summary>
    [JsonIgnore]
    public string? File { get; init; }

    public static TeamConfig Empty { get; } = new();
}

public sealed record SeverityOverrides
{
    /// <summary>Rule id → error, warning, note or off. Wins over <see cref="Categories"/>.</summary>
    public IReadOnlyDictionary<string, string> Rules { get; init; } = new Dictionary<string, string>();

    /// <summary>Rule category → error, warning, note or off.</summary>
    public IReadOnlyDictionary<string, string> Categories { get; init; } = new Dictionary<string, string>();
}

/// <param name="Rule">The rule id the suppression applies to.</param>
/// <param name="Subject">Only findings about this subject ('*' matches any run of characters); all of the rule's findings when absent.</param>
/// <param name="Justification">Why the finding is accepted; required, shown in reports.</param>
/// <param name="Expires">The last day the suppression applies; afterwards it is reported as stale and no longer suppresses.</param>
public sealed record Suppression(string Rule, string? Subject, string Justification, DateOnly? Expires);

/// <summary>gobuildrules.json is malformed or says something impossible: exit code 2.</summary>
public sealed class ConfigException(string message) : Exception(message);

public static class TeamConfigFile
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The nearest gobuildrules.json at or above <paramref name="folder"/>, or null.</summary>
    public static string? Find(string folder)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(folder)); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, TeamConfig.FileName);
            // A directory of that name is found too, so that it is refused rather than passed over.
            if (System.IO.File.Exists(candidate) || Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The repository root for config and lock file: the folder of the nearest gobuildrules.json, else <paramref name="folder"/>.</summary>
    public static string RootOf(string folder) =>
        Find(folder) is { } file ? Path.GetDirectoryName(file)! : Path.GetFullPath(folder);

    /// <summary>Reads the config above <paramref name="folder"/>; the empty config when there is none.</summary>
    public static TeamConfig LoadFrom(string folder) => Find(folder) is { } file ? Load(file) : TeamConfig.Empty;

    public static TeamConfig Load(string file)
    {
        string text;
        try
        {
            // A config is a few KB; /dev/zero or a FIFO named by --config is refused, not read forever.
            text = IO.BoundedFile.ReadAllText(file, "config", maxBytes: 4 * 1024 * 1024);
        }
        catch (IO.InputFileException e)
        {
            throw new ConfigException(e.Message);
        }

        return Parse(text, file);
    }

    public static TeamConfig Parse(string json, string file)
    {
        TeamConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<TeamConfig>(json, Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" line {line + 1}" : "";
            var path = e.Path is { Length: > 1 } p ? $" (at {p.TrimStart('$', '.')})" : "";
            throw new ConfigException($"{file}{where}{path}: {e.Message.Split(" Path:")[0]}");
        }
        catch (ArgumentException e)
        {
            // Text no file read as UTF-8 can hold (a lone surrogate in a string built in memory).
            throw new ConfigException($"{file}: {e.Message}");
        }

        config = (config ?? TeamConfig.Empty) with { File = file };
        Validate(config);
        return config;
    }

    private static void Validate(TeamConfig c)
    {
        var file = c.File;
        foreach (var (id, version) in c.Packs)
        {
            if (string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(version))
            {
                throw new ConfigException($"{file}: packs: every entry needs a pack id and a version or range");
            }
        }

        foreach (var (where, map) in new[] { ("severity.rules", c.Severity.Rules), ("severity.categories", c.Severity.Categories) })
        {
            foreach (var (key, value) in map)
            {
                if (SeverityLevel.Parse(value) is null && !SeverityLevel.IsOff(value))
                {
                    throw new ConfigException($"{file}: {where}.{key} is '{value}', not one of error, warning, note, off");
                }
            }
        }

        for (var i = 0; i < c.Suppressions.Count; i++)
        {
            var s = c.Suppressions[i];
            if (string.IsNullOrWhiteSpace(s.Rule))
            {
                throw new ConfigException($"{file}: suppressions[{i}] names no rule");
            }

            if (string.IsNullOrWhiteSpace(s.Justification))
            {
                throw new ConfigException($"{file}: suppressions[{i}] ({s.Rule}) has no justification; say why the finding is accepted");
            }
        }

        if (c.ProbeBudgetSeconds is { } budget && (budget is < 0.5 or > 600 || !double.IsFinite(budget)))
        {
            throw new ConfigException($"{file}: probeBudgetSeconds {budget} is out of range (0.5 <= seconds <= 600)");
        }

        if (c.FailOn is { } failOn && ParseFailOn(failOn) is null)
        {
            throw new ConfigException($"{file}: failOn '{failOn}' is not one of error, warning, note, never");
        }
    }

    /// <summary>The one reading of a fail-on word (`--fail-on` and the config's failOn): a severity word or never.</summary>
    public static Engine.FailOn? ParseFailOn(string value) =>
        string.Equals(value, "never", StringComparison.OrdinalIgnoreCase) ? Engine.FailOn.Never
        : SeverityLevel.Parse(value) switch
        {
            Sdk.Severity.Error => Engine.FailOn.Error,
            Sdk.Severity.Warning => Engine.FailOn.Warning,
            Sdk.Severity.Note => Engine.FailOn.Note,
            _ => null,
        };

    /// <summary>
    /// Sets or removes one entry of "packs" in the file by editing its text (comments, trailing
    /// commas and layout stay), creating the file when needed; the file is replaced atomically.
    /// </summary>
    /// <returns>What changed, for the user ("added X 1.0", "X 1.0 -> 2.0", "removed X"), or null when nothing did.</returns>
    public static string? SetPack(string root, string id, string? versionOrRange)
    {
        var file = Path.Combine(root, TeamConfig.FileName);
        var exists = System.IO.File.Exists(file) || Directory.Exists(file);
        if (!exists && versionOrRange is null)
        {
            return null;
        }

        var before = exists ? Load(file) : TeamConfig.Empty;
        var old = before.Packs.FirstOrDefault(p => string.Equals(p.Key, id, StringComparison.OrdinalIgnoreCase));
        string text;
        if (exists)
        {
            var current = IO.BoundedFile.ReadAllText(file, "config", maxBytes: 4 * 1024 * 1024);
            try
            {
                text = JsoncEditor.SetMember(current, "packs", id, versionOrRange);
            }
            catch (JsonException e)
            {
                throw new ConfigException($"{file}: {e.Message.Split(" Path:")[0]}");
            }

            if (ReferenceEquals(text, current))
            {
                return null;
            }
        }
        else
        {
            text = $"{{\n  \"$schema\": \"{SchemaUri}\",\n  \"packs\": {{\n    {JsonSerializer.Serialize(id)}: {JsonSerializer.Serialize(versionOrRange)}\n  }}\n}}\n";
        }

        // The edit must leave a config this tool reads, with the entry as asked.
        var after = Parse(text, file);
        if (versionOrRange is not null && !after.Packs.Any(p => string.Equals(p.Key, id, StringComparison.OrdinalIgnoreCase) && p.Value == versionOrRange))
        {
            throw new ConfigException($"{file}: could not record {id} {versionOrRange} without rewriting the file; add it to \"packs\" by hand");
        }

        try
        {
            IO.AtomicFile.WriteAllText(file, text, "config");
        }
        catch (IO.InputFileException e)
        {
            throw new ConfigException(e.Message);
        }

        return versionOrRange is null ? $"removed {old.Key} from {file}"
            : old.Key is null ? $"added {id} {versionOrRange} to {file}"
            : $"{old.Key} {old.Value} -> {versionOrRange} in {file}";
    }

    public const string SchemaUri = "https://raw.githubusercontent.com/gobuildrules/gobuildrules/main/docs/schemas/gobuildrules.schema.json";

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            // A misspelt setting would silently do nothing; refuse it instead.
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            // Two "packs" (or two "GBNET002") would otherwise let the last silently win.
            AllowDuplicateProperties = false,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Severity words as the config and the CLI spell them.</summary>
public static class SeverityLevel
{
    public static Severity? Parse(string value) => value.ToLowerInvariant() switch
    {
        "error" => Sdk.Severity.Error,
        "warning" => Sdk.Severity.Warning,
        "note" => Sdk.Severity.Note,
        _ => null,
    };

    public static bool IsOff(string value) => string.Equals(value, "off", StringComparison.OrdinalIgnoreCase);

    public static string Name(Severity severity) => severity.ToString().ToLowerInvariant();
}
