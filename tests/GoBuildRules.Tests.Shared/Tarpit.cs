using System.Net;
using System.Net.Sockets;

namespace GoBuildRules.Tests.Shared;

/// <summary>
/// A server on 127.0.0.1 that accepts TCP connections and never says a word: the proxy or checksum
/// database that makes `go` hang forever. Connections are held until the tarpit is disposed.
/// </summary>
public sealed class Tarpit : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> held = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public Tarpit()
    {
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public string Url => $"http://127.0.0.1:{Port}";

    public int Accepted
    {
        get { lock (held) return held.Count; }
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                lock (held) held.Add(client);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        lock (held)
        {
            foreach (var c in held) c.Dispose();
        }

        loop.Wait(TimeSpan.FromSeconds(2));
        stop.Dispose();
    }
}
