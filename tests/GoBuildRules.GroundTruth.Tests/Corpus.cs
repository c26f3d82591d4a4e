using System.Net;
using System.Net.Sockets;
using GoBuildRules.Tests.Shared;

namespace GoBuildRules.GroundTruth.Tests;

public enum GoOutcome
{
    Ok,
    Fails,
    Hangs,
}

/// <param name="Name">Unique, short; the test row and the line in docs/accuracy.md.</param>
/// <param name="Pack">The pack whose ground the case covers (its rule-id prefix).</param>
/// <param name="Expected">What the real go does with this setup; the run checks it.</param>
/// <param name="Setup">The setup in words, for docs/accuracy.md.</param>
/// <param name="Cause">
/// For a broken setup: what an error finding must name. An entry like GBMOD005 is a rule id; any
/// other entry is text looked for (case-insensitively) in an error finding's message, subject or
/// evidence. One match is enough. Texts only known at run time go to <see cref="CaseWorld.Causes"/>.
/// </param>
public sealed record CorpusCase(string Name, string Pack, GoOutcome Expected, string Setup, Action<CaseWorld> Arrange, params string[] Cause)
{
    /// <summary>The go command that is the ground truth for this case.</summary>
    public string[] GoArgs { get; init; } = ["build", "./..."];

    /// <summary>What the texts in <see cref="CaseWorld.Causes"/> are, for docs/accuracy.md.</summary>
    public string? RuntimeCause { get; init; }

    public string CauseText => string.Join(" or ", RuntimeCause is null ? Cause : Cause.Append(RuntimeCause));

    public string GoCommand => "go " + string.Join(' ', GoArgs);

    public override string ToString() => Name;
}

/// <summary>The cases: every one a real module on disk, judged by the real go.</summary>
public static class Corpus
{
    private const string Download = "mod";

