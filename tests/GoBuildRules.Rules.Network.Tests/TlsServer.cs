using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace GoBuildRules.Rules.Network.Tests;

/// <summary>
/// An HTTPS server on 127.0.0.1 with a self-signed certificate: what a TLS-intercepting proxy looks
/// like to a machine that does not trust its root. Answers 200 to whoever accepts the certificate.
/// </summary>
public sealed class TlsServer : IDisposable
{
    public const string Issuer = "CN=gobuildrules test interception CA";

    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly X509Certificate2 certificate;
    private readonly Task loop;

    public TlsServer()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(Issuer, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    public string Url => $"https://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

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

            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                        timeout.CancelAfter(TimeSpan.FromSeconds(5));
                        await using var ssl = new SslStream(client.GetStream());
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate }, timeout.Token);
                        var buffer = new byte[4096];
                        _ = await ssl.ReadAsync(buffer, timeout.Token);
                        await ssl.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), timeout.Token);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
                    {
                        // The client refused the certificate, as it should.
                    }
                }
            });
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        loop.Wait(TimeSpan.FromSeconds(2));
        certificate.Dispose();
        stop.Dispose();
    }
}
