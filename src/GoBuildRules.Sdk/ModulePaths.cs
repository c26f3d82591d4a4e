using System.Text;

namespace GoBuildRules.Sdk;

/// <summary>Where the module cache keeps a module, in its case encoding (golang.org/x/mod/module EscapePath: "A" is stored as "!a").</summary>
public static class ModulePaths
{
    /// <summary>GOMODCACHE as go reports it, else the first GOPATH entry's pkg/mod, as cmd/go defaults it; null when neither is known.</summary>
    public static string? ModCacheFolder(IReadOnlyDictionary<string, string> goEnv)
    {
        if (goEnv.GetValueOrDefault("GOMODCACHE") is { } modCache && !string.IsNullOrWhiteSpace(modCache))
        {
            return modCache;
        }

        var gopath = goEnv.GetValueOrDefault("GOPATH")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return string.IsNullOrWhiteSpace(gopath) ? null : Path.Combine(gopath, "pkg", "mod");
    }

    public static string Escape(string value)
    {
        if (!value.Any(char.IsAsciiLetterUpper))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                sb.Append('!').Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    public static string Unescape(string value)
    {
        if (!value.Contains('!'))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '!' && i + 1 < value.Length)
            {
                sb.Append(char.ToUpperInvariant(value[++i]));
            }
            else
            {
                sb.Append(value[i]);
            }
        }

        return sb.ToString();
    }

    /// <summary>GOMODCACHE/cache/download/{path}/@v/{version} (add .zip, .info, .lock… to it).</summary>
    public static string DownloadPrefix(string modCache, string module, string version) =>
        Path.Combine(modCache, "cache", "download", Escape(module), "@v", Escape(version));

    public static string ExtractedDirectory(string modCache, string module, string version) =>
        Path.Combine(modCache, Escape(module) + "@" + Escape(version));
}
