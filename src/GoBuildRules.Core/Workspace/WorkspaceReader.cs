using GoBuildRules.Sdk;

namespace GoBuildRules.Core.Workspace;

/// <summary>Reads go.mod, go.sum, go.work and vendor/modules.txt of the module being scanned.</summary>
public static class WorkspaceReader
{
    /// <summary>The nearest folder at or above <paramref name="start"/> holding go.mod, as cmd/go finds it.</summary>
    public static string? FindModuleRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "go.mod")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The folder holding .git (a folder, or a linked worktree's file), walking up from <paramref name="start"/> (bounded), or null.</summary>
    public static string? FindGitTopLevel(string start)
    {
        var dir = new DirectoryInfo(start);
        for (var depth = 0; depth < 64 && dir is not null; depth++, dir = dir.Parent)
        {
            var git = Path.Combine(dir.FullName, ".git");
            if (Directory.Exists(git) || File.Exists(git))
            {
                return Path.TrimEndingDirectorySeparator(dir.FullName);
            }
        }

        return null;
    }

    /// <param name="goWork">GOWORK as `go env` reported it: a path, "off", or empty for none.</param>
    public static WorkspaceFacts Read(string root, string? goWork)
    {
        var problems = new List<ParseProblem>();
        var top = FindGitTopLevel(root);
        GoModFile? goMod = null;
        GoSumFile? goSum = null;
        GoWorkFile? work = null;
        VendorModulesFile? vendor = null;

        if (ReadText(root, top, "go.mod", problems) is { } modText)
        {
            (goMod, var p) = GoModParser.Parse("go.mod", modText);
            problems.AddRange(p);
        }

        if (ReadText(root, top, "go.sum", problems) is { } sumText)
        {
            (goSum, var p) = GoSumParser.Parse("go.sum", sumText);
            problems.AddRange(p);
        }

        if (!string.IsNullOrEmpty(goWork) && goWork != "off" && File.Exists(goWork))
        {
            var display = Relative(root, goWork, top);
            if (ReadText(root, top, goWork, problems) is { } workText)
            {
                (work, var p) = GoWorkParser.Parse(display, workText);
                problems.AddRange(p);
            }
        }

        if (ReadText(root, top, "vendor/modules.txt", problems) is { } vendorText)
        {
            vendor = VendorModulesParser.Parse("vendor/modules.txt", vendorText);
        }

        return new WorkspaceFacts { Root = root, GitTopLevel = top, GoMod = goMod, GoSum = goSum, GoWork = work, Vendor = vendor, ParseProblems = problems };
    }

    /// <summary>
    /// How a file is named in the snapshot and in locations (docs/authoring.md, "Locations"): relative to
    /// the workspace root with '/', going up with ../ when it is above the root but inside the checkout
    /// (a go.work or CI file of a module in a subfolder), so that it reads the same on every clone; absolute
    /// when it is outside the checkout (the folder holding .git, else the root itself), where no relative
    /// path would be the same on another machine.
    /// </summary>
    public static string Relative(string root, string path, string? gitTopLevel)
    {
        var full = Path.GetFullPath(path, root);
        return IsInside(gitTopLevel ?? root, full) ? Path.GetRelativePath(root, full).Replace('\\', '/') : full.Replace('\\', '/');
    }

    private static bool IsInside(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path);
        return !(relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.IsPathRooted(relative));
    }

    private static string? ReadText(string root, string? top, string relative, List<ParseProblem> problems)
    {
        var full = Path.Combine(root, relative);
        if (!File.Exists(full))
        {
            return null;
        }

        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add(new ParseProblem(Relative(root, full, top), 0, $"cannot be read: {e.Message}"));
            return null;
        }
    }
}
