using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>Reads the GOENV file (`go env -w` writes NAME=VALUE lines there), secrets redacted.</summary>
public static class GoEnvFileReader
{
    public static GoEnvFileFacts Read(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return new GoEnvFileFacts(path);
            }

            return new GoEnvFileFacts(path) { Exists = true, Entries = Parse(File.ReadAllText(path)) };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new GoEnvFileFacts(path) { Exists = true, Error = e.Message };
        }
    }

    public static IReadOnlyList<GoEnvOverride> Parse(string text)
    {
        var entries = new List<GoEnvOverride>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var eq = line.IndexOf('=');
            if (eq <= 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var name = line[..eq].Trim();
            entries.Add(new GoEnvOverride(name, Secrets.RedactVariable(name, line[(eq + 1)..]), i + 1));
        }

        return entries;
    }
}
