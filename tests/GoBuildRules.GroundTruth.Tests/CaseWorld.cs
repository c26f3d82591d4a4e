using System.Diagnostics;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.GroundTruth.Tests;

/// <summary>
/// One corpus case's private Go world: its own GOPATH, GOMODCACHE, GOCACHE, GOENV and HOME under a
/// temp folder, the shared file:// proxy as GOPROXY, no checksum database. A case's setup changes
/// files and variables here; the real go and the real tool then run with exactly this environment.
/// Servers and processes the setup starts are stopped when the world is disposed.
/// </summary>
public sealed class CaseWorld : IDisposable
{
    public const string Lib = "example.com/lib";
    public const string V1 = "v1.0.0";

    private readonly TempFolder temp = new("gbtruth");
    private readonly List<IDisposable> owned = [];
    private readonly List<Process> background = [];

    public CaseWorld(SharedProxy proxy)
    {
        Proxy = proxy;
        Dir = temp.Combine("app");
        Directory.CreateDirectory(Dir);
        Directory.CreateDirectory(temp.Combine("home"));
        Env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = temp.Combine("home"),
            ["GOPATH"] = temp.Combine("gopath"),
            ["GOMODCACHE"] = ModCache,
            ["GOCACHE"] = temp.Combine("gocache"),
            ["GOENV"] = temp.Combine("goenv"),
            ["GOPROXY"] = proxy.Url,
            ["GOSUMDB"] = "off",
        };
        foreach (var name in Isolated)
        {
            Env[name] = null;
        }
    }

    /// <summary>Variables of the machine running the tests that would steer go or the scan; a case sets them itself.</summary>
    public static readonly IReadOnlyList<string> Isolated =
    [
        "GOFLAGS", "GONOSUMDB", "GONOPROXY", "GOPRIVATE", "GOINSECURE", "GOWORK", "GO111MODULE", "GOTOOLCHAIN", "GOVCS",
        "GOOS", "GOARCH", "CGO_ENABLED", "CC", "CXX", "CGO_CFLAGS", "CGO_LDFLAGS", "PKG_CONFIG", "GOTMPDIR", "GOROOT", "GOBIN",
        "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy",
        "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_TERMINAL_PROMPT", "GIT_ASKPASS", "SSH_ASKPASS",
        "GOBUILDRULES_PROBE_BUDGET",
    ];

    public SharedProxy Proxy { get; }

    public string Root => temp.Path;

    /// <summary>Where go runs and what the scan is pointed at (--path).</summary>
    public string Dir { get; set; }

    public string ModCache => temp.Combine("gopath", "pkg", "mod");

    public Dictionary<string, string?> Env { get; }

    /// <summary>Texts a case's setup learns only at run time (a pid, a path) that an error finding must name.</summary>
    public List<string> Causes { get; } = [];

    public string Combine(params string[] parts) => temp.Combine(parts);

    /// <summary>Writes a file relative to the world's root.</summary>
    public string Write(string relative, string content) => temp.Write(relative, content);

    public string DownloadPrefix(string module, string version) => Path.Combine(ModCache, "cache", "download", module, "@v", version);

    public string Extracted(string module, string version) => Path.Combine(ModCache, $"{module}@{version}");

    /// <summary>A module with no requirements: one main package.</summary>
    public void Plain(string goLine = "1.19", string folder = "app")
    {
        Write($"{folder}/go.mod", $"module example.com/{Path.GetFileName(folder)}\n\ngo {goLine}\n");
        Write($"{folder}/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n");
    }

    /// <summary>The app requires example.com/lib v1.0.0 (served by the shared proxy) and imports it; go.sum is complete.</summary>
    public void WithLib(bool goSum = true, string folder = "app")
    {
        Write($"{folder}/go.mod", $"module example.com/app\n\ngo 1.19\n\nrequire {Lib} {V1}\n");
        Write($"{folder}/main.go", $"package main\n\nimport (\n\t\"fmt\"\n\n\t\"{Lib}\"\n)\n\nfunc main() {{ fmt.Println(lib.Hello()) }}\n");
        if (goSum) Write($"{folder}/go.sum", Proxy.LibGoSum);
    }

    /// <summary>A cgo main package: C code in the preamble, called from Go.</summary>
    public void Cgo(string preamble = "int two(void) { return 2; }")
    {
        Write("app/go.mod", "module example.com/app\n\ngo 1.19\n");
        Write("app/main.go", $"package main\n\n/*\n{preamble}\n*/\nimport \"C\"\n\nimport \"fmt\"\n\nfunc main() {{ fmt.Println(C.two()) }}\n");
    }

    /// <summary>Fills the module cache from the shared proxy with go itself (as a first `go mod download` would).</summary>
    public void Download()
    {
        var env = new Dictionary<string, string?>(Env) { ["GOPROXY"] = Proxy.Url, ["GOFLAGS"] = null, ["GOSUMDB"] = "off" };
        var r = GoToolchain.Run(Dir, env, TimeSpan.FromSeconds(90), "mod", "download");
        if (r.ExitCode != 0) throw new InvalidOperationException("setup: go mod download failed: " + r.Output);
    }

    /// <summary>A go command the setup needs (go mod vendor, go work init…); it must succeed.</summary>
    public void Go(params string[] args)
    {
        var r = GoToolchain.Run(Dir, Env, TimeSpan.FromSeconds(90), args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"setup: go {string.Join(' ', args)} failed: {r.Output}");
    }

    /// <summary>Runs a program for the setup (git, chown…); it must succeed.</summary>
    public void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = Env["HOME"];
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"setup: {file} did not finish");
        }

        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"setup: {file} {string.Join(' ', args)} failed: {output.Result}{error.Result}");
    }

    /// <summary>A git repository of the app folder with one commit.</summary>
    public void Commit()
    {
        Run("git", "init", "-q");
        Run("git", "add", ".");
        Run("git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
    }

    /// <summary>An executable shell script; returns its path.</summary>
    public string Script(string relative, string body)
    {
        var path = Write(relative, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    /// <summary>Starts a process that outlives the setup (a lock holder); it is killed when the world is disposed.</summary>
    public Process Background(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        lock (background) background.Add(p);
        return p;
    }

    public T Own<T>(T resource)
        where T : IDisposable
    {
        lock (owned) owned.Add(resource);
        return resource;
    }

    /// <summary>go writes the extracted module trees read-only; a setup that changes one must first undo that.</summary>
    public void MakeWritable(string path)
    {
        if (!Directory.Exists(path)) return;
        foreach (var f in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories).Append(path))
        {
            File.SetUnixFileMode(f, File.GetUnixFileMode(f) | UnixFileMode.UserWrite);
        }
    }

    public void Dispose()
    {
        foreach (var p in background)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                p.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            p.Dispose();
        }

        foreach (var r in owned) r.Dispose();
        temp.Dispose();
    }
}
