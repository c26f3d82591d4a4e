using System.Net;
using System.Net.Sockets;

namespace GoBuildRules.Tests.Shared;

/// <summary>
/// A nameserver of the test's own, on port 53 of a loopback address of its own (127.x.y.z), for
/// tests that exercise name resolution: every query is answered NXDOMAIN, or never answered (a
/// resolver that a VPN left behind, a firewall dropping port 53). Processes see it only through
/// <see cref="MountNamespace.WithResolvConf"/>, so no query reaches the machine's nameserver.
/// </summary>
public sealed class LoopbackDns : IDisposable
{
    private readonly UdpClient socket;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly List<string> names = [];

    public LoopbackDns(bool answer)
    {
        Answer = answer;
        // Port 53 needs root, which the integration tests have (they also lower sysctls and mount).
        for (var attempt = 0; ; attempt++)
        {
            var address = new IPAddress([127, (byte)Random.Shared.Next(64, 250), (byte)Random.Shared.Next(1, 250), (byte)Random.Shared.Next(1, 250)]);
            try
            {
                socket = new UdpClient(new IPEndPoint(address, 53));
                Address = address;
                break;
            }
            catch (SocketException) when (attempt < 10)
            {
            }
        }

        loop = Task.Run(ServeAsync);
    }

    public IPAddress Address { get; }

    public bool Answer { get; }

    /// <summary>The names asked for, in order.</summary>
    public IReadOnlyList<string> Queries
    {
        get { lock (names) return [.. names]; }
    }

    /// <summary>A resolv.conf naming only this server, one try of one second per query (go and glibc both honour it).</summary>
    public string WriteResolvConf(TempFolder t) =>
        t.Write("resolv.conf", $"nameserver {Address}\noptions timeout:1 attempts:1\n");

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            UdpReceiveResult query;
            try
            {
                query = await socket.ReceiveAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var q = query.Buffer;
            if (q.Length < 12)
            {
                continue;
            }

            lock (names) names.Add(QuestionName(q));
            if (!Answer)
            {
                continue;
            }

            // The query echoed back as a response: QR and RA set, opcode and RD kept, RCODE 3 (NXDOMAIN), no answers.
            var r = (byte[])q.Clone();
            r[2] = (byte)(0x80 | (q[2] & 0x79));
            r[3] = 0x83;
            r[6] = r[7] = r[8] = r[9] = r[10] = r[11] = 0;
            try
            {
                await socket.SendAsync(r, query.RemoteEndPoint, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private static string QuestionName(byte[] q)
    {
        var labels = new List<string>();
        for (var i = 12; i < q.Length && q[i] != 0 && i + q[i] < q.Length; i += q[i] + 1)
        {
            labels.Add(System.Text.Encoding.ASCII.GetString(q, i + 1, q[i]));
        }

        return string.Join('.', labels);
    }

    public void Dispose()
    {
        stop.Cancel();
        socket.Dispose();
        loop.Wait(TimeSpan.FromSeconds(2));
        stop.Dispose();
    }
}
