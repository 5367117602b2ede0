using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The extensions of each certificate in the hierarchy, and the one signing step they all
/// share. Every extension comes from here; nothing a requester asked for is copied.
/// </summary>
internal static class CertificateTemplates
{
    /// <summary>The signature hash that matches an ECDSA key: SHA-256 for P-256 (the only one the TPM provider signs), SHA-384 for P-384.</summary>
    public static HashAlgorithmName HashFor(ECDsa key) => key.KeySize switch
    {
        256 => HashAlgorithmName.SHA256,
        384 => HashAlgorithmName.SHA384,
        521 => HashAlgorithmName.SHA512,
        _ => throw new CryptographicException($"unsupported ECDSA key size {key.KeySize}"),
    };

    /// <summary>The offline root: CA, path length 1 (one gateway intermediate below it, never more).</summary>
    public static CertificateRequest Root(X500DistinguishedName subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashFor(key));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 1, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    /// <summary>
    /// A gateway intermediate: CA with path length 0 (it issues end-entity certificates only),
    /// marked with the gateway-intermediate policy so no other CA under the root passes for one.
    /// </summary>
    public static CertificateRequest Intermediate(X500DistinguishedName subject, PublicKey publicKey, X509Certificate2 root, HashAlgorithmName hash)
    {
        var request = new CertificateRequest(subject, publicKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(CertificatePolicies.Create(CertificatePolicies.GatewayIntermediate));
        AddKeyIdentifiers(request, root);
        return request;
    }

    /// <summary>A device operational certificate: end entity, digitalSignature, clientAuth.</summary>
    public static CertificateRequest Device(string deviceId, PublicKey publicKey, X509Certificate2 intermediate, HashAlgorithmName hash)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(deviceId);
        var request = new CertificateRequest(subject.Build(), publicKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(KeyUsageFor(publicKey), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(PkiOids.ClientAuth) }, false));
        AddKeyIdentifiers(request, intermediate);
        return request;
    }

    /// <summary>A gateway TLS server certificate: end entity, digitalSignature, serverAuth, the names in the SAN.</summary>
    public static CertificateRequest Server(ServerCertificateOptions options, PublicKey publicKey, X509Certificate2 intermediate, HashAlgorithmName hash)
    {
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(options.CommonName);
        var request = new CertificateRequest(subject.Build(), publicKey, hash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(KeyUsageFor(publicKey), true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(PkiOids.ServerAuth) }, false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var dns in options.DnsNames)
        {
            names.AddDnsName(dns);
        }

        foreach (var ip in options.IpAddresses)
        {
            names.AddIpAddress(ip);
        }

        request.CertificateExtensions.Add(names.Build(false));
        AddKeyIdentifiers(request, intermediate);
        return request;
    }

    /// <summary>
    /// Signs <paramref name="request"/> with the issuer's key (a file key, or a TPM key through
    /// the OpenSSL provider: only signing is asked of it). notBefore is backdated by the clock
    /// skew allowance; notAfter never passes the issuer's own notAfter, so no certificate
    /// outlives the certificate that vouches for it.
    /// </summary>
    public static X509Certificate2 Sign(
        CertificateRequest request, X500DistinguishedName issuerName, DateTimeOffset issuerNotAfter, ECDsa issuerKey, DateTimeOffset now, TimeSpan validity)
    {
        var notBefore = now - PkiDefaults.ClockSkewAllowance;
        var notAfter = now + validity;
        if (notAfter > issuerNotAfter)
        {
            notAfter = issuerNotAfter;
        }

        if (notAfter <= now)
        {
            throw new GatewayPkiException($"the issuing certificate '{issuerName.Name}' has expired (notAfter {issuerNotAfter:u}); it cannot issue");
        }

        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey);
        return request.Create(issuerName, generator, notBefore, notAfter, CertificateSerialNumber.NewRandom());
    }

    private static void AddKeyIdentifiers(CertificateRequest request, X509Certificate2 issuer)
    {
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
    }

    // RSA keys on devices may still use RSA key transport in TLS 1.2 suites, which needs keyEncipherment.
    private static X509KeyUsageFlags KeyUsageFor(PublicKey key) =>
        key.Oid.Value == PkiOids.RsaEncryption
            ? X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment
            : X509KeyUsageFlags.DigitalSignature;
}
