using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>Certificates made by .NET's CertificateRequest, the reference the DER reader is checked against.</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset DefaultNotBefore = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset DefaultNotAfter = new(2035, 3, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A device certificate: P-256 subject key, issued by a separate P-256 CA key, with the usual extensions.</summary>
    public static byte[] EcDevice(
        string subject = "CN=device-0001, O=IoTSec, C=DE",
        byte[]? serial = null,
        DateTimeOffset? notBefore = null,
        DateTimeOffset? notAfter = null,
        bool extensions = true)
    {
        using var deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, deviceKey, HashAlgorithmName.SHA256);
        if (extensions)
        {
            AddDeviceExtensions(request);
        }

        return Issue(request, new X500DistinguishedName("CN=IoTSec Device CA, O=IoTSec"), X509SignatureGenerator.CreateForECDsa(caKey), serial, notBefore, notAfter);
    }

    /// <summary>A self-signed RSA certificate with the usual extensions.</summary>
    public static byte[] Rsa(RSA key, string subject = "CN=gateway.example, O=IoTSec", byte[]? serial = null)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        AddDeviceExtensions(request);
        return Issue(request, request.SubjectName, X509SignatureGenerator.CreateForRSA(key, RSASignaturePadding.Pkcs1), serial, null, null);
    }

    public static void AddDeviceExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("device-0001.devices.iotsec.example");
        san.AddUri(new Uri("urn:iotsec:device:0001"));
        request.CertificateExtensions.Add(san.Build());
    }

    public static byte[] Issue(
        CertificateRequest request,
        X500DistinguishedName issuer,
        X509SignatureGenerator generator,
        byte[]? serial,
        DateTimeOffset? notBefore,
        DateTimeOffset? notAfter)
    {
        using var certificate = request.Create(
            issuer,
            generator,
            notBefore ?? DefaultNotBefore,
            notAfter ?? DefaultNotAfter,
            serial ?? [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]);
        return certificate.RawData;
    }
}
