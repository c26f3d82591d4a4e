using System.IO.Compression;
using System.Text;
using GoBuildRules.Reporting;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Rules.ModCache.Tests;

/// <summary>
/// A private Go world for one test: its own GOPATH, GOMODCACHE, GOCACHE and GOENV, and a file://
/// GOPROXY laid out as a proxy (list, .info, .mod, .zip per version) that the test fills.
/// </summary>
internal sealed class GoModuleWorld : IDisposable
{
    private readonly TempFolder temp = new("gbmod");

    public GoModuleWorld()
    {
        Directory.CreateDirectory(Proxy);
        Directory.CreateDirectory(App);
        Env = new Dictionary<string, string?>
        {
            ["GOPATH"] = temp.Combine("gopath"),
            ["GOMODCACHE"] = ModCache,
            ["GOCACHE"] = temp.Combine("gocache"),
            ["GOENV"] = temp.Combine("goenv"),
            ["GOPROXY"] = "file://" + Proxy,
            ["GOSUMDB"] = "off",
            ["GONOSUMDB"] = "*",
            ["GOFLAGS"] = "-mod=mod",
            ["GOTOOLCHAIN"] = "local",
            ["CGO_ENABLED"] = "0",
            ["GOWORK"] = null,
            ["GOPRIVATE"] = null,
            ["GONOPROXY"] = null,
            ["GOTMPDIR"] = null,
        };
    }

    public string Root => temp.Path;

    public string Proxy => temp.Combine("proxy");

    public string ModCache => temp.Combine("gopath", "pkg", "mod");

    public string App => temp.Combine("app");

    public Dictionary<string, string?> Env { get; }

    public string DownloadPrefix(string module, string version) => Path.Combine(ModCache, "cache", "download", module, "@v", version);

    public string Extracted(string module, string version) => Path.Combine(ModCache, $"{module}@{version}");

    /// <summary>Publishes a module version on the file:// proxy: list, .info, .mod and a zip laid out as cmd/go expects.</summary>
    public void Publish(string module, string version, string goSource)
    {
        var dir = Path.Combine(Proxy, module, "@v");
        Directory.CreateDirectory(dir);
        var goMod = $"module {module}\n\ngo 1.19\n";
        File.WriteAllText(Path.Combine(dir, version + ".mod"), goMod);
        File.WriteAllText(Path.Combine(dir, version + ".info"), $"{{\"Version\":\"{version}\",\"Time\":\"2024-01-01T00:00:00Z\"}}");
        var list = Path.Combine(dir, "list");
        File.AppendAllText(list, version + "\n");
        using var zip = ZipFile.Open(Path.Combine(dir, version + ".zip"), ZipArchiveMode.Create);
        void Add(string name, string content)
        {
            var entry = zip.CreateEntry($"{module}@{version}/{name}");
            using var s = entry.Open();
            s.Write(Encoding.UTF8.GetBytes(content));
        }

        Add("go.mod", goMod);
        Add(Path.GetFileName(module) + ".go", goSource);
    }

    /// <summary>The app module: requires the given modules and imports the first one's package.</summary>
    public void WriteApp(params (string Module, string Version)[] requires)
    {
        var mod = new StringBuilder("module example.com/app\n\ngo 1.19\n\nrequire (\n");
        foreach (var (m, v) in requires) mod.Append($"\t{m} {v}\n");
        mod.Append(")\n");
        File.WriteAllText(Path.Combine(App, "go.mod"), mod.ToString());
        var imports = string.Join("\n", requires.Select(r => $"\t_ \"{r.Module}\""));
        File.WriteAllText(Path.Combine(App, "main.go"), $"package main\n\nimport (\n{imports}\n)\n\nfunc main() {{}}\n");
    }

    public GoToolchain.GoResult Go(params string[] args) => GoIn(App, args);

    public GoToolchain.GoResult GoIn(string dir, params string[] args) => GoToolchain.Run(dir, Env, TimeSpan.FromSeconds(90), args);

    /// <summary>Runs the real gobuildrules on the app (or another folder) with this world's environment.</summary>
    public Report Scan(string? path = null, IReadOnlyDictionary<string, string?>? extraEnv = null)
    {
        var (result, report) = ScanFailingOn("never", path, extraEnv);
        Assert.True(result.ExitCode == 0, result.ToString());
        return report;
    }

    /// <summary>Runs the real gobuildrules with `--fail-on <paramref name="failOn"/>`, for tests of the exit code.</summary>
    public (CliResult Result, Report Report) ScanFailingOn(string failOn, string? path = null, IReadOnlyDictionary<string, string?>? extraEnv = null)
    {
        var env = new Dictionary<string, string?>(Env);
        foreach (var (k, v) in extraEnv ?? new Dictionary<string, string?>()) env[k] = v;
        var result = Cli.Run(["scan", "--format", "json", "--fail-on", failOn, "--timeout", "30", "--path", path ?? App], path ?? App, env, TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode is 0 or 1 && result.Stdout.Length > 0, result.ToString());
        return (result, ReportJson.Deserialize(result.Stdout));
    }

    /// <summary>Starts a real process with this world's environment, in the app folder.</summary>
    public System.Diagnostics.Process Start(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, args)
        {
            WorkingDirectory = App,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in Env)
        {
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        }

        return System.Diagnostics.Process.Start(psi)!;
    }

    /// <summary>go writes the extracted module trees read-only; a test that deletes one must first undo that.</summary>
    public void MakeWritable(string path)
    {
        if (!Directory.Exists(path) || OperatingSystem.IsWindows()) return;
        foreach (var f in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Append(path))
        {
            File.SetUnixFileMode(f, File.GetUnixFileMode(f) | UnixFileMode.UserWrite);
        }
    }

    public void Dispose() => temp.Dispose();
}
