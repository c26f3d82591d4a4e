using GoBuildRules.Sdk;
using GoBuildRules.Rules.Network.Config;

namespace GoBuildRules.Rules.Network.Collection;

/// <summary>Checks a file:// GOPROXY entry: the folder exists, can be read and is laid out as a module proxy.</summary>
internal static class FileProxyChecker
{
    /// <summary>Bounds of the layout walk: a proxy folder can hold the whole module cache.</summary>
    private const int MaxDepth = 8;
    private const int MaxEntries = 5_000;

    public static FileProxyCheck Check(ProxyEntry entry, string? sampleModule, CancellationToken ct)
    {
        var path = ToPath(entry.Url);
        var check = new FileProxyCheck(entry.Index, NetworkConfig.StripUserInfo(entry.Url), path ?? entry.Url);
        if (path is null)
        {
            return check with { Path = entry.Url, Error = "not a file URL cmd/go can use (want file:///absolute/path)" };
        }

        if (!Directory.Exists(path))
        {
            return check with { Error = File.Exists(path) ? "is a file, not a folder" : "does not exist" };
        }

        check = check with { Exists = true };
        try
        {
            _ = Directory.EnumerateFileSystemEntries(path).FirstOrDefault();
            check = check with { Readable = true };
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return check with { Error = $"cannot be read: {e.Message}" };
        }

        if (sampleModule is not null)
        {
            var list = Path.Combine(path, NetworkConfig.EscapePath(sampleModule), "@v", "list");
            var listed = File.Exists(list);
            check = check with { SampleModule = sampleModule, SampleListed = listed };
            if (listed)
            {
                return check with { HasProxyLayout = true };
            }
        }

        return check with { HasProxyLayout = FindVersionFolder(path, ct) };
    }

    /// <summary>cmd/go turns file:///p (and file://localhost/p, file:///C:/p) into the folder p.</summary>
    public static string? ToPath(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme != "file" || (u.Host.Length > 0 && u.Host != "localhost"))
        {
            return null;
        }

        return u.LocalPath;
    }

    private static bool FindVersionFolder(string root, CancellationToken ct)
    {
        var queue = new Queue<(string Dir, int Depth)>();
        queue.Enqueue((root, 0));
        var seen = 0;
        while (queue.Count > 0 && seen < MaxEntries && !ct.IsCancellationRequested)
        {
            var (dir, depth) = queue.Dequeue();
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateDirectories(dir).ToList();
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                continue;
            }

            foreach (var child in children)
            {
                seen++;
                if (Path.GetFileName(child) == "@v")
                {
                    return true;
                }

                if (depth + 1 < MaxDepth)
                {
                    queue.Enqueue((child, depth + 1));
                }
            }
        }

        return false;
    }
}
