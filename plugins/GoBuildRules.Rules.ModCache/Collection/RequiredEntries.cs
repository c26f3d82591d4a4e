using System.Text.Json;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.ModCache.Collection;

/// <summary>
/// Looks at the cache entries of the module versions this workspace needs (go.mod requirements,
/// after replacements, and go.sum's zip hashes): a handful of stats and small reads per version.
/// </summary>
public static class RequiredEntries
{
    /// <summary>The module versions to inspect, in go.mod then go.sum order, without duplicates.</summary>
    public static IReadOnlyList<(string Module, string Version)> Wanted(WorkspaceFacts workspace, int max)
    {
        var seen = new HashSet<(string, string)>();
        var list = new List<(string, string)>();
        void Add(string module, string version)
        {
            if (list.Count < max && module.Length > 0 && version.StartsWith('v') && seen.Add((module, version)))
            {
                list.Add((module, version));
            }
        }

        if (workspace.GoMod is { } mod)
        {
            foreach (var r in mod.Requires)
            {
                var replacement = mod.Replaces.FirstOrDefault(x => x.OldPath == r.Path && (x.OldVersion is null || x.OldVersion == r.Version));
                if (replacement is null)
                {
                    Add(r.Path, r.Version);
                }
                else if (replacement.NewVersion is { } newVersion)
                {
                    Add(replacement.NewPath, newVersion);
                }
            }
        }

        foreach (var e in workspace.GoSum?.Entries ?? [])
        {
            if (!e.Version.EndsWith("/go.mod", StringComparison.Ordinal))
            {
                Add(e.Path, e.Version);
            }
        }

        return list;
    }

    public static CachedModuleEntry Inspect(string modCache, string module, string version)
    {
        var prefix = ModulePaths.DownloadPrefix(modCache, module, version);
        var extracted = ModulePaths.ExtractedDirectory(modCache, module, version);
        var zip = new FileInfo(prefix + ".zip");
        var ziphashFile = prefix + ".ziphash";
        var ziphashExists = File.Exists(ziphashFile);
        return new CachedModuleEntry(module, version)
        {
            FilePrefix = prefix,
            ExtractedDirectory = extracted,
            ExtractedExists = Directory.Exists(extracted),
            ZipExists = zip.Exists,
            ZipBytes = zip.Exists ? zip.Length : 0,
            ZipComplete = zip.Exists ? HasEndRecord(zip.FullName) : null,
            ZiphashExists = ziphashExists,
            Ziphash = ziphashExists ? ReadSmall(ziphashFile)?.Trim() : null,
            Info = InfoState(prefix + ".info"),
            Mod = ModState(prefix + ".mod"),
            PartialExists = File.Exists(prefix + ".partial"),
        };
    }

    /// <summary>A zip ends with an end-of-central-directory record (PK\5\6) within its last 64 KiB + 22 bytes.</summary>
    public static bool? HasEndRecord(string file)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            var tail = (int)Math.Min(stream.Length, 65_535 + 22);
            if (tail < 22)
            {
                return false;
            }

            var buffer = new byte[tail];
            stream.Seek(-tail, SeekOrigin.End);
            stream.ReadExactly(buffer);
            for (var i = tail - 22; i >= 0; i--)
            {
                if (buffer[i] == 0x50 && buffer[i + 1] == 0x4b && buffer[i + 2] == 0x05 && buffer[i + 3] == 0x06)
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static MetadataState InfoState(string file)
    {
        var text = ReadSmall(file);
        if (text is null)
        {
            return MetadataState.Missing;
        }

        if (text.Trim().Length == 0)
        {
            return MetadataState.Empty;
        }

        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("Version", out var v) && v.ValueKind == JsonValueKind.String
                ? MetadataState.Ok
                : MetadataState.Unparsable;
        }
        catch (JsonException)
        {
            return MetadataState.Unparsable;
        }
    }

    private static MetadataState ModState(string file)
    {
        var text = ReadSmall(file);
        if (text is null)
        {
            return MetadataState.Missing;
        }

        if (text.Trim().Length == 0)
        {
            return MetadataState.Empty;
        }

        // cmd/go writes a go.mod; one without a module line (or binary junk) will not parse.
        return text.Split('\n').Any(l => l.TrimStart().StartsWith("module", StringComparison.Ordinal)) ? MetadataState.Ok : MetadataState.Unparsable;
    }

    private static string? ReadSmall(string file)
    {
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                return null;
            }

            // Metadata files are tiny; a huge one is damage, and reading all of it would cost time.
            if (info.Length > 1 << 20)
            {
                return "\0";
            }

            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
