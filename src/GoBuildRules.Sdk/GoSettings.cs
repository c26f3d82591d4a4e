namespace GoBuildRules.Sdk;

/// <summary>Where the go command took a setting from (cmd/go/internal/cfg.Getenv and envOr).</summary>
public enum SettingSource
{
    /// <summary>Neither the environment nor the GOENV file set it: cmd/go's built-in default (or a value derived from another setting).</summary>
    Default,

    /// <summary>A non-empty environment variable: it always wins over the GOENV file.</summary>
    Environment,

    /// <summary>A NAME=VALUE line of the GOENV file (written by `go env -w`).</summary>
    EnvFile,
}

/// <summary>One effective go setting, as `go env` reports it, and where it came from. Secrets redacted.</summary>
/// <param name="Value">The effective value `go env` printed (empty when Go printed none).</param>
public sealed record GoSetting(string Name, string Value, SettingSource Source)
{
    /// <summary>The GOENV file line that set it, when <see cref="Source"/> is EnvFile and the file was read.</summary>
    public int? Line { get; init; }

    /// <summary>A GOENV file value that a non-empty environment variable hides.</summary>
    public string? ShadowedEnvFileValue { get; init; }

    /// <summary>For a default taken from another setting (GONOPROXY and GONOSUMDB default to GOPRIVATE): that setting's name.</summary>
    public string? DefaultsTo { get; init; }
}

/// <summary>The GOENV file: `go env GOENV` (GOENV in the environment, else the user config dir's go/env), or off.</summary>
/// <param name="Path">Null when GOENV=off or no user config dir exists.</param>
public sealed record GoEnvFile(string? Path)
{
    /// <summary>False when the snapshot did not read the file (a replayed fixture, an old snapshot): provenance is then inferred.</summary>
    public bool Read { get; init; }

    public bool Exists { get; init; }

    /// <summary>Why the file could not be read.</summary>
    public string? Error { get; init; }

    /// <summary>The lines cmd/go uses (NAME=VALUE, NAME starting with A–Z), values redacted; the last of a name wins.</summary>
    public IReadOnlyList<GoEnvFileEntry> Entries { get; init; } = [];

    /// <summary>The entry cmd/go uses for a name (the last one), or null.</summary>
    public GoEnvFileEntry? Entry(string name) => Entries.LastOrDefault(e => e.Name == name);

    /// <summary>
    /// cmd/go/internal/cfg.initEnvCache: lines split at '\n'; a line without '=' or whose first byte
    /// is not A–Z is ignored; the name is everything before the first '=' and the value everything after
    /// (nothing trimmed, not even '\r').
    /// </summary>
    public static IReadOnlyList<GoEnvFileEntry> Parse(string text)
    {
        var entries = new List<GoEnvFileEntry>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var eq = line.IndexOf('=');
            if (eq < 0 || line.Length == 0 || line[0] is < 'A' or > 'Z')
            {
                continue;
            }

            var name = line[..eq];
            entries.Add(new GoEnvFileEntry(name, Secrets.RedactVariable(name, line[(eq + 1)..]), i + 1));
        }

        return entries;
    }
}

public sealed record GoEnvFileEntry(string Name, string Value, int Line);

/// <summary>One GOFLAGS word: "-name", "--name", "-name=value" or "--name=value".</summary>
/// <param name="Value">Null for a flag without "=" (a boolean flag set to true).</param>
public sealed record GoFlag(string Name, string? Value, string Text);

/// <summary>
/// GOFLAGS as go 1.19's cmd/go/internal/base.InitGOFLAGS reads it: split at white space
/// (strings.Fields, no quoting), each word a flag. A word that is not a flag makes every go command
/// except `go env` and `go bug` fail with "go: parsing $GOFLAGS: non-flag". Not checked here: a flag
/// no go command knows ("unknown flag").
/// </summary>
public sealed record GoFlagList(string Raw)
{
    public IReadOnlyList<GoFlag> Flags => Parse(Raw).Flags;

