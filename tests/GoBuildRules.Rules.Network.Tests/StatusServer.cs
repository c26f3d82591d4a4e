using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoBuildRules.Rules.Network.Tests;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 that answers every request with one fixed status, and keeps the
/// request heads it saw so that tests can check what the probes sent (no credentials).
/// </summary>
public sealed class StatusServer : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly List<string> requests = [];
    private readonly Task loop;
    private readonly int status;

    public StatusServer(int status)
    {
        this.status = status;
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<string> Requests
    {
        get { lock (requests) return [.. requests]; }
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
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, timeout.Token);
                    if (n == 0) break;
                    head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }

                lock (requests) requests.Add(head.ToString());
                var body = $"status {status}\n";
                var response = $"HTTP/1.1 {status} Status {status}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client went away or the server is stopping.
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
