using System.Text.Json;
using GoBuildRules.Sdk;

namespace GoBuildRules.Rules.CloudEnv;

/// <summary>
/// Where GOCACHE and GOMODCACHE live. The ModCache pack measures the caches more thoroughly, so
/// its facts win when the snapshot holds them; they are read as plain JSON (the packs share no
/// types) by looking for the object that names the cache's path beside a file system or free space.
/// </summary>
internal static class CacheView
{
    public const string ModCacheKey = "GoBuildRules.Rules.ModCache";

    public sealed record Cache(string Variable, string Path, string? FileSystem, long? FreeBytes, long? TotalBytes, string Source);

    public static IReadOnlyList<Cache> Of(Snapshot snapshot, CloudEnvFacts? facts)
    {
        var own = facts?.Caches ?? [];
        var result = new List<Cache>();
        foreach (var variable in new[] { "GOCACHE", "GOMODCACHE" })
        {
            var path = own.FirstOrDefault(c => c.Variable == variable)?.Path ?? snapshot.GoEnv(variable) ?? snapshot.Env(variable);
            if (string.IsNullOrWhiteSpace(path))
            {
                continue;
            }

            var mine = own.FirstOrDefault(c => c.Variable == variable);
            var theirs = snapshot.Extensions.TryGetValue(ModCacheKey, out var element) ? FindIn(element, path) : null;
            if (theirs is not null && (theirs.Value.FileSystem is not null || theirs.Value.Free is not null))
            {
                result.Add(new Cache(variable, path, theirs.Value.FileSystem ?? mine?.FileSystem, theirs.Value.Free ?? mine?.FreeBytes,
                    theirs.Value.Total ?? mine?.TotalBytes, ModCacheKey));
            }
            else if (mine is not null)
            {
                result.Add(new Cache(variable, path, mine.FileSystem, mine.FreeBytes, mine.TotalBytes, CloudEnvPack.Id));
            }
        }

        return result;
    }

    private static (string? FileSystem, long? Free, long? Total) Direct(JsonElement e)
    {
        string? fs = null;
        long? free = null, total = null;
        foreach (var p in e.EnumerateObject())
        {
            var name = p.Name.ToLowerInvariant();
            if (p.Value.ValueKind == JsonValueKind.String && name is "filesystem" or "filesystemtype" or "fstype" or "fs" or "mounttype" or "driveformat")
                fs = p.Value.GetString();
            else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n))
            {
                if (name.Contains("free", StringComparison.Ordinal) || name.Contains("avail", StringComparison.Ordinal)) free ??= n;
                else if (name.Contains("total", StringComparison.Ordinal) || name is "size" or "sizebytes" or "capacitybytes") total ??= n;
            }
        }

        return (fs, free, total);
    }

    private static (string? FileSystem, long? Free, long? Total)? FindIn(JsonElement element, string path)
    {
        // Bounded walk over the other pack's facts: depth-limited, no recursion into huge arrays' tails.
        var stack = new Stack<(JsonElement Element, int Depth)>();
        stack.Push((element, 0));
        var visited = 0;
        while (stack.Count > 0 && visited++ < 20_000)
        {
            var (e, depth) = stack.Pop();
            if (e.ValueKind == JsonValueKind.Object)
            {
                string? fs = null;
                long? free = null, total = null;
                var namesPath = false;
                foreach (var p in e.EnumerateObject())
                {
                    var name = p.Name.ToLowerInvariant();
                    if (p.Value.ValueKind == JsonValueKind.String)
                    {
                        var value = p.Value.GetString()!;
                        if (value.TrimEnd('/', '\\') == path.TrimEnd('/', '\\') && name.Contains("path", StringComparison.Ordinal))
                            namesPath = true;
                        if (name is "filesystem" or "filesystemtype" or "fstype" or "fs" or "mounttype" or "driveformat")
                            fs = value;
                    }
                    else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n))
                    {
                        if (name.Contains("free", StringComparison.Ordinal) || name.Contains("avail", StringComparison.Ordinal)) free ??= n;
                        else if (name.Contains("total", StringComparison.Ordinal) || name is "size" or "sizebytes" or "capacitybytes") total ??= n;
                    }
                    else if (depth < 8 && p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
                    {
                        stack.Push((p.Value, depth + 1));
                    }
                }

                if (namesPath)
                {
                    // The disk facts may sit one level down ({ path, disk: { fsType, freeBytes } }).
                    foreach (var child in e.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object).Select(p => p.Value))
                    {
                        var (cfs, cfree, ctotal) = Direct(child);
                        fs ??= cfs;
                        free ??= cfree;
                        total ??= ctotal;
                    }

                    return (fs, free, total);
                }
            }
            else if (e.ValueKind == JsonValueKind.Array && depth < 8)
            {
                foreach (var item in e.EnumerateArray().Take(1000))
                {
                    stack.Push((item, depth + 1));
                }
            }
        }

        return null;
    }
}
