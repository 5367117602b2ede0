using System;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Keys;

namespace IoTSec.Gateway.Tpm;

/// <summary>What the TPM says about one of the gateway's persistent keys (for `keys show` and checks).</summary>
public sealed class TpmKeyInfo
{
    internal TpmKeyInfo(GatewayKeyRole role, uint handle, TpmPublicArea publicArea)
    {
        Role = role;
        Handle = handle;
        Attributes = publicArea.Attributes;
        Algorithm = publicArea.Describe();
        IsP256SigningKey = publicArea.IsP256SigningKey;
        SubjectPublicKeyInfo = IsP256SigningKey ? publicArea.ToSubjectPublicKeyInfo() : [];
    }

    /// <summary>The key's role.</summary>
    public GatewayKeyRole Role { get; }

    /// <summary>The persistent handle it lives at.</summary>
    public uint Handle { get; }

    /// <summary>TPMA_OBJECT of the key.</summary>
    public TpmObjectAttributes Attributes { get; }

    /// <summary>"ecc nist-p256 ecdsa-sha256" for the keys this store makes.</summary>
    public string Algorithm { get; }

    /// <summary>False when the handle holds some other object (not usable as a gateway key).</summary>
    public bool IsP256SigningKey { get; }

    /// <summary>SubjectPublicKeyInfo DER (empty when <see cref="IsP256SigningKey"/> is false).</summary>
    public byte[] SubjectPublicKeyInfo { get; }

    /// <summary>SHA-256 of the SubjectPublicKeyInfo in lower-case hex, colon-separated.</summary>
    public string Fingerprint => string.Join(':', Chunk(Convert.ToHexStringLower(SHA256.HashData(SubjectPublicKeyInfo))));

    private static string[] Chunk(string hex)
    {
        var parts = new string[hex.Length / 2];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = hex.Substring(i * 2, 2);
        }

        return parts;
    }
}
