namespace GoBuildRules.Sdk;

/// <summary>
/// The repository as one bounded walk of the host saw it (<see cref="Snapshot.Repository"/>): every
/// pack reads this instead of walking the workspace again. The walk starts at the module root, skips
/// the root's .git and never follows a symbolic link (links are neither counted nor entered, so a
/// loop cannot trap it). When a budget stops it, <see cref="Truncated"/> is set and every count is a
/// lower bound. Paths are relative to <see cref="Root"/>, with forward slashes.
/// </summary>
public sealed record RepositoryIndex
{
    /// <summary>False when nothing was walked (a replayed snapshot without an index, or no workspace folder).</summary>
    public bool Walked { get; init; }

    /// <summary>The folder walked: the module root (or --path when there is no go.mod).</summary>
    public string Root { get; init; } = "";

    /// <summary>Directories, the root included and the root's .git not: what a recursive file watcher adds.</summary>
    public int Directories { get; init; }

    public int Files { get; init; }

    /// <summary>Directory entries listed (files, folders, links and the rest).</summary>
    public int Entries { get; init; }

    /// <summary>Folders that could not be listed.</summary>
    public int Unreadable { get; init; }

    public bool Truncated { get; init; }

    /// <summary>Which budget stopped the walk (entries, time, the scan's deadline).</summary>
    public string? TruncatedBy { get; init; }

    public long ElapsedMilliseconds { get; init; }

    /// <summary>Files by kind (<see cref="FileKinds"/>), over the whole tree.</summary>
    public IReadOnlyDictionary<string, int> FilesByKind { get; init; } = new Dictionary<string, int>();

    /// <summary>Directories inside a folder named testdata.</summary>
    public int TestdataDirectories { get; init; }

    /// <summary>The top-level vendor/ folder, when there is one.</summary>
    public SubtreeSize? Vendor { get; init; }

    /// <summary>Directories inside node_modules folders (the folders themselves included).</summary>
    public int NodeModulesDirectories { get; init; }

    /// <summary>The outermost node_modules folders (at most 50), largest first.</summary>
    public IReadOnlyList<SubtreeSize> NodeModules { get; init; } = [];

    /// <summary>The largest top-level subtrees by directory count (at most 10).</summary>
    public IReadOnlyList<SubtreeSize> Largest { get; init; } = [];

    /// <summary>The part of the tree that `go build ./...` considers; see <see cref="GoPackageTree"/>.</summary>
    public GoPackageTree Go { get; init; } = new();

    /// <summary>Watcher and editor configs and scripts a file watcher may be started from (root files, scripts/*.sh, .vscode).</summary>
    public IReadOnlyList<string> WatcherConfigs { get; init; } = [];
}

/// <summary>A folder and what is below it (itself included).</summary>
public sealed record SubtreeSize(string Path, int Directories, int Files);

/// <summary>
/// The tree as cmd/go's package walk sees it (modload.matchPackages, go 1.19): below the root it skips
/// folders whose name starts with '.' or '_' and testdata, and stops at folders with their own go.mod
/// (nested modules); symbolic links to folders are ignored. Files whose name starts with '.' or '_'
/// are ignored (go/build). vendor/ is walked and its files marked (`-mod=vendor` builds them).
/// </summary>
public sealed record GoPackageTree
{
    public int Directories { get; init; }

    public int Files { get; init; }

    /// <summary>Nested modules that were not entered (at most 50).</summary>
    public IReadOnlyList<string> NestedModules { get; init; } = [];

    /// <summary>.go files that import "C" (read as go/build's import reader reads them), at most 1000.</summary>
    public IReadOnlyList<CgoFileRef> CgoFiles { get; init; } = [];

    /// <summary>The module's own _test.go files (vendor/ excluded), at most 3000 listed.</summary>
    public IReadOnlyList<string> TestFiles { get; init; } = [];

    public int TestFileCount { get; init; }

    /// <summary>C, C++, Objective-C, assembly and header files, at most 300 listed.</summary>
    public IReadOnlyList<NativeFileRef> NativeSources { get; init; } = [];

    public int NativeSourcesNotListed { get; init; }

    /// <summary>Files and folders that could not be read (at most 20).</summary>
    public IReadOnlyList<string> Unreadable { get; init; } = [];
}

/// <param name="Line">The line of the "C" import.</param>
public sealed record CgoFileRef(string Path, int Line)
{
    public bool Vendor { get; init; }
}

/// <param name="Kind">One of <see cref="FileKinds"/>: c, cxx, objc, objcxx, asm, header.</param>
public sealed record NativeFileRef(string Path, string Kind)
{
    public bool Vendor { get; init; }
}

/// <summary>The kinds <see cref="RepositoryIndex.FilesByKind"/> counts, by extension as go/build classifies them.</summary>
public static class FileKinds
{
    public const string Go = "go";
    public const string C = "c";
    public const string Cxx = "cxx";
    public const string ObjC = "objc";
    public const string ObjCxx = "objcxx";
    public const string Asm = "asm";
    public const string Header = "header";
    public const string Other = "other";

    /// <summary>The kind of a file name; go/build's extensions (.S and .sx are assembly cgo preprocesses, .s is Go's own).</summary>
    public static string Of(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? Other : name[(dot + 1)..] switch
        {
            "go" => Go,
            "c" => C,
            "cc" or "cpp" or "cxx" => Cxx,
            "m" => ObjC,
            "mm" => ObjCxx,
            "s" or "S" or "sx" => Asm,
            "h" or "hh" or "hpp" or "hxx" => Header,
            _ => Other,
        };
    }

    /// <summary>True for the kinds cgo compiles with the C or C++ compiler (go's own .s assembly excluded).</summary>
    public static bool IsNative(string name) =>
        Of(name) is C or Cxx or ObjC or ObjCxx or Header || name.EndsWith(".S", StringComparison.Ordinal) || name.EndsWith(".sx", StringComparison.Ordinal);
}
