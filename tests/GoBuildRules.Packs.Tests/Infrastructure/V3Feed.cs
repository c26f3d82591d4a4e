using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace GoBuildRules.Packs.Tests.Infrastructure;

/// <summary>
/// A NuGet v3 feed on 127.0.0.1: a service index and a flat container (PackageBaseAddress/3.0.0)
/// serving the .nupkg files of a folder, with a count of package downloads.
/// </summary>
public sealed partial class V3Feed : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly string folder;
    private readonly Task loop;
    private readonly (string User, string Password)? credentials;
    private int downloads;
    private int refused;

    /// <param name="credentials">When given, every request needs HTTP Basic authentication with them.</param>
    public V3Feed(string folder, (string User, string Password)? credentials = null)
    {
        this.folder = folder;
        this.credentials = credentials;
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        if (credentials is not null)
        {
            listener.AuthenticationSchemes = AuthenticationSchemes.Basic;
        }

        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string IndexUrl => $"http://127.0.0.1:{Port}/v3/index.json";

    /// <summary>How many .nupkg files were served.</summary>
    public int Downloads => Volatile.Read(ref downloads);

    /// <summary>How many requests came with wrong credentials (requests without any are challenged by HttpListener).</summary>
    public int Refused => Volatile.Read(ref refused);

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Respond(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                // The client went away; the next request is served as usual.
            }
        }
    }

    private void Respond(HttpListenerContext context)
    {
        using var response = context.Response;
        if (credentials is { } expected
            && !(context.User?.Identity is HttpListenerBasicIdentity identity && identity.Name == expected.User && identity.Password == expected.Password))
        {
            Interlocked.Increment(ref refused);
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", "Basic realm=\"feed\"");
            return;
        }

        var path = context.Request.Url!.AbsolutePath;
        if (path == "/v3/index.json")
        {
            Json(response, new
            {
                version = "3.0.0",
                resources = new object[] { new Dictionary<string, string> { ["@id"] = $"http://127.0.0.1:{Port}/flat/", ["@type"] = "PackageBaseAddress/3.0.0" } },
            });
            return;
        }

        var versions = VersionsPath().Match(path);
        if (versions.Success)
        {
            var list = Packages().Where(p => p.Id == versions.Groups["id"].Value).Select(p => p.Version).ToList();
            if (list.Count == 0)
            {
                response.StatusCode = 404;
                return;
            }

            Json(response, new { versions = list });
            return;
        }

        var nupkg = NupkgPath().Match(path);
        if (nupkg.Success)
        {
            var file = Packages().FirstOrDefault(p => p.Id == nupkg.Groups["id"].Value && p.Version == nupkg.Groups["version"].Value).File;
            if (file is null)
            {
                response.StatusCode = 404;
                return;
            }

            Interlocked.Increment(ref downloads);
            var bytes = File.ReadAllBytes(file);
            response.ContentType = "application/octet-stream";
            response.ContentLength64 = bytes.Length;
            response.OutputStream.Write(bytes);
            return;
        }

        response.StatusCode = 404;
    }

    /// <summary>The folder's packages by lower-case id and version, read from their file names (id.version.nupkg).</summary>
    private IEnumerable<(string Id, string Version, string File)> Packages()
    {
        foreach (var file in Directory.GetFiles(folder, "*.nupkg"))
        {
            using var reader = new NuGet.Packaging.PackageArchiveReader(file);
            var identity = reader.GetIdentity();
            yield return (identity.Id.ToLowerInvariant(), identity.Version.ToNormalizedString().ToLowerInvariant(), file);
        }
    }

    private static void Json(HttpListenerResponse response, object value)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value));
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        response.OutputStream.Write(bytes);
    }

    [GeneratedRegex("^/flat/(?<id>[^/]+)/index.json$")]
    private static partial Regex VersionsPath();

    [GeneratedRegex("^/flat/(?<id>[^/]+)/(?<version>[^/]+)/[^/]+\\.nupkg$")]
    private static partial Regex NupkgPath();

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