    /// <summary>cmd/go's error for a word that is not a flag, or null.</summary>
    public string? Error => Parse(Raw).Error;

    /// <summary>The value of the last -name / -name=value; "true" for a bare flag; null when absent.</summary>
    public string? Value(string name) => Flags.LastOrDefault(f => f.Name == name) is { } f ? f.Value ?? "true" : null;

    /// <summary>
    /// The argument a flag that takes one (-mod, -modfile, -p, -tags…) gets from GOFLAGS: the value of its last
    /// -name=value ("" for -name=). Null when GOFLAGS does not set it, when a word is not a flag
    /// (<see cref="Error"/>: every command stops before reading any) and when the last one is bare, which
    /// base.SetFromGOFLAGS refuses with "flag needs an argument" (GOFLAGS cannot give "-mod vendor" as two words).
    /// </summary>
    public string? Argument(string name) =>
        Error is null && Flags.LastOrDefault(f => f.Name == name) is { Value: { } value } ? value : null;

    /// <summary>
    /// -mod as cmd/go takes it from GOFLAGS (base.explicitStringFlag): null, cmd/go's default, unless some -mod=X
    /// gave a non-empty X (a lone -mod= is no flag at all); otherwise the last value, "" included ("-mod=mod -mod="
    /// is an explicit empty mode, which workspace mode refuses).
    /// </summary>
    public string? Mod => Flags.Any(f => f.Name == "mod" && f.Value is { Length: > 0 }) ? Argument("mod") : null;

    private static (IReadOnlyList<GoFlag> Flags, string? Error) Parse(string raw)
    {
        var flags = new List<GoFlag>();
        foreach (var word in raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!word.StartsWith('-') || word is "-" or "--" || word.StartsWith("---", StringComparison.Ordinal)
                || word.StartsWith("-=", StringComparison.Ordinal) || word.StartsWith("--=", StringComparison.Ordinal))
            {
                return (flags, $"go: parsing $GOFLAGS: non-flag \"{word}\"");
            }

            var name = word[1..];
            if (name[0] == '-')
            {
                name = name[1..];
            }

            var eq = name.IndexOf('=');
            flags.Add(eq >= 0 ? new GoFlag(name[..eq], name[(eq + 1)..], word) : new GoFlag(name, null, word));
        }

        return (flags, null);
    }
}

/// <summary>A GOPRIVATE-style pattern list with Go's matching (<see cref="ModulePatterns"/>).</summary>
public sealed record ModulePatternSet(string Raw)
{
    /// <summary>The globs Go tries, in order.</summary>
    public IReadOnlyList<string> Patterns => ModulePatterns.Split(Raw);

    public bool Matches(string modulePath) => ModulePatterns.Matches(Raw, modulePath);

    /// <summary>The first glob that matches the module path, or null.</summary>
    public string? FirstMatch(string modulePath) => ModulePatterns.FirstMatch(Raw, modulePath);
}

/// <summary>
/// The effective settings of the go command with their provenance, computed once by the host. Every
/// value is what `go env` printed (secrets redacted); <see cref="Values"/> says where each came from.
/// Packs read these instead of parsing GOPROXY, GOPRIVATE, GOFLAGS or NO_PROXY themselves.
/// </summary>
public sealed record GoSettings
{
    public GoEnvFile EnvFile { get; init; } = new((string?)null);

    /// <summary>Every setting `go env` printed, and every name the GOENV file sets, by name.</summary>
    public IReadOnlyDictionary<string, GoSetting> Values { get; init; } = new Dictionary<string, GoSetting>();

    /// <summary>The effective value of a go setting, or "" when Go printed none.</summary>
    public string Value(string name) => Values.TryGetValue(name, out var s) ? s.Value : "";

    public GoSetting? Setting(string name) => Values.GetValueOrDefault(name);

    /// <summary>GOPROXY as modfetch.proxyList parses it (with the implicit "noproxy" entry when GONOPROXY is set).</summary>
    public GoProxyList Proxy => GoProxyList.Parse(Value("GOPROXY"), Value("GONOPROXY"));

