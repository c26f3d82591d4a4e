using System.Text.Json;

namespace GoBuildRules.Sdk;

/// <summary>
/// The one environment snapshot a scan collects: typed core facts plus each pack's own facts under
/// its key. Immutable and JSON round-trippable, so `scan --from` replays it anywhere. Secrets are
/// redacted before a value gets here.
/// </summary>
public sealed record Snapshot
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public string ToolVersion { get; init; } = "";

    public DateTimeOffset CollectedAt { get; init; }

    public HostFacts Host { get; init; } = new();

    public GoFacts Go { get; init; } = new();

    /// <summary>The environment variables that steer Go builds, secrets already redacted.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Compilers and tools looked up on PATH, whether found or not.</summary>
    public IReadOnlyList<ToolFact> Tools { get; init; } = [];

    public WorkspaceFacts Workspace { get; init; } = new();

    /// <summary>What the user's own go command reports when asked offline; see <see cref="GoOracleFacts"/>.</summary>
    public GoOracleFacts GoOracle { get; init; } = new();

    /// <summary>The go, git and gopls processes running now and the cache and workspace file locks they hold or wait for.</summary>
    public LiveProcessFacts LiveProcesses { get; init; } = new();
    /// <summary>The go command's effective settings with their provenance; derived from Go.Env and Environment when a snapshot lacks them.</summary>
    public GoSettings GoSettings { get; init; } = new();

    /// <summary>The mount table (/proc/self/mountinfo, with each mount's root); empty off Linux.</summary>
    public IReadOnlyList<Mount> Mounts { get; init; } = [];

    /// <summary>The repository as the scan's one bounded walk saw it; packs read this instead of walking.</summary>
    public RepositoryIndex Repository { get; init; } = new();

    /// <summary>The CI provider the scan runs in and the repository's CI configuration files.</summary>
    public CiSystem Ci { get; init; } = new();

    /// <summary>Each pack collector's facts, keyed by <see cref="ISnapshotCollector.Key"/>.</summary>
    public IReadOnlyDictionary<string, JsonElement> Extensions { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>What collection could not do: a collector that failed or ran out of time, a walk cut short.</summary>
    public IReadOnlyList<CollectionIssue> CollectionIssues { get; init; } = [];

    /// <summary>Which program hung when a subprocess of the scan did not answer; see <see cref="HangFacts"/>.</summary>
    public HangFacts Hangs { get; init; } = new();
    /// <summary>The stalled build `gobuildrules watch` captured; null for `scan`.</summary>
    public WatchFacts? Watch { get; init; }

    /// <summary>The effective value of a `go env` variable, or null when Go did not report it.</summary>
    public string? GoEnv(string name) => Go.Env.TryGetValue(name, out var value) ? value : null;

    /// <summary>An environment variable of the scanned process (redacted), or null when unset.</summary>
    public string? Env(string name) => Environment.TryGetValue(name, out var value) ? value : null;

    public ToolFact? Tool(string name) => Tools.FirstOrDefault(t => t.Name == name);

    /// <summary>The mount holding an absolute path, from <see cref="Mounts"/>; null when the table is empty.</summary>
    public Mount? MountHolding(string path) => MountTable.Holding(Mounts, path);

    /// <summary>A pack's facts, deserialised into the pack's own type; null when absent.</summary>
    public T? GetExtension<T>(string key) where T : class =>
        Extensions.TryGetValue(key, out var element) ? element.Deserialize<T>(SnapshotJson.Options) : null;

    public Snapshot WithExtension(string key, object value)
    {
        var extensions = new Dictionary<string, JsonElement>(Extensions)
        {
            [key] = JsonSerializer.SerializeToElement(value, value.GetType(), SnapshotJson.Options),
        };
        return this with { Extensions = extensions };
    }

    public string ToJson() => JsonSerializer.Serialize(this, SnapshotJson.Options);

    /// <summary>The sections every snapshot that `gobuildrules snapshot` writes has; `scan --from` requires them.</summary>
    public static readonly IReadOnlyList<string> CollectedSections = ["schemaVersion", "go", "workspace"];

    private static readonly string[] Sections = ["host", "go", "environment", "tools", "workspace", "goOracle", "liveProcesses", "goSettings", "mounts", "repository", "ci", "hangs", "extensions", "collectionIssues"];

    /// <summary>Nulls where the model has none are refused with the field's name instead of crashing a rule later.</summary>
    private static readonly JsonSerializerOptions Strict = new(SnapshotJson.Options) { RespectNullableAnnotations = true };

    /// <summary>
    /// A snapshot from JSON: it must say its schemaVersion; a section or value that is null where
    /// the model has none is refused naming the field. Sections may be absent (replay fixtures
    /// hold only what their rule reads).
    /// </summary>
    /// <exception cref="SnapshotFormatException">The text is not a snapshot this SDK can read.</exception>
    public static Snapshot FromJson(string json) => Read(json, []);

    /// <summary>A snapshot as `gobuildrules snapshot` writes it: <see cref="CollectedSections"/> are required too.</summary>
    /// <exception cref="SnapshotFormatException">The text is not a whole snapshot.</exception>
    public static Snapshot FromCollectedJson(string json) => Read(json, CollectedSections);

    private static Snapshot Read(string json, IReadOnlyList<string> required)
    {
        Snapshot? snapshot;
        try
        {
            using (var doc = JsonDocument.Parse(json))
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new SnapshotFormatException($"not a valid snapshot: the document is {Kind(root)}, not an object");
                }

                if (!root.TryGetProperty("schemaVersion", out _))
                {
                    throw new SnapshotFormatException("not a snapshot: it has no schemaVersion (a snapshot is written by `gobuildrules snapshot`)");
                }

                if (required.FirstOrDefault(n => !root.TryGetProperty(n, out _)) is { } missing)
                {
                    throw new SnapshotFormatException($"not a whole snapshot: the required section \"{missing}\" is missing (a snapshot is written by `gobuildrules snapshot`)");
                }

                foreach (var name in Sections)
                {
                    if (root.TryGetProperty(name, out var section) && section.ValueKind == JsonValueKind.Null)
                    {
                        throw new SnapshotFormatException($"not a valid snapshot: \"{name}\" is null");
                    }
                }
            }

            snapshot = JsonSerializer.Deserialize<Snapshot>(json, Strict);
        }
        catch (ArgumentException e)
        {
            // Text no file read as UTF-8 can hold (a lone surrogate in a string built in memory).
            throw new SnapshotFormatException($"not a valid snapshot: {e.Message}", e);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}" : "";
            var path = e.Path is { Length: > 1 } p ? $" ({p.TrimStart('$', '.')})" : "";
            throw new SnapshotFormatException($"not a valid snapshot{where}{path}: {e.Message.Split(" Path:")[0]}", e);
        }

        if (snapshot is null)
        {
            throw new SnapshotFormatException("not a valid snapshot: the document is null");
        }

        if (snapshot.SchemaVersion != CurrentSchemaVersion)
        {
            throw new SnapshotFormatException(
                $"snapshot schema version {snapshot.SchemaVersion} is not supported (this tool reads version {CurrentSchemaVersion})");
        }

        var nullValue = snapshot.Environment.Where(v => v.Value is null).Select(v => $"environment.{v.Key}")
            .Concat(snapshot.Go.Env.Where(v => v.Value is null).Select(v => $"go.env.{v.Key}"))
            .Concat(snapshot.Tools.Select((t, i) => t is null ? $"tools[{i}]" : null).OfType<string>())
            .Concat(snapshot.CollectionIssues.Select((c, i) => c is null ? $"collectionIssues[{i}]" : null).OfType<string>())
            .Concat(snapshot.Mounts.Select((m, i) => m is null ? $"mounts[{i}]" : null).OfType<string>())
            .FirstOrDefault();
        if (nullValue is not null)
        {
            throw new SnapshotFormatException($"not a valid snapshot: \"{nullValue}\" is null");
        }

        // Fixtures and older snapshots carry go env and the environment (and a fixture may carry the
        // GOENV file's entries) but not the settings derived from them.
        return snapshot.GoSettings.Values.Count > 0
            ? snapshot
            : snapshot with
            {
                GoSettings = GoSettings.Resolve(snapshot.Go.Env, snapshot.Env,
                    snapshot.GoSettings.EnvFile.Read ? snapshot.GoSettings.EnvFile : new GoEnvFile(snapshot.GoEnv("GOENV"))),
            };
    }

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => "a boolean",
    };
}

