using System;
using System.Security.Cryptography;

namespace IoTSec.Gateway.Core.Keys;

/// <summary>
/// Where the gateway's long-lived keys live. The TPM backend (IoTSec.Gateway.Tpm) keeps them
/// as persistent TPM objects reached through the OpenSSL tpm2 provider; the software backend
/// keeps them in files and is allowed only when the configuration says so (development and
/// the embedded defaults), with a loud warning.
/// </summary>
public interface IGatewayKeyStore : IDisposable
{
    /// <summary>Short name for logs and status: "tpm" or "software".</summary>
    string Backend { get; }

    /// <summary>True when private keys cannot be exported (a TPM).</summary>
    bool IsHardwareBacked { get; }

    /// <summary>True when the key of <paramref name="role"/> exists.</summary>
    bool Exists(GatewayKeyRole role);

    /// <summary>Creates the key of <paramref name="role"/>; refuses when it already exists.</summary>
    /// <exception cref="GatewayKeyStoreException">The key exists, or the backend failed.</exception>
    void Create(GatewayKeyRole role);

    /// <summary>
    /// Opens the key of <paramref name="role"/> for signing (SHA-256 only). The returned object
    /// is safe to use from several threads; dispose it when done.
    /// </summary>
    /// <exception cref="GatewayKeyStoreException">The key does not exist, or the backend failed.</exception>
    ECDsa Open(GatewayKeyRole role);

    /// <summary>The public half of the key, as SubjectPublicKeyInfo DER.</summary>
    byte[] ExportSubjectPublicKeyInfo(GatewayKeyRole role);

    /// <summary>Seals secrets (the heartbeat master secret) to this gateway.</summary>
    ISecretSealer Sealer { get; }
}
