namespace GoBuildRules.Rules.CloudEnv.Collection;

/// <summary>Whether the checkout (<see cref="GoBuildRules.Sdk.WorkspaceFacts.GitTopLevel"/>) is shallow, from the files alone.</summary>
internal static class GitCheckout
{
    /// <summary>
    /// True when the repository's common git dir holds a `shallow` file, which git writes for
    /// `clone --depth` and removes on `fetch --unshallow`. A linked worktree's .git is a file naming
    /// its git dir, whose `commondir` leads to the shared one.
    /// </summary>
    public static bool IsShallow(string topLevel)
    {
        var common = CommonDir(topLevel);
        return common is not null && File.Exists(Path.Combine(common, "shallow"));
    }

    public static string? CommonDir(string topLevel)
    {
        var git = Path.Combine(topLevel, ".git");
        if (Directory.Exists(git))
        {
            return git;
        }

        if (!File.Exists(git))
        {
            return null;
        }

        var first = ReadFirstLine(git);
        if (first is null || !first.StartsWith("gitdir:", StringComparison.Ordinal))
        {
            return null;
        }

        var gitDir = Path.GetFullPath(first["gitdir:".Length..].Trim(), topLevel);
        var commonFile = Path.Combine(gitDir, "commondir");
        var common = File.Exists(commonFile) ? ReadFirstLine(commonFile)?.Trim() : null;
        return common is null or "" ? gitDir : Path.GetFullPath(common, gitDir);
    }

    private static string? ReadFirstLine(string file)
    {
        try
        {
            using var reader = new StreamReader(file);
            return reader.ReadLine();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
