using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GoBuildRules.Sdk;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// Debian's headless Chromium (apt-get install chromium), run with a fresh profile, background
/// services off, and every request sent to a <see cref="RequestRecorder"/> on 127.0.0.1, so a test
/// sees any request the page makes. The tests fail (not skip) when it is missing: CI installs it.
/// </summary>
public static class Chromium
{
    public static string Path =>
        Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } custom ? custom
        : Executables.Find("chromium", Environment.GetEnvironmentVariable("PATH"))?.Path
        ?? throw new InvalidOperationException("these tests need Chromium (Debian: apt-get install -y chromium)");

    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static Run Headless(RequestRecorder proxy, string url, TimeSpan timeout, params string[] extra)
    {
        var profile = Directory.CreateTempSubdirectory("gbr-chromium-").FullName;
        try
        {
            var psi = new ProcessStartInfo(Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            foreach (var a in (string[])[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
                "--disable-default-apps", "--metrics-recording-only", "--disable-dev-shm-usage",
                $"--user-data-dir={profile}",
                // Every request, loopback included, goes to the recorder: a page that loads anything is caught.
                $"--proxy-server=http://127.0.0.1:{proxy.Port}", "--proxy-bypass-list=<-loopback>",
                .. extra, url])
            {
                psi.ArgumentList.Add(a);
            }

            using var p = Process.Start(psi)!;
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit();
                throw new TimeoutException($"chromium did not finish within {timeout.TotalSeconds} s: {stderr.Result}");
            }

            p.WaitForExit();
            return new Run(p.ExitCode, stdout.Result, stderr.Result);
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
                // A profile left in /tmp must not fail the test.
            }
        }
    }
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
