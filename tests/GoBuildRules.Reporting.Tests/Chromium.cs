using System.Net;
using System.Net.Sockets;
using System.Text;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// Debian's Chromium (apt-get install chromium), driven by <see cref="DevTools"/>. The tests fail
/// (not skip) when it is missing: CI installs it.
/// </summary>
public static class Chromium
{
    public static string Path =>
        Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } custom ? custom
        : Executables.Find("chromium", Environment.GetEnvironmentVariable("PATH"))?.Path
        ?? throw new InvalidOperationException("these tests need Chromium (Debian: apt-get install -y chromium)");
}

/// <summary>
/// A proxy on 127.0.0.1 that serves nothing: it records the first line of every request (GET
/// http://…, CONNECT host:443) and answers 502, so the browser gives up at once.
/// </summary>
public sealed class RequestRecorder : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<string> requests = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RequestRecorder()
    {
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public IReadOnlyList<string> Requests
    {
        get { lock (requests) return requests.ToList(); }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            var stream = client.GetStream();
            var buffer = new byte[4096];
            var line = "(connection without a request line)";
            try
            {
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n > 0)
                {
                    line = Encoding.ASCII.GetString(buffer, 0, n).Split("\r\n")[0];
                }

                lock (requests) requests.Add(line);
                await stream.WriteAsync("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                lock (requests) requests.Add(line);
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        loop.Wait(TimeSpan.FromSeconds(2));
        stop.Dispose();
    }
}
