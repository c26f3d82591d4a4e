using System.Text.Json;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.GroundTruth.Tests;

/// <summary>
/// The one file:// module proxy every case reads (it is never written after it is built), with
/// example.com/lib v1.0.0 on it, and the go.sum lines go itself computes for that version.
/// </summary>
public sealed class SharedProxy : IDisposable
{
    private readonly TempFolder temp = new("gbtruth-proxy");

    public SharedProxy()
    {
        var root = temp.Combine("proxy");
        FileProxy.Publish(root, CaseWorld.Lib, CaseWorld.V1, new Dictionary<string, string>
        {
            ["lib.go"] = "package lib\n\n// Hello is what the app prints.\nfunc Hello() string { return \"hello from lib\" }\n",
        });
        Url = "file://" + root;

        // go computes the hashes: download once into a throw-away cache and read them back.
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = temp.Combine("home"),
            ["GOPATH"] = temp.Combine("gopath"),
            ["GOMODCACHE"] = temp.Combine("gopath", "pkg", "mod"),
            ["GOCACHE"] = temp.Combine("gocache"),
            ["GOENV"] = temp.Combine("goenv"),
            ["GOPROXY"] = Url,
            ["GOSUMDB"] = "off",
            ["GOFLAGS"] = null,
            ["GO111MODULE"] = null,
            ["GOWORK"] = "off",
        };
        Directory.CreateDirectory(temp.Combine("home"));
        var r = GoToolchain.Run(temp.Path, env, TimeSpan.FromSeconds(120), "mod", "download", "-json", $"{CaseWorld.Lib}@{CaseWorld.V1}");
        if (r.ExitCode != 0) throw new InvalidOperationException("go mod download from the corpus proxy failed: " + r.Output);
        using var doc = JsonDocument.Parse(r.Stdout);
        var sum = doc.RootElement.GetProperty("Sum").GetString();
        var goModSum = doc.RootElement.GetProperty("GoModSum").GetString();
        LibGoSum = $"{CaseWorld.Lib} {CaseWorld.V1} {sum}\n{CaseWorld.Lib} {CaseWorld.V1}/go.mod {goModSum}\n";
    }

    public string Url { get; }

    public string LibGoSum { get; }

    public void Dispose() => temp.Dispose();
}
