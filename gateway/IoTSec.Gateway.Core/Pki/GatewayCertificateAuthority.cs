using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core.Keys;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// The gateway's issuing authority: the offline root's certificate (the trust anchor, public),
/// the gateway intermediate the root signed, and the intermediate's private key (the DeviceCa
/// key, normally in the TPM). Checked on construction, so a gateway never issues under a
/// mismatched or expired intermediate.
/// </summary>
public sealed class GatewayCertificateAuthority : IDisposable
{
    private GatewayCertificateAuthority(X509Certificate2 root, X509Certificate2 intermediate, ECDsa signingKey)
    {
        Root = root;
        Intermediate = intermediate;
        SigningKey = signingKey;
        IntermediateChain = new X509Certificate2Collection(intermediate);
    }

    /// <summary>The offline root: what devices trust, and the one anchor client certificates must chain to.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>This gateway's intermediate (public certificate).</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>The intermediate alone, as sent in TLS after the end-entity certificate.</summary>
    public X509Certificate2Collection IntermediateChain { get; }

    /// <summary>The intermediate's private key; used only to sign.</summary>
    internal ECDsa SigningKey { get; }

    /// <summary>
    /// Checks and assembles the authority. Takes ownership of <paramref name="signingKey"/>.
    /// </summary>
    /// <exception cref="GatewayPkiException">The root is not a self-signed CA, the intermediate is not a CA the root signed, it has expired, or its key is not <paramref name="signingKey"/>.</exception>
    public static GatewayCertificateAuthority Create(X509Certificate2 root, X509Certificate2 intermediate, ECDsa signingKey, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(intermediate);
        ArgumentNullException.ThrowIfNull(signingKey);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();

        if (!IsCa(root) || root.SubjectName.RawData.AsSpan().SequenceEqual(root.IssuerName.RawData) is false)
        {
            throw new GatewayPkiException($"'{root.Subject}' is not a self-signed CA certificate; it cannot be the root");
        }

        if (!IsCa(intermediate))
        {
            throw new GatewayPkiException($"'{intermediate.Subject}' is not a CA certificate; it cannot be the gateway intermediate");
        }

        if (!CertificatePolicies.Contains(intermediate, CertificatePolicies.GatewayIntermediate))
        {
            throw new GatewayPkiException(
                $"'{intermediate.Subject}' is not a gateway intermediate (it lacks the gateway-intermediate policy); sign the gateway's CSR with 'iotsec ca sign'");
        }

        if (now > intermediate.NotAfter.ToUniversalTime())
        {
            throw new GatewayPkiException(
                $"the gateway intermediate '{intermediate.Subject}' expired on {intermediate.NotAfter.ToUniversalTime():u}; have the offline root sign a new one");
        }

        if (!intermediate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(signingKey.ExportSubjectPublicKeyInfo()))
        {
            throw new GatewayPkiException(
                $"the gateway intermediate '{intermediate.Subject}' certifies another key than this gateway's DeviceCa key; " +
                "it was signed for another gateway or before the key was replaced");
        }

        using (var chain = new X509Chain())
        {
            chain.ChainPolicy = AnchoredPolicy(root, now);
            if (!chain.Build(intermediate) || chain.ChainElements.Count != 2)
            {
                throw new GatewayPkiException(
                    $"the gateway intermediate '{intermediate.Subject}' was not signed by the root '{root.Subject}': {ClientCertificateValidator.Describe(chain)}");
            }
        }

        return new GatewayCertificateAuthority(root, intermediate, signingKey);
    }

    /// <summary>
    /// Loads the root and intermediate PEM files installed after the ceremony and opens the
    /// key store's DeviceCa key.
    /// </summary>
    public static GatewayCertificateAuthority Load(string rootPemPath, string intermediatePemPath, IGatewayKeyStore keyStore, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(keyStore);
        var root = PemCertificateFile.Load(rootPemPath);
        var intermediate = PemCertificateFile.Load(intermediatePemPath);
        var key = keyStore.Open(GatewayKeyRole.DeviceCa);
        try
        {
            return Create(root, intermediate, key, timeProvider);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The chain policy every check in the gateway uses: only <paramref name="root"/> is trusted, nothing is fetched.</summary>
    internal static X509ChainPolicy AnchoredPolicy(X509Certificate2 root, DateTimeOffset now)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
            VerificationTime = now.UtcDateTime,
        };
        policy.CustomTrustStore.Add(root);
        return policy;
    }

    internal static bool IsCa(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509BasicConstraintsExtension constraints)
            {
                return constraints.CertificateAuthority;
            }
        }

        return false;
    }

    /// <summary>Releases the signing key.</summary>
    public void Dispose() => SigningKey.Dispose();
}