    public static readonly IReadOnlyList<CorpusCase> Cases =
    [
        // ---- Toolchain (GBGO): the seven setups of issue 10's first table, and more go refuses.
        new("go.mod emptied", "GBGO", GoOutcome.Fails, "go.mod exists but is empty",
            w => { w.Plain(); w.Write("app/go.mod", ""); }, "no module declaration"),
        new("GOCACHE=off", "GBGO", GoOutcome.Fails, "GOCACHE=off in the environment",
            w => { w.Plain(); w.Env["GOCACHE"] = "off"; }, "GOCACHE=off"),
        new("replace to a missing folder", "GBGO", GoOutcome.Fails, "replace example.com/lib => ../lib-fork, no such folder",
            w => { w.WithLib(); File.AppendAllText(w.Combine("app", "go.mod"), "\nreplace example.com/lib => ../lib-fork\n"); }, "lib-fork"),
        new("GOFLAGS with a non-flag", "GBGO", GoOutcome.Fails, "GOFLAGS=\"-mod=mod trimpath\"",
            w => { w.Plain(); w.Env["GOFLAGS"] = "-mod=mod trimpath"; }, "trimpath"),
        new("GO111MODULE=off in a module with requirements", "GBGO", GoOutcome.Fails, "GO111MODULE=off; the module requires example.com/lib (in the cache)",
            w => { w.WithLib(); w.Download(); w.Env["GO111MODULE"] = "off"; }, "GO111MODULE"),
        new("go.work uses a missing folder", "GBGO", GoOutcome.Fails, "go.work: use ./tools, no such folder",
            w => { w.Plain(); w.Write("app/go.work", "go 1.19\n\nuse (\n\t.\n\t./tools\n)\n"); }, "tools/go.mod", "./tools"),
        new("go and toolchain lines newer than go 1.19", "GBGO", GoOutcome.Fails, "go.mod: go 1.22.0 and toolchain go1.22.4",
            w => { w.Plain(); w.Write("app/go.mod", "module example.com/app\n\ngo 1.22.0\n\ntoolchain go1.22.4\n"); }, "1.22"),
        new("unknown directive in go.mod", "GBGO", GoOutcome.Fails, "go.mod: `requre example.com/lib v1.0.0` (a typo)",
            w => { w.Plain(); File.AppendAllText(w.Combine("app", "go.mod"), "\nrequre example.com/lib v1.0.0\n"); }, "requre"),
        new("no go.mod", "GBGO", GoOutcome.Fails, "a main package without go.mod, module mode",
            w => w.Write("app/main.go", "package main\n\nfunc main() {}\n"), "go.mod"),
        new("GOCACHE is a relative path", "GBGO", GoOutcome.Fails, "GOCACHE=relcache",
            w => { w.Plain(); w.Env["GOCACHE"] = "relcache"; }, "GOCACHE"),
        new("import no module provides", "GBGO", GoOutcome.Fails, "main.go imports example.com/nothere, no requirement provides it",
            w =>
            {
                w.Plain();
                w.Write("app/main.go", "package main\n\nimport _ \"example.com/nothere\"\n\nfunc main() {}\n");
            }, "example.com/nothere"),
        new("required version not on the proxy", "GBGO", GoOutcome.Fails, "require example.com/lib v1.9.9; the proxy has only v1.0.0",
            w => { w.WithLib(goSum: false); w.Write("app/go.mod", "module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.9.9\n"); }, "v1.9.9"),
        new("CC wrapper that never returns", "GBGO", GoOutcome.Hangs, "a cgo package; CC is a script that sleeps (a stuck ccache/distcc)",
            w =>
            {
                w.Cgo();
                var cc = w.Script("bin/stuck-cc", "exec sleep 300");
                w.Env["CC"] = cc;
                w.Causes.Add(cc);
            }) { RuntimeCause = "the CC script's path" },
        new("plain module", "GBGO", GoOutcome.Ok, "one main package, standard library only",
            w => w.Plain()),
        new("older go line", "GBGO", GoOutcome.Ok, "go.mod says go 1.16",
            w => w.Plain("1.16")),
        new("GO111MODULE=off without requirements", "GBGO", GoOutcome.Ok, "GO111MODULE=off, a main package using only the standard library",
            w => { w.Plain(); w.Env["GO111MODULE"] = "off"; }),
        new("workspace of two modules", "GBGO", GoOutcome.Ok, "go.work uses ./app and ./greet; app imports greet without a requirement",
            w =>
            {
                w.Write("go.work", "go 1.19\n\nuse (\n\t./app\n\t./greet\n)\n");
                w.Write("greet/go.mod", "module example.com/greet\n\ngo 1.19\n");
                w.Write("greet/greet.go", "package greet\n\nfunc Hi() string { return \"hi\" }\n");
                w.Write("app/go.mod", "module example.com/app\n\ngo 1.19\n");
                w.Write("app/main.go", "package main\n\nimport (\n\t\"fmt\"\n\n\t\"example.com/greet\"\n)\n\nfunc main() { fmt.Println(greet.Hi()) }\n");
            }),
        new("replace to an existing folder", "GBGO", GoOutcome.Ok, "replace example.com/lib => ../libfork, which exists; GOPROXY=off",
            w =>
            {
                w.WithLib(goSum: false);
                File.AppendAllText(w.Combine("app", "go.mod"), "\nreplace example.com/lib => ../libfork\n");
                w.Write("libfork/go.mod", "module example.com/lib\n\ngo 1.19\n");
                w.Write("libfork/lib.go", "package lib\n\nfunc Hello() string { return \"forked\" }\n");
                w.Env["GOPROXY"] = "off";
            }),
        new("GOFLAGS with valid flags", "GBGO", GoOutcome.Ok, "GOFLAGS=\"-mod=mod -buildvcs=false\", go.sum missing (go fills it in)",
            w => { w.WithLib(goSum: false); w.Env["GOFLAGS"] = "-mod=mod -buildvcs=false"; }),
        new("GOMODCACHE is a relative path", "GBGO", GoOutcome.Fails, "GOMODCACHE=relmod",
            w => { w.WithLib(); w.Env["GOMODCACHE"] = "relmod"; }, "GBGO013"),
        new("a GOPATH package without go.mod, GO111MODULE=off", "GBGO", GoOutcome.Ok, "no go.mod anywhere; GO111MODULE=off (GOPATH mode), a main package",
            w => { w.Write("app/main.go", "package main\n\nfunc main() {}\n"); w.Env["GO111MODULE"] = "off"; }),
        new("a subfolder of a module", "GBGO", GoOutcome.Ok, "the scan and go build run in app/cmd/tool, go.mod is in app/",
            w =>
            {
                w.Write("app/go.mod", "module example.com/app\n\ngo 1.19\n");
                w.Write("app/cmd/tool/main.go", "package main\n\nfunc main() {}\n");
                w.Dir = w.Combine("app", "cmd", "tool");
            }),

        // ---- Network (GBNET): proxies and checksum databases on 127.0.0.1 only.
        new("GOPROXY tarpit, module not cached", "GBNET", GoOutcome.Hangs, "GOPROXY is a loopback server that accepts and never answers; the module is not in the cache",
            w => { w.WithLib(); w.Env["GOPROXY"] = w.Own(new Tarpit()).Url; }, "GBNET002") { GoArgs = [Download, "download"] },
        new("GOSUMDB tarpit, go.sum incomplete", "GBNET", GoOutcome.Hangs, "healthy file:// proxy; GOSUMDB=\"sum.golang.org <loopback tarpit>\"; go.sum empty",
            w => { w.WithLib(goSum: false); w.Env["GOSUMDB"] = "sum.golang.org " + w.Own(new Tarpit()).Url; }, "GBNET007") { GoArgs = [Download, "download"] },
        new("GOPROXY answers 503", "GBNET", GoOutcome.Fails, "GOPROXY is a loopback server answering 503; the module is not in the cache",
            w => { w.WithLib(); w.Env["GOPROXY"] = w.Own(new StatusServer(503)).Url; }, "GBNET003", "GBNET004"),
        new("GOPROXY refuses connections", "GBNET", GoOutcome.Fails, "GOPROXY is a closed port on 127.0.0.1; the module is not in the cache",
            w => { w.WithLib(); w.Env["GOPROXY"] = $"http://127.0.0.1:{ClosedPort()}"; }, "GBNET001", "GBNET004"),
        new("file:// GOPROXY folder missing", "GBNET", GoOutcome.Fails, "GOPROXY=file:// of a folder that does not exist; the module is not in the cache",
            w => { w.WithLib(); w.Env["GOPROXY"] = "file://" + w.Combine("no-such-proxy"); }, "GBNET019", "GBNET004"),
        new("GOPROXY=off, module not cached", "GBNET", GoOutcome.Fails, "GOPROXY=off; the module is not in the cache",
            w => { w.WithLib(); w.Env["GOPROXY"] = "off"; }, "GOPROXY=off"),
        new("GOPROXY tarpit, every module cached", "GBNET", GoOutcome.Ok, "GOPROXY is a loopback tarpit, but the cache already holds every module",
            w => { w.WithLib(); w.Download(); w.Env["GOPROXY"] = w.Own(new Tarpit()).Url; }),
        new("GOPROXY=off with a full cache", "GBNET", GoOutcome.Ok, "GOPROXY=off; the cache holds every module",
            w => { w.WithLib(); w.Download(); w.Env["GOPROXY"] = "off"; }),
        new("healthy file:// proxy", "GBNET", GoOutcome.Ok, "GOPROXY=file:// of a complete proxy; empty cache",
            w => w.WithLib()),
        new("malformed GOPROXY, every module cached", "GBNET", GoOutcome.Fails, "GOPROXY=htp://x (no such scheme); the cache holds every module",
            w => { w.WithLib(); w.Download(); w.Env["GOPROXY"] = "htp://x"; }, "GBNET020") { GoArgs = [Download, "download"] },
        new("malformed GOSUMDB, go.sum empty", "GBNET", GoOutcome.Fails, "GOSUMDB=\"nonsense key here\"; go.sum empty, the module not cached",
            w => { w.WithLib(goSum: false); w.Env["GOSUMDB"] = "nonsense key here"; }, "GBNET006") { GoArgs = [Download, "download"] },
        new("HTTPS proxy answers 407", "GBNET", GoOutcome.Fails, "GOPROXY=https://goproxy.gobuildrules.invalid through HTTPS_PROXY, a loopback proxy answering 407; the module is not in the cache",
            w =>
            {
                w.WithLib();
                w.Env["GOPROXY"] = "https://goproxy.gobuildrules.invalid";
                w.Env["HTTPS_PROXY"] = w.Own(new StatusServer(407)).Url;
            }, "GBNET017"),
        new("malformed GOSUMDB, go.sum complete", "GBNET", GoOutcome.Ok, "GOSUMDB=\"nonsense key here\"; go.sum pins the module, the cache holds it",
            w => { w.WithLib(); w.Download(); w.Env["GOSUMDB"] = "nonsense key here"; }),

        // ---- ModCache (GBMOD): a real cache that go filled, then damaged.
        new("truncated zip", "GBMOD", GoOutcome.Fails, "cached zip cut in half, extracted tree removed",
            w =>
            {
                w.WithLib();
                w.Download();
                using (var s = new FileStream(w.DownloadPrefix(CaseWorld.Lib, CaseWorld.V1) + ".zip", FileMode.Open)) s.SetLength(s.Length / 2);
                w.MakeWritable(w.Extracted(CaseWorld.Lib, CaseWorld.V1));
                Directory.Delete(w.Extracted(CaseWorld.Lib, CaseWorld.V1), recursive: true);
            }, "GBMOD005"),
        new("altered ziphash", "GBMOD", GoOutcome.Fails, "the cached .ziphash disagrees with go.sum",
            w =>
            {
                w.WithLib();
                w.Download();
                File.WriteAllText(w.DownloadPrefix(CaseWorld.Lib, CaseWorld.V1) + ".ziphash", "h1:" + new string('A', 43) + "=");
            }, "GBMOD005"),
        new("go.sum lacks the zip line", "GBMOD", GoOutcome.Fails, "go.sum has only the /go.mod line of the required module",
            w =>
            {
                w.WithLib(goSum: false);
                w.Write("app/go.sum", w.Proxy.LibGoSum.Split('\n')[1] + "\n");
                w.Download();
            }, "GBMOD006"),
        new("conflicting go.sum lines, wrong one first", "GBMOD", GoOutcome.Fails, "go.sum: a wrong h1 line for the zip before the right one",
            w =>
            {
                w.WithLib();
                w.Download();
                w.Write("app/go.sum", $"{CaseWorld.Lib} {CaseWorld.V1} h1:{new string('B', 43)}=\n" + w.Proxy.LibGoSum);
            }, "GBMOD007"),
        new("vendor/modules.txt out of sync", "GBMOD", GoOutcome.Fails, "go mod vendor, then modules.txt names v0.9.0",
            w =>
            {
                w.WithLib();
                w.Download();
                w.Go("mod", "vendor");
                var txt = w.Combine("app", "vendor", "modules.txt");
                File.WriteAllText(txt, File.ReadAllText(txt).Replace($"{CaseWorld.Lib} {CaseWorld.V1}", $"{CaseWorld.Lib} v0.9.0", StringComparison.Ordinal));
            }, "GBMOD010"),
        new("go.work above does not use the module", "GBMOD", GoOutcome.Fails, "a go.work in the parent folder uses only ./other",
            w =>
            {
                w.Plain();
                w.Plain(folder: "other");
                w.Write("go.work", "go 1.19\n\nuse ./other\n");
            }, "GBMOD012"),
        new("-mod=mod in workspace mode", "GBMOD", GoOutcome.Fails, "GOFLAGS=-mod=mod with a go.work in effect",
            w => { w.Plain(); w.Write("app/go.work", "go 1.19\n\nuse .\n"); w.Env["GOFLAGS"] = "-mod=mod"; }, "GBMOD015"),
        new("-mod=vendor without vendor/", "GBMOD", GoOutcome.Fails, "GOFLAGS=-mod=vendor; the module has requirements and no vendor folder",
            w => { w.WithLib(); w.Download(); w.Env["GOFLAGS"] = "-mod=vendor"; }, "GBMOD009"),
        new("GOMODCACHE is a file", "GBMOD", GoOutcome.Fails, "GOMODCACHE names a regular file; the module is not in the cache",
            w => { w.WithLib(); w.Env["GOMODCACHE"] = w.Write("modcache-is-a-file", "x"); }, "GOMODCACHE", "GBMOD001"),
        new("download lock held by a live process", "GBMOD", GoOutcome.Hangs, "another process holds the flock on cache/download/example.com/lib/@v/v1.0.0.lock (flock … sleep 300)",
            w =>
            {
                w.WithLib();
                var lockFile = w.DownloadPrefix(CaseWorld.Lib, CaseWorld.V1) + ".lock";
                Directory.CreateDirectory(Path.GetDirectoryName(lockFile)!);
                File.WriteAllText(lockFile, "");
                var holder = w.Background("flock", lockFile, "sleep", "300");
                WaitForLock(lockFile);
                w.Causes.Add(holder.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }) { GoArgs = [Download, "download"], RuntimeCause = "the lock holder's pid" },
        new("planted .partial", "GBMOD", GoOutcome.Ok, "a .partial marker beside a complete download (go re-extracts)",
            w => { w.WithLib(); w.Download(); File.WriteAllText(w.DownloadPrefix(CaseWorld.Lib, CaseWorld.V1) + ".partial", ""); }),
        new("orphaned lock without a holder", "GBMOD", GoOutcome.Ok, "zip and ziphash removed, the .lock left, nobody holds it (go downloads again)",
            w =>
            {
                w.WithLib();
                w.Download();
                File.Delete(w.DownloadPrefix(CaseWorld.Lib, CaseWorld.V1) + ".zip");
                File.Delete(w.DownloadPrefix(CaseWorld.Lib, CaseWorld.V1) + ".ziphash");
                w.MakeWritable(w.Extracted(CaseWorld.Lib, CaseWorld.V1));
                Directory.Delete(w.Extracted(CaseWorld.Lib, CaseWorld.V1), recursive: true);
            }),
        new("settings made with go env -w", "GBMOD", GoOutcome.Ok, "the GOENV file sets GOFLAGS=-buildvcs=false",
            w => { w.Plain(); File.WriteAllText(w.Env["GOENV"]!, "GOFLAGS=-buildvcs=false\n"); }),
        new("download lock of a cached module held", "GBMOD", GoOutcome.Ok, "flock … sleep 300 holds the .lock of example.com/lib v1.0.0, which is already in the cache",
            w =>
            {
                w.WithLib();
                w.Download();
                var lockFile = w.DownloadPrefix(CaseWorld.Lib, CaseWorld.V1) + ".lock";
                File.WriteAllText(lockFile, "");
                w.Background("flock", lockFile, "sleep", "300");
                WaitForLock(lockFile);
            }),

        // ---- Cgo (GBCGO): the real gcc, or compilers that are not there.
        new("cgo with a working gcc", "GBCGO", GoOutcome.Ok, "a cgo main package, CC unset (gcc on PATH)",
            w => w.Cgo()),
        new("CGO_ENABLED=0 without cgo code", "GBCGO", GoOutcome.Ok, "CGO_ENABLED=0, pure Go",
            w => { w.Plain(); w.Env["CGO_ENABLED"] = "0"; }),
        new("CC missing", "GBCGO", GoOutcome.Fails, "a cgo package; CC=/nonexistent/gcc",
            w => { w.Cgo(); w.Env["CC"] = "/nonexistent/gcc"; }, "GBCGO001"),
        new("CXX missing with C++ sources", "GBCGO", GoOutcome.Fails, "a cgo package with a .cpp file; CXX=/nonexistent/g++",
            w =>
            {
                w.Cgo();
                w.Write("app/three.cpp", "extern \"C\" int three(void) { return 3; }\n");
                w.Env["CXX"] = "/nonexistent/g++";
            }, "GBCGO004"),
        new("refused #cgo flag", "GBCGO", GoOutcome.Fails, "#cgo CFLAGS: -fplugin=evil.so",
            w => w.Cgo("#cgo CFLAGS: -fplugin=evil.so\nint two(void) { return 2; }"), "GBCGO006"),
        new("cross-compiling turns cgo off", "GBCGO", GoOutcome.Fails, "GOARCH=arm64 (cross), CGO_ENABLED unset; main.go calls a function of the cgo file",
            w =>
            {
                w.Write("app/go.mod", "module example.com/app\n\ngo 1.19\n");
                w.Write("app/two.go", "package main\n\n// int two(void) { return 2; }\nimport \"C\"\n\nfunc two() int { return int(C.two()) }\n");
                w.Write("app/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(two()) }\n");
                w.Env["GOARCH"] = "arm64";
            }, "GBCGO002"),
        new("cgo cross-compiled with the host's gcc", "GBCGO", GoOutcome.Fails, "GOARCH=arm64 CGO_ENABLED=1, CC unset (the host's x86-64 gcc); a cgo main package",
            w =>
            {
                w.Cgo();
                w.Env["GOARCH"] = "arm64";
                w.Env["CGO_ENABLED"] = "1";
            }, "GBCGO003"),

        // ---- Vendor (GBVND): vendored trees and watcher configuration.
        new("vendored module, offline", "GBVND", GoOutcome.Ok, "go mod vendor, GOPROXY=off, an empty module cache, .air.toml watching go files",
            w =>
            {
                w.WithLib();
                w.Download();
                w.Go("mod", "vendor");
                w.Env["GOMODCACHE"] = w.Combine("empty-modcache");
                w.Env["GOPROXY"] = "off";
                w.Write("app/.air.toml", "[build]\n  cmd = \"go build -o ./tmp/main .\"\n  include_ext = [\"go\", \"tpl\"]\n  exclude_dir = [\"vendor\", \"tmp\"]\n");
            }),
        new("GOFLAGS=-mod=vendor with vendor/", "GBVND", GoOutcome.Ok, "GOFLAGS=-mod=vendor and a consistent vendor/modules.txt",
            w => { w.WithLib(); w.Download(); w.Go("mod", "vendor"); w.Env["GOFLAGS"] = "-mod=vendor"; w.Env["GOPROXY"] = "off"; }),

        // ---- Ide (GBIDE): editor settings beside a module that builds.
        new("VS Code settings", "GBIDE", GoOutcome.Ok, ".vscode/settings.json with comments, alternateTools to the real go",
            w =>
            {
                w.Plain();
                w.Write("app/.vscode/settings.json", $"// team settings\n{{\n  \"go.useLanguageServer\": true,\n  \"go.alternateTools\": {{ \"go\": \"{GoToolchain.Path}\" }},\n  \"go.buildTags\": \"\",\n}}\n");
            }),
        new("GoLand settings", "GBIDE", GoOutcome.Ok, ".idea/workspace.xml with GOROOT of the real go",
            w =>
            {
                w.Plain();
                var goroot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(ResolveLinks(GoToolchain.Path))))!;
                w.Write("app/.idea/workspace.xml", $"<?xml version=\"1.0\"?>\n<project version=\"4\">\n  <component name=\"GOROOT\" url=\"file://{goroot}\" />\n</project>\n");
            }),
        new("VS Code alternateTools to a missing go", "GBIDE", GoOutcome.Ok, ".vscode/settings.json: go.alternateTools.go=/nonexistent/go (the editor fails, go build does not)",
            w =>
            {
                w.Plain();
                w.Write("app/.vscode/settings.json", "{\n  \"go.alternateTools\": { \"go\": \"/nonexistent/go\" }\n}\n");
            }),
        new("GoLand GOROOT missing", "GBIDE", GoOutcome.Ok, ".idea/workspace.xml: GOROOT file:///nonexistent/go-sdk (GoLand fails, go build does not)",
            w =>
            {
                w.Plain();
                w.Write("app/.idea/workspace.xml", "<?xml version=\"1.0\"?>\n<project version=\"4\">\n  <component name=\"GOROOT\" url=\"file:///nonexistent/go-sdk\" />\n</project>\n");
            }),

