using System.Text.RegularExpressions;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.Ide.Collection;

/// <summary>Finds the go build / test / vet command lines (and GOFLAGS lines) of the CI files, with their -tags and -mod.</summary>
internal static partial class CiReader
{
    /// <param name="ciFiles">The scan's CI files (<see cref="CiSystem.ConfigFiles"/>), relative to <paramref name="root"/>.</param>
    public static IReadOnlyList<CiBuild> Read(string root, IReadOnlyList<CiConfigFile> ciFiles)
    {
        var files = ciFiles.Select(f => f.Path);
        var builds = new List<CiBuild>();
        foreach (var file in files)
        {
            string[] lines;
            try
            {
                var info = new FileInfo(Path.Combine(root, file));
                if (info.Length > 512 * 1024) continue;
                lines = File.ReadAllLines(info.FullName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            for (var i = 0; i < lines.Length && builds.Count < 200; i++)
            {
                var line = lines[i];
                if (line.TrimStart().StartsWith('#') || !(GoCommand().IsMatch(line) || line.Contains("GOFLAGS", StringComparison.Ordinal)))
                {
                    continue;
                }

                var tags = Tags().Match(line);
                var tagList = tags.Success
                    ? (tags.Groups["q"].Success ? tags.Groups["q"].Value : tags.Groups["p"].Value)
                        .Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToList()
                    : [];
                var mod = Mod().Match(line);
                var text = Secrets.Redact(line.Trim());
                builds.Add(new CiBuild(file, i + 1, text.Length > 200 ? text[..200] + "…" : text, tagList, mod.Success ? mod.Groups[1].Value : null)
                {
                    HasTags = tags.Success,
                });
            }
        }

        return builds;
    }

    [GeneratedRegex(@"\bgo\s+(build|test|vet|install|run)\b")]
    private static partial Regex GoCommand();

    [GeneratedRegex(@"-tags[= ](?:[""'](?<q>[^""']*)[""']|(?<p>[^\s""']+))")]
    private static partial Regex Tags();

    [GeneratedRegex(@"-mod[= ](\w+)")]
    private static partial Regex Mod();
}