public sealed class SnapshotFormatException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record HostFacts
{
    /// <summary>In GOOS spelling: linux, darwin, windows, freebsd…</summary>
    public string Os { get; init; } = "";

    /// <summary>In GOARCH spelling: amd64, arm64, 386…</summary>
    public string Arch { get; init; } = "";

    public string Kernel { get; init; } = "";

    public string Description { get; init; } = "";
}

public sealed record GoFacts
{
    public ToolStatus Status { get; init; } = ToolStatus.NotFound;

    /// <summary>The resolved path of the go binary that was run.</summary>
    public string? Path { get; init; }

    /// <summary>The first line of `go version`, e.g. "go version go1.22.3 linux/amd64".</summary>
    public string? VersionOutput { get; init; }

    /// <summary>The version without its "go" prefix, e.g. "1.22.3".</summary>
    public string? Version { get; init; }

    /// <summary>Every variable `go env -json` printed, as the installed Go printed it.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Why Go could not be asked, when Status is not Found.</summary>
    public string? Error { get; init; }

    /// <summary>
    /// True when the scan's deadline left go no time or less than a second (a start-up slowed by a busy
    /// machine): its silence says nothing about a hang, and the report lists it as not checked.
    /// </summary>
    public bool CutShort { get; init; }
}

/// <summary>What asking a program (go, a compiler, git…) for its version found.</summary>
public enum ToolStatus
{
    Found,
    NotFound,
    NotExecutable,
    TimedOut,
    Failed,
}

public sealed record ToolFact(string Name, ToolStatus Status)
{
    public string? Path { get; init; }

    /// <summary>The first line the tool printed about its version.</summary>
    public string? Version { get; init; }
}

public sealed record CollectionIssue(string Source, string Message)
{
    /// <summary>True when the collector ran out of time (its facts are missing or partial).</summary>
    public bool TimedOut { get; init; }
}