    public SumDbConfig SumDb => SumDbConfig.Parse(Value("GOSUMDB"));

    public ModulePatternSet Private => new(Value("GOPRIVATE"));

    /// <summary>GONOPROXY, defaulting to GOPRIVATE.</summary>
    public ModulePatternSet NoProxy => new(Value("GONOPROXY"));

    /// <summary>GONOSUMDB, defaulting to GOPRIVATE.</summary>
    public ModulePatternSet NoSumDb => new(Value("GONOSUMDB"));

    public ModulePatternSet Insecure => new(Value("GOINSECURE"));

    public GoFlagList Flags => new(Value("GOFLAGS"));

    /// <summary>HTTP(S)_PROXY / NO_PROXY of the scanned process, as net/http applies them.</summary>
    public HttpProxyConfig HttpProxy { get; init; } = new(null, null, null, null, null);

    /// <summary>The module-fetch settings cmd/go/internal/cfg resolves with Getenv / envOr (go 1.19), each with its default.</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["GOPROXY"] = GoProxyList.Default,
        ["GOSUMDB"] = SumDbConfig.Default,
        ["GOPRIVATE"] = "",
        ["GONOPROXY"] = "",
        ["GONOSUMDB"] = "",
        ["GOINSECURE"] = "",
        ["GOVCS"] = "",
        ["GOFLAGS"] = "",
    };

    /// <summary>
    /// Provenance of each setting, given what `go env` printed, the scanned process's environment and
    /// the GOENV file, as cfg.Getenv decides it: a non-empty environment variable wins, then the file,
    /// else the default (GONOPROXY and GONOSUMDB default to GOPRIVATE). The value is the one `go env`
    /// printed; for the <see cref="Defaults"/> settings Go did not print (go missing or failing) it is
    /// computed the same way. When the file was not read (a replayed snapshot), a printed value that
    /// the environment does not set and that differs from the default can only have come from the
    /// file, and is marked so (without a line).
    /// </summary>
    public static GoSettings Resolve(IReadOnlyDictionary<string, string> goEnv, Func<string, string?> environment, GoEnvFile envFile)
    {
        var values = new SortedDictionary<string, GoSetting>(StringComparer.Ordinal);
        string? FromEnv(string name) => environment(name) is { Length: > 0 } v ? v : null;
        string? FromFile(string name) => envFile.Entry(name) is { Value.Length: > 0 } e ? e.Value : null;
        string Computed(string name) =>
            FromEnv(name) ?? FromFile(name) ?? (name is "GONOPROXY" or "GONOSUMDB" ? Computed("GOPRIVATE") : Defaults.GetValueOrDefault(name, ""));
        string Effective(string name) => goEnv.TryGetValue(name, out var v) ? v : Computed(name);

        foreach (var name in goEnv.Keys.Concat(Defaults.Keys).Concat(envFile.Entries.Select(e => e.Name)).Distinct())
        {
            var value = Effective(name);
            var entry = envFile.Entry(name);
            var derived = name is "GONOPROXY" or "GONOSUMDB" ? "GOPRIVATE" : null;
            var defaultValue = derived is not null ? Effective(derived) : Defaults.GetValueOrDefault(name);
            GoSetting setting;
            if (FromEnv(name) is not null)
            {
                setting = new GoSetting(name, value, SettingSource.Environment) { ShadowedEnvFileValue = entry?.Value };
            }
            else if (entry is { Value.Length: > 0 })
            {
                setting = new GoSetting(name, value, SettingSource.EnvFile) { Line = entry.Line };
            }
            else if (!envFile.Read && defaultValue is not null && value.Length > 0 && value != defaultValue)
            {
                setting = new GoSetting(name, value, SettingSource.EnvFile);
            }
            else
            {
                setting = new GoSetting(name, value, SettingSource.Default) { DefaultsTo = derived };
            }

            values[name] = setting;
        }

        return new GoSettings
        {
            EnvFile = envFile,
            Values = values,
            HttpProxy = HttpProxyConfig.FromEnvironment(environment),
        };
    }
}
