using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Tests.Inventory;

/// <summary>Real X.509 certificates made with .NET for inventory tests: a CA and device certificates it issues.</summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    public TestCertificates(string caName = "CN=IoTSec Test Device CA")
    {
        var request = new CertificateRequest(caName, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
    }

    public string IssuerName => _ca.SubjectName.Name;

    /// <summary>A device certificate with CN = <paramref name="deviceId"/> and a random 16-byte serial.</summary>
    public X509Certificate2 Issue(string deviceId, byte[]? serial = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256);
        if (serial is null)
        {
            serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
        }

        return request.Create(_ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), serial);
    }

    public static string Sha256Of(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
    }
}
