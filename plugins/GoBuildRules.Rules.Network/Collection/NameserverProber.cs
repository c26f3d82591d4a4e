using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace GoBuildRules.Rules.Network.Collection;

/// <summary>
/// Asks each nameserver of /etc/resolv.conf directly, over UDP, for one name the go command needs,
/// to tell "no nameserver answers" from "the name does not exist".
/// </summary>
internal static class NameserverProber
{
    public const string ResolvConf = "/etc/resolv.conf";

    public static IReadOnlyList<string> ReadNameservers(string file)
    {
        try
        {
            return File.ReadLines(file).Take(200)
                .Select(l => l.Split('#', ';')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length >= 2 && f[0] == "nameserver")
                .Select(f => f[1])
                .Distinct()
                .Take(3) // the resolver uses at most three (MAXNS)
                .ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <param name="loopbackOnly">Ask only nameservers on this machine (the tests' guard); none left means no DNS facts.</param>
    public static async Task<DnsFacts?> ProbeAsync(string? name, TimeSpan budget, CancellationToken ct, bool loopbackOnly = false)
    {
        if (name is null || !OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() || !File.Exists(ResolvConf))
        {
            return null;
        }

        var servers = ReadNameservers(ResolvConf)
            .Where(s => !loopbackOnly || (IPAddress.TryParse(s, out var ip) && IPAddress.IsLoopback(ip)))
            .ToList();
        if (servers.Count == 0)
        {
            return null;
        }

        var probes = await Task.WhenAll(servers.Select(s => AskAsync(s, name, budget, ct))).ConfigureAwait(false);
        return new DnsFacts { ResolvConf = ResolvConf, Nameservers = servers, Probes = probes };
    }

    private static async Task<NameserverProbe> AskAsync(string server, string name, TimeSpan budget, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        if (!IPAddress.TryParse(server.Split('%')[0], out var address))
        {
            return new NameserverProbe(server, name, false, 0) { Error = "not an IP address" };
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(budget);
        try
        {
            using var udp = new UdpClient(address.AddressFamily);
            var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue);
            var query = BuildQuery(id, name);
            await udp.SendAsync(query, new IPEndPoint(address, 53), cts.Token).ConfigureAwait(false);
            while (true)
            {
                var answer = await udp.ReceiveAsync(cts.Token).ConfigureAwait(false);
                var buffer = answer.Buffer;
                if (buffer.Length >= 4 && BinaryPrimitives.ReadUInt16BigEndian(buffer) == id)
                {
                    return new NameserverProbe(server, name, true, Math.Round(sw.Elapsed.TotalMilliseconds, 1)) { Rcode = buffer[3] & 0x0F };
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new NameserverProbe(server, name, false, Math.Round(sw.Elapsed.TotalMilliseconds, 1)) { Error = "no answer (timed out)" };
        }
        catch (SocketException e)
        {
            return new NameserverProbe(server, name, false, Math.Round(sw.Elapsed.TotalMilliseconds, 1)) { Error = e.Message };
        }
    }

    private static byte[] BuildQuery(ushort id, string name)
    {
        var bytes = new List<byte>();
        bytes.AddRange([(byte)(id >> 8), (byte)id, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]);
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            var l = Encoding.ASCII.GetBytes(label);
            bytes.Add((byte)Math.Min(l.Length, 63));
            bytes.AddRange(l.Take(63));
        }

        bytes.AddRange([0x00, 0x00, 0x01, 0x00, 0x01]);
        return [.. bytes];
    }
}
