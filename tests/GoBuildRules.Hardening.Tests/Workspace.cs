using GoBuildRules.Tests.Shared;

namespace GoBuildRules.Hardening.Tests;

/// <summary>A Go module with a report the user keeps (IMPORTANT.json), a valid snapshot, and a private pack store.</summary>
public sealed class Workspace : IDisposable
{
    public const string Important = "IMPORTANT.json";

    public const string ValidSnapshot = """
        {
          "schemaVersion": 1,
          "toolVersion": "0.1.0",
          "host": { "os": "linux", "arch": "amd64" },
          "go": { "status": "found", "path": "/usr/bin/go", "version": "1.19.8", "versionOutput": "go version go1.19.8 linux/amd64", "env": { "GOPROXY": "off", "GOFLAGS": "" } },
          "environment": {},
          "tools": [],
          "workspace": { "root": "/src/app", "goMod": { "file": "go.mod", "module": "example.com/app", "moduleLine": 1, "go": "1.19", "goLine": 3 } },
          "extensions": {},
          "collectionIssues": []
        }
        """;

    public Workspace()
    {
        Temp = new TempFolder("gbr-hard");
        Module = Temp.Combine("mod");
        Temp.Write("mod/go.mod", "module example.com/app\n\ngo 1.19\n");
        Temp.Write("mod/main.go", "package main\n\nfunc main() {}\n");
        Temp.Write(Important, "{ \"keep\": \"this report\" }\n");
        Temp.Write("snapshot.json", ValidSnapshot);
        Directory.CreateDirectory(Temp.Combine("home"));
    }

    public TempFolder Temp { get; }

    public string Path => Temp.Path;

    public string Module { get; }

    public string Combine(params string[] parts) => Temp.Combine(parts);

    public string Write(string relative, string content) => Temp.Write(relative, content);

    /// <summary>Isolation from the machine: private pack store, HOME and Go caches.</summary>
    public Dictionary<string, string?> Environment(Dictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["GOBUILDRULES_HOME"] = Combine("home", ".gobuildrules"),
            ["HOME"] = Combine("home"),
            ["GOPATH"] = Combine("home", "go"),
            ["GOCACHE"] = Combine("home", "gocache"),
            ["GOENV"] = Combine("home", "goenv"),
            ["GOTOOLCHAIN"] = "local",
            ["NUGET_PACKAGES"] = Combine("home", "nuget"),
        };
        foreach (var (k, v) in extra ?? [])
        {
            env[k] = v;
        }

        return env;
    }

    public CliResult Run(string[] args, Dictionary<string, string?>? env = null, string redirections = "") =>
        Harness.Run(args, Module, Environment(env), redirections);

    public void Dispose() => Temp.Dispose();
}
