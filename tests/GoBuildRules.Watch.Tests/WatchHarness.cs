using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GoBuildRules.Testing;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Watch.Tests;

/// <summary>
/// Stall tests run real builds at once, and each stall also takes a snapshot: they run one at a
/// time so that two cores shared with other work keep the timings honest.
/// </summary>
[CollectionDefinition("watch", DisableParallelization = true)]
public sealed class WatchCollection;

/// <summary>A Go module in a scratch folder with a private HOME, GOPATH and GOCACHE, and the real tool run on it.</summary>
public sealed class GoModule : IDisposable
{
    private readonly TempFolder folder = new("gbr-watch");

    public GoModule(string module = "example.com/app")
    {
        Write("go.mod", $"module {module}\n\ngo 1.19\n");
        Directory.CreateDirectory(Combine("home"));
        Environment = new Dictionary<string, string?>
        {
            ["HOME"] = Combine("home"),
            ["GOPATH"] = Combine("gopath"),
            ["GOMODCACHE"] = Combine("gopath", "pkg", "mod"),
            ["GOCACHE"] = Combine("gocache"),
            ["GOENV"] = Combine("home", "goenv"),
            ["GOFLAGS"] = "-mod=mod",
            ["GOTOOLCHAIN"] = "local",
            ["GOPROXY"] = "off",
            ["GOSUMDB"] = "off",
            ["CGO_ENABLED"] = "0",
        };
    }

    public string Root => folder.Path;

    public Dictionary<string, string?> Environment { get; }

    public string Combine(params string[] parts) => folder.Combine(parts);

    public string Write(string relative, string content) => folder.Write(relative, content);

    /// <summary>`gobuildrules watch ARGS` in the module, with its environment.</summary>
    public CliResult Watch(params string[] args) => Cli.Run(["watch", .. args], Root, Environment, TimeSpan.FromSeconds(180));

    /// <summary>The command run bare, as the user would run it, with the same environment and pipes.</summary>
    public CliResult Bare(params string[] command)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Root,
        };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (k, v) in Environment)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(180)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', command)} did not exit");
        }

        p.WaitForExit();
        return new CliResult(p.ExitCode, stdout.Result, stderr.Result, sw.Elapsed);
    }

    /// <summary>The one capture folder under ./diagnose.</summary>
    public string DiagnoseFolder()
    {
        var folders = Directory.GetDirectories(Combine("diagnose"));
        Assert.Single(folders);
        return folders[0];
    }

    public void Dispose() => folder.Dispose();
}

/// <summary>What a capture says, read back from its files.</summary>
public sealed record Capture(string Folder, JsonElement Snapshot, JsonElement Report)
{
    public static Capture Read(string folder) => new(
        folder,
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "snapshot.json"))).RootElement,
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "report.json"))).RootElement);

    public JsonElement Watch => Snapshot.GetProperty("watch");

    public IEnumerable<JsonElement> Processes => Watch.GetProperty("processes").EnumerateArray();

    public IEnumerable<(string RuleId, string Message)> Findings =>
        Report.GetProperty("findings").EnumerateArray().Select(f => (f.GetProperty("ruleId").GetString()!, f.GetProperty("message").GetString()!));

    public string Message(string ruleId) => Findings.First(f => f.RuleId == ruleId).Message;

    /// <summary>How many findings of <paramref name="ruleId"/> the report holds.</summary>
    public int Count(string ruleId) => Findings.Count(f => f.RuleId == ruleId);

    /// <summary>
    /// With GBR_WRITE_FIXTURES=1, writes the captured snapshot as the replay fixtures <paramref name="fixtures"/>
    /// (paths under tests/, e.g. GoBuildRules.Rules.Watch.Tests/fixtures/GBRUN001/positive-….json): the fixtures come from real stalls,
    /// not from a hand. The module's scratch folder becomes /tmp/wscen, and what describes this machine
    /// rather than the stall (mounts, PATH, the repository walk, the packs that see nothing here)
    /// is left out, so a rerun changes only pids, ports, timings and go's own temporary folders.
    /// </summary>
    public void WriteFixtureIfAsked(GoModule module, params string[] fixtures)
    {
        if (System.Environment.GetEnvironmentVariable("GBR_WRITE_FIXTURES") != "1")
        {
            return;
        }

        var json = File.ReadAllText(Path.Combine(Folder, "snapshot.json")).Replace(module.Root, "/tmp/wscen", StringComparison.Ordinal);
        var snapshot = JsonNode.Parse(json)!.AsObject();
        string[] kept = ["schemaVersion", "host", "go", "environment", "tools", "workspace", "goOracle", "liveProcesses", "hangs", "extensions", "collectionIssues", "watch"];
        foreach (var name in snapshot.Select(p => p.Key).Except(kept).ToList())
        {
            snapshot.Remove(name);
        }

        snapshot["host"] = new JsonObject { ["os"] = "linux", ["arch"] = "amd64" };
        var environment = snapshot["environment"]!.AsObject();
        foreach (var name in environment.Select(p => p.Key).Where(k => !(k.StartsWith("GO", StringComparison.Ordinal) || k.StartsWith("CGO_", StringComparison.Ordinal) || k is "CC" or "HOME")).ToList())
        {
            environment.Remove(name);
        }

        environment.Remove("GOBUILDRULES_TEST_LOOPBACK_ONLY");
        var extensions = snapshot["extensions"]!.AsObject();
        foreach (var name in extensions.Select(p => p.Key).Except(["GoBuildRules.Rules.Network", "GoBuildRules.Rules.ModCache", "GoBuildRules.Rules.Cgo"]).ToList())
        {
            extensions.Remove(name);
        }

        foreach (var fixture in fixtures)
        {
            var target = Path.Combine(RepoPaths.Root(), "tests", fixture);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, snapshot.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
        }
    }

    /// <summary>
    /// Every process of the captured tree is gone: its pid no longer exists, is a zombie waiting for
    /// its reaper, or now belongs to another program (pids are reused).
    /// </summary>
    public void AssertNoneLeft()
    {
        foreach (var p in Processes)
        {
            var pid = p.GetProperty("pid").GetInt32();
            var commandLine = p.GetProperty("commandLine").GetString();
            var survivor = ProcessInfo.Read(pid);
            Assert.True(survivor is null || survivor.State == 'Z' || survivor.CommandLine != commandLine,
                $"process {pid} ({commandLine}) of the stalled tree is still alive after watch: state {survivor?.State}");
        }
    }
}

/// <summary>A process as /proc shows it.</summary>
public sealed record ProcessInfo(int Pid, int ParentPid, int ProcessGroup, int Session, char State, string CommandLine)
{
    public static ProcessInfo? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var cmd = string.Join(' ', File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries));
            return new ProcessInfo(pid, int.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]), f[0][0], cmd);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static IEnumerable<ProcessInfo> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? Read(pid) : null)
            .OfType<ProcessInfo>();
}
