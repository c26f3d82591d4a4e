namespace GoBuildRules.Testing;

/// <summary>Finds folders of the repository from a test's output folder.</summary>
public static class RepoPaths
{
    /// <summary>The nearest folder above the test binaries that holds GoBuildRules.sln.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "GoBuildRules.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("GoBuildRules.sln not found above " + AppContext.BaseDirectory);
    }

    public static string DocsRules() => Path.Combine(Root(), "docs", "rules");
}
