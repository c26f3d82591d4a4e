using System.IO.Compression;

namespace GoBuildRules.Tests.Shared;

/// <summary>
/// Builds a module proxy on disk (MODULE/@v/list, .info, .mod, .zip) that `GOPROXY=file://…` can
/// serve, and a consumer module that requires it.
/// </summary>
public static class FileProxy
{
    public const string Module = "example.com/hello";
    public const string Version = "v1.0.0";

    /// <summary>Writes the proxy under folder/proxy and returns its file:// URL.</summary>
    public static string Build(TempFolder folder)
    {
        var root = folder.Combine("proxy");
        Publish(root, Module, Version, new Dictionary<string, string>
        {
            ["hello.go"] = "package hello\n\n// Greeting is what the consumer prints.\nfunc Greeting() string { return \"hello from the file proxy\" }\n",
        });
        return "file://" + root;
    }

    /// <summary>
    /// Publishes one version of a module under proxyRoot as cmd/go's proxy protocol lays it out:
    /// the version is appended to @v/list, and the zip holds go.mod and the given files under
    /// MODULE@VERSION/.
    /// </summary>
    public static void Publish(string proxyRoot, string module, string version, IReadOnlyDictionary<string, string> files)
    {
        var v = Path.Combine(proxyRoot, module, "@v");
        Directory.CreateDirectory(v);
        var goMod = $"module {module}\n\ngo 1.19\n";
        File.AppendAllText(Path.Combine(v, "list"), version + "\n");
        File.WriteAllText(Path.Combine(v, version + ".info"), $"{{\"Version\":\"{version}\",\"Time\":\"2024-01-01T00:00:00Z\"}}\n");
        File.WriteAllText(Path.Combine(v, version + ".mod"), goMod);
        using var zip = ZipFile.Open(Path.Combine(v, version + ".zip"), ZipArchiveMode.Create);
        void Add(string name, string content)
        {
            using var w = new StreamWriter(zip.CreateEntry($"{module}@{version}/{name}").Open());
            w.Write(content);
        }

        Add("go.mod", goMod);
        foreach (var (name, content) in files)
        {
            Add(name, content);
        }
    }

    /// <summary>Writes a main module under folder/app that requires the proxied module; returns its folder.</summary>
    public static string Consumer(TempFolder folder, string module = "example.com/app")
    {
        folder.Write("app/go.mod", $"module {module}\n\ngo 1.19\n\nrequire {Module} {Version}\n");
        folder.Write("app/main.go", $"package main\n\nimport (\n\t\"fmt\"\n\n\t\"{Module}\"\n)\n\nfunc main() {{ fmt.Println(hello.Greeting()) }}\n");
        return folder.Combine("app");
    }
}
