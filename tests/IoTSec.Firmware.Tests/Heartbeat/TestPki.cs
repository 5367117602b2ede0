using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>
/// A throw-away PKI made with System.Security.Cryptography for the broker tests: a root, the
/// broker's server certificate (127.0.0.1) and client certificates whose CN is the
/// MQTT identity (a device id, or "gateway").
/// </summary>
internal sealed class TestPki : IDisposable
{
    private readonly ECDsa _rootKey;

    public TestPki()
    {
        _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=IoTSec test root", _rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    public X509Certificate2 Root { get; }

    /// <summary>A server certificate for 127.0.0.1 only (so "localhost" is a name it does not carry), with its key.</summary>
    public (X509Certificate2 Certificate, ECDsa Key) Server()
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        return Issue("CN=IoTSec test broker", "1.3.6.1.5.5.7.3.1", san.Build());
    }

    /// <summary>A client certificate whose CN is <paramref name="identity"/>, with its key.</summary>
    public (X509Certificate2 Certificate, ECDsa Key) Client(string identity) => Issue("CN=" + identity, "1.3.6.1.5.5.7.3.2", null);

    /// <summary>A root nobody trusts, for the wrong-anchor test.</summary>
    public static X509Certificate2 OtherRoot()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=someone else's root", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    public static void WritePem(string path, X509Certificate2 certificate) => File.WriteAllText(path, certificate.ExportCertificatePem());

    public static void WritePem(string path, ECDsa key) => File.WriteAllText(path, key.ExportPkcs8PrivateKeyPem());

    public void Dispose()
    {
        Root.Dispose();
        _rootKey.Dispose();
    }

    private (X509Certificate2 Certificate, ECDsa Key) Issue(string subject, string usage, X509Extension? san)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san is not null)
        {
            request.CertificateExtensions.Add(san);
        }

        var serial = new byte[12];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7F;
        using var issued = request.Create(Root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(12), serial);
        return (X509CertificateLoader.LoadCertificate(issued.RawData), key);
    }
}