        // ---- CloudEnv (GBENV): checkouts and CI runners.
        new("checkout owned by another user", "GBENV", GoOutcome.Fails, "a git checkout chowned to uid 12345 (needs root), go stamps VCS info",
            w =>
            {
                w.Plain();
                w.Commit();
                w.Run("chown", "-R", "12345:12345", w.Dir);
            }, "GBENV007"),
        new("shallow clone", "GBENV", GoOutcome.Ok, "git clone --depth 1 of a local repository",
            w =>
            {
                w.Plain(folder: "origin");
                w.Dir = w.Combine("origin");
                w.Commit();
                w.Dir = w.Combine("app");
                w.Run("git", "clone", "-q", "--depth", "1", "file://" + w.Combine("origin"), w.Dir);
            }),
        new("GitHub Actions runner", "GBENV", GoOutcome.Ok, "GITHUB_ACTIONS=true and CI=true on a module that builds",
            w => { w.Plain(); w.Env["GITHUB_ACTIONS"] = "true"; w.Env["CI"] = "true"; }),
    ];

    public static CorpusCase Named(string name) => Cases.Single(c => c.Name == name);

    private static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    /// <summary>flock takes the lock asynchronously; the case is set up once `flock -n` finds it taken.</summary>
    private static void WaitForLock(string file)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < until)
        {
            using var probe = System.Diagnostics.Process.Start("flock", ["-n", file, "true"]);
            probe.WaitForExit();
            if (probe.ExitCode != 0) return;
            Thread.Sleep(50);
        }

        throw new TimeoutException("setup: the lock holder never took " + file);
    }

    private static string ResolveLinks(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}
