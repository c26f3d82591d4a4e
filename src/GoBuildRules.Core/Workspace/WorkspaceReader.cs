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

    /// <param name="goWork">GOWORK as `go env` reported it: a path, "off", or empty for none.</param>
    public static WorkspaceFacts Read(string root, string? goWork)
    {
        var problems = new List<ParseProblem>();
        GoModFile? goMod = null;
        GoSumFile? goSum = null;
        GoWorkFile? work = null;
        VendorModulesFile? vendor = null;

        if (ReadText(root, "go.mod", problems) is { } modText)
        {
            (goMod, var p) = GoModParser.Parse("go.mod", modText);
            problems.AddRange(p);
        }

        if (ReadText(root, "go.sum", problems) is { } sumText)
        {
            (goSum, var p) = GoSumParser.Parse("go.sum", sumText);
            problems.AddRange(p);
        }

        if (!string.IsNullOrEmpty(goWork) && goWork != "off" && File.Exists(goWork))
        {
            var display = Relative(root, goWork);
            if (ReadText(root, goWork, problems) is { } workText)
            {
                (work, var p) = GoWorkParser.Parse(display, workText);
                problems.AddRange(p);
            }
        }

        if (ReadText(root, "vendor/modules.txt", problems) is { } vendorText)
        {
            vendor = VendorModulesParser.Parse("vendor/modules.txt", vendorText);
        }

        return new WorkspaceFacts { Root = root, GoMod = goMod, GoSum = goSum, GoWork = work, Vendor = vendor, ParseProblems = problems };
    }

    /// <summary>A repo-relative path with forward slashes when inside the root, else the absolute path.</summary>
    public static string Relative(string root, string path)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? path.Replace('\\', '/')
            : relative.Replace('\\', '/');
    }

    private static string? ReadText(string root, string relative, List<ParseProblem> problems)
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
            problems.Add(new ParseProblem(Relative(root, full), 0, $"cannot be read: {e.Message}"));
            return null;
        }
    }
}
