using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>
/// A manufacturer's birth CA: a self-signed P-256 CA that issues birth certificates (CN = the
/// device id, digitalSignature, clientAuth), as a factory station would at provisioning.
/// </summary>
internal sealed class TestBirthAuthority : IDisposable
{
    private TestBirthAuthority(ECDsa key, X509Certificate2 certificate)
    {
        Key = key;
        Certificate = certificate;
    }

    public ECDsa Key { get; }

    public X509Certificate2 Certificate { get; }

    public static TestBirthAuthority Create(string name = "Test Manufacturer Birth CA")
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name + ", O=IoTSec Tests", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        return new TestBirthAuthority(key, certificate);
    }

    /// <summary>A birth certificate with its private key.</summary>
    public X509Certificate2 Issue(string deviceId, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null) =>
        IssueUnder(Certificate, Key, deviceId, notBefore, notAfter);

    /// <summary>A birth-style certificate for <paramref name="deviceId"/> signed by any CA.</summary>
    public static X509Certificate2 IssueUnder(X509Certificate2 issuer, ECDsa issuerKey, string deviceId, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(
            issuer.SubjectName,
            X509SignatureGenerator.CreateForECDsa(issuerKey),
            notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5),
            notAfter ?? DateTimeOffset.UtcNow.AddYears(5),
            serial);
        return issued.CopyWithPrivateKey(key);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
