using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// What the offline root does, and all it does: certify itself once, at the CA ceremony, and
/// then sign gateway intermediates from their CSRs. Used by <c>iotsec ca</c> (key in an
/// encrypted file, later PKCS#11) and by <see cref="DevelopmentPki"/>.
/// </summary>
public static class OfflineRootAuthority
{
    /// <summary>The default subject of a root: <c>CN=IoTSec Offline Root CA, O=&lt;organization&gt;</c>.</summary>
    public static X500DistinguishedName DefaultSubject(string commonName = "IoTSec Offline Root CA", string? organization = null)
    {
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        if (!string.IsNullOrWhiteSpace(organization))
        {
            builder.AddOrganizationName(organization);
        }

        return builder.Build();
    }

    /// <summary>Makes the self-signed root certificate for <paramref name="rootKey"/> (ECDSA P-384 or P-256).</summary>
    public static X509Certificate2 CreateRootCertificate(
        ECDsa rootKey, X500DistinguishedName subject, TimeSpan? validity = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(rootKey);
        ArgumentNullException.ThrowIfNull(subject);
        if (rootKey.KeySize is not (256 or 384))
        {
            throw new GatewayPkiException($"a root key is ECDSA P-384 or P-256, not a {rootKey.KeySize}-bit key");
        }

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var lifetime = validity ?? PkiDefaults.RootValidity;
        var request = CertificateTemplates.Root(subject, rootKey);
        return CertificateTemplates.Sign(request, subject, now + lifetime, rootKey, now, lifetime);
    }

    /// <summary>
    /// Signs a gateway intermediate from its verified CSR. The subject is the CSR's; every
    /// extension is the hierarchy's (CA, path length 0, keyCertSign|cRLSign, key identifiers);
    /// the key must be ECDSA P-256 (the TPM's) or P-384.
    /// </summary>
    /// <exception cref="SigningRequestRejectedException">The request's key or subject is not acceptable for an intermediate.</exception>
    /// <exception cref="GatewayPkiException">The root key does not belong to the root certificate, or the root has expired.</exception>
    public static X509Certificate2 SignGatewayIntermediate(
        X509Certificate2 root, ECDsa rootKey, VerifiedSigningRequest request, TimeSpan? validity = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(rootKey);
        CheckIntermediateRequest(request);
        if (!root.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rootKey.ExportSubjectPublicKeyInfo()))
        {
            throw new GatewayPkiException($"the root key does not belong to the root certificate '{root.Subject}'");
        }

        var lifetime = validity ?? PkiDefaults.IntermediateValidity;
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(validity), "an intermediate's validity must be positive");
        }

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var template = CertificateTemplates.Intermediate(request.Subject, request.PublicKey, root, CertificateTemplates.HashFor(rootKey));
        return CertificateTemplates.Sign(template, root.SubjectName, new DateTimeOffset(root.NotAfter.ToUniversalTime()), rootKey, now, lifetime);
    }

    /// <summary>
    /// Checks that a verified request is acceptable as a gateway intermediate (ECDSA P-256 or
    /// P-384 key, a CN in the subject), so the ceremony can refuse it before asking for the
    /// root key's passphrase.
    /// </summary>
    /// <exception cref="SigningRequestRejectedException">The key or subject is not acceptable.</exception>
    public static void CheckIntermediateRequest(VerifiedSigningRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Key.Algorithm is not (SigningRequestKeyAlgorithm.EcdsaP256 or SigningRequestKeyAlgorithm.EcdsaP384))
        {
            throw new SigningRequestRejectedException(
                SigningRequestRejection.UnsupportedKey, $"a gateway intermediate's key is ECDSA P-256 or P-384, not {request.Key}");
        }

        if (string.IsNullOrWhiteSpace(request.CommonName))
        {
            throw new SigningRequestRejectedException(
                SigningRequestRejection.InvalidSubject, "a gateway intermediate's subject needs a CN that names the gateway");
        }
    }
}
