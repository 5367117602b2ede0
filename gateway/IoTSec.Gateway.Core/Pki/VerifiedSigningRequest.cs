using System;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IoTSec.Gateway.Core.Pki;

/// <summary>
/// A PKCS#10 request whose self-signature verified: its subject and public key, and nothing
/// else. Requested extensions are deliberately dropped — the issuer decides every extension.
/// </summary>
public sealed class VerifiedSigningRequest
{
    internal VerifiedSigningRequest(X500DistinguishedName subject, PublicKey publicKey, SigningRequestKey key)
    {
        Subject = subject;
        PublicKey = publicKey;
        Key = key;
        SubjectPublicKeyInfo = publicKey.ExportSubjectPublicKeyInfo();
        KeyFingerprint = Convert.ToHexString(SHA256.HashData(SubjectPublicKeyInfo));
    }

    /// <summary>The requested subject.</summary>
    public X500DistinguishedName Subject { get; }

    /// <summary>The public key to certify.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>Algorithm and size of the key.</summary>
    public SigningRequestKey Key { get; }

    /// <summary>The key as SubjectPublicKeyInfo DER.</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo, upper-case hex: what an operator compares at the ceremony.</summary>
    public string KeyFingerprint { get; }

    /// <summary>The CN of the subject, or null when it has none.</summary>
    public string? CommonName
    {
        get
        {
            foreach (var rdn in Subject.EnumerateRelativeDistinguishedNames())
            {
                if (rdn.GetSingleElementType().Value == "2.5.4.3")
                {
                    return rdn.GetSingleElementValue();
                }
            }

            return null;
        }
    }
}
