using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Firmware.Tests.Enrolment;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IoTSec.Firmware.Tests.Http;

/// <summary>
/// A real Kestrel HTTPS server with ASP.NET Core's own Range handling, standing in for the
/// gateway's OTA download endpoint (not in this worktree): <c>/ota/image</c> honours Range,
/// <c>/plain/image</c> ignores it. Its certificate is issued by a test root for the IP
/// address 127.0.0.1 only (no DNS name), so host-name checks can be exercised.
/// </summary>
internal sealed class DownloadServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private DownloadServer(WebApplication app, X509Certificate2 root, ECDsa rootKey, X509Certificate2 serverCertificate, byte[] image, int port)
    {
        _app = app;
        Root = root;
        RootKey = rootKey;
        ServerCertificate = serverCertificate;
        Image = image;
        Port = port;
    }

    public X509Certificate2 Root { get; }

    public ECDsa RootKey { get; }

    public X509Certificate2 ServerCertificate { get; }

    public byte[] Image { get; }

    public int Port { get; }

    public static async Task<DownloadServer> StartAsync(int imageLength)
    {
        var image = RandomNumberGenerator.GetBytes(imageLength);
        var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = EstGateway.SelfSignedCa("Download Test Root", rootKey);
        var serverCertificate = IssueServer(root, rootKey);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = serverCertificate;

            // The device always presents its certificate; this stand-in does not judge it (the
            // gateway's own endpoints do, see the EST tests).
            https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
            https.ClientCertificateValidation = (_, _, _) => true;
        })));
        var app = builder.Build();
        app.MapGet("/ota/image", () => Results.File(image, "application/octet-stream", enableRangeProcessing: true));
        app.MapGet("/plain/image", () => Results.File(image, "application/octet-stream", enableRangeProcessing: false));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new DownloadServer(app, root, rootKey, serverCertificate, image, new Uri(address).Port);
    }

    private static X509Certificate2 IssueServer(X509Certificate2 root, ECDsa rootKey)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=download-test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        using var issued = request.Create(root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4, 5, 6, 7, 8]);
        return issued.CopyWithPrivateKey(key);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        ServerCertificate.Dispose();
        Root.Dispose();
        RootKey.Dispose();
    }
}
