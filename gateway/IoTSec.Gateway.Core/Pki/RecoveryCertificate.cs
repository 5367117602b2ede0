using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The backup recovery certificate: an RSA-3072 key made at the CA ceremony, certified by the
/// offline root for one purpose only (<see cref="PkiOids.BackupRecoveryPurpose"/>,
/// keyEncipherment). Gateways encrypt their backups to it; its private half stays offline
/// with the root key, so a stolen backup file is useless without it.
/// </summary>
/// <remarks>
/// RSA rather than ECDH: CMS key transport to RSA-OAEP is what every tool opens
/// (<c>openssl cms -decrypt</c>), and the key is used a few times in a gateway's life.
/// </remarks>
public static class RecoveryCertificate
{
    /// <summary>Size of the recovery key.</summary>
    public const int KeySize = 3072;

    /// <summary>Default lifetime: as long as the root may live, so old backups stay openable.</summary>
    public static readonly TimeSpan DefaultValidity = PkiDefaults.RootValidity;

    /// <summary>Certifies <paramref name="recoveryKey"/> under <paramref name="root"/> (notAfter capped at the root's).</summary>
    /// <exception cref="GatewayPkiException">The root key does not match the root, the key is not RSA-3072 or larger, or the root has expired.</exception>
    public static X509Certificate2 Issue(X509Certificate2 root, ECDsa rootKey, RSA recoveryKey, string commonName = "IoTSec Backup Recovery", TimeSpan? validity = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(rootKey);
        ArgumentNullException.ThrowIfNull(recoveryKey);
        if (recoveryKey.KeySize < KeySize)
        {
            throw new GatewayPkiException($"a recovery key is RSA-{KeySize} or larger, not RSA-{recoveryKey.KeySize}");
        }

        if (!root.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(rootKey.ExportSubjectPublicKeyInfo()))
        {
            throw new GatewayPkiException($"the root key does not belong to the root certificate '{root.Subject}'");
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var request = new CertificateRequest(subject.Build(), recoveryKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid(PkiOids.BackupRecoveryPurpose) }, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        return CertificateTemplates.Sign(request, root.SubjectName, root.NotAfter.ToUniversalTime(), rootKey, now, validity ?? DefaultValidity);
    }

    /// <summary>
    /// Checks that <paramref name="certificate"/> is a recovery certificate the offline
    /// <paramref name="root"/> signed, valid at <paramref name="now"/>.
    /// </summary>
    /// <exception cref="GatewayPkiException">It is not (the message says why).</exception>
    public static void Validate(X509Certificate2 certificate, X509Certificate2 root, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(root);
        if (!IsRecoveryCertificate(certificate))
        {
            throw new GatewayPkiException(
                $"'{certificate.Subject}' is not a backup recovery certificate (an RSA key with the recovery purpose only; made by 'iotsec ca recovery-key')");
        }

        using var chain = new X509Chain { ChainPolicy = GatewayCertificateAuthority.AnchoredPolicy(root, now) };
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(PkiOids.BackupRecoveryPurpose));
        if (!chain.Build(certificate) || chain.ChainElements.Count != 2)
        {
            throw new GatewayPkiException(
                $"the recovery certificate '{certificate.Subject}' was not signed by the offline root '{root.Subject}': {ClientCertificateValidator.Describe(chain)}");
        }
    }

    /// <summary>True for an RSA end-entity certificate whose only extended key usage is the recovery purpose.</summary>
    public static bool IsRecoveryCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.PublicKey.Oid.Value != PkiOids.RsaEncryption || GatewayCertificateAuthority.IsCa(certificate))
        {
            return false;
        }

        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509EnhancedKeyUsageExtension usage)
            {
                return usage.EnhancedKeyUsages.Count == 1 && usage.EnhancedKeyUsages[0].Value == PkiOids.BackupRecoveryPurpose;
            }
        }

        return false;
    }
}
