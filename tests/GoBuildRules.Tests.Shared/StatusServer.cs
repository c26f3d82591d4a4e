using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GoBuildRules.Tests.Shared;

/// <summary>
/// A tiny HTTP server on 127.0.0.1 that answers every request with one fixed status, and keeps the
/// request heads it saw so that tests can check what was sent (no credentials). As a 502 proxy it
/// is also the sink a browser under test is pointed at, so nothing it tries leaves the machine.
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
            var head = new StringBuilder();
            var recorded = false;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                var stream = client.GetStream();
                var buffer = new byte[4096];
                while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(buffer, timeout.Token);
                    if (n == 0) break;
                    head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                }

                Record(head);
                recorded = true;
                var body = $"status {status}\n";
                var response = $"HTTP/1.1 {status} Status {status}\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(response), timeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
                // The client went away or the server is stopping; a connection still counts as a request.
                if (!recorded) Record(head);
            }
        }
    }

    private void Record(StringBuilder head)
    {
        lock (requests) requests.Add(head.Length > 0 ? head.ToString() : "(connection without a request line)");
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        loop.Wait(TimeSpan.FromSeconds(2));
        stop.Dispose();
    }
}
