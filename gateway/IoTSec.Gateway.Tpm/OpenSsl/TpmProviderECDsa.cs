using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;

namespace IoTSec.Gateway.Tpm.OpenSsl;

/// <summary>
/// A persistent TPM key as an <see cref="ECDsa"/>: signing goes to the TPM through the OpenSSL
/// tpm2 provider, one call at a time process-wide (<see cref="TpmOpenSslProvider.Gate"/>);
/// verification and public-key export use the public key read from the TPM, because
/// verifying through the provider key fails ("operation not supported for this keytype");
/// the private key cannot be exported (it never leaves the TPM). SHA-256 only: the key's
/// scheme is fixed to ECDSA-SHA256.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TpmProviderECDsa : ECDsa
{
    private const int Sha256Length = 32;

    private readonly string _description;
    private readonly SafeEvpPKeyHandle _handle;
    private readonly ECDsaOpenSsl _key;
    private readonly ECDsa _publicKey;
    private bool _disposed;

    /// <summary>Takes ownership of <paramref name="handle"/> and <paramref name="publicKey"/>.</summary>
    public TpmProviderECDsa(SafeEvpPKeyHandle handle, ECDsa publicKey, string description)
    {
        _handle = handle;
        _publicKey = publicKey;
        _description = description;
        lock (TpmOpenSslProvider.Gate)
        {
            _key = new ECDsaOpenSsl(handle);
        }

        KeySizeValue = 256;
        LegalKeySizesValue = [new KeySizes(256, 256, 0)];
    }

    public override byte[] SignHash(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        CheckUsable(hash.Length);
        lock (TpmOpenSslProvider.Gate)
        {
            return _key.SignHash(hash);
        }
    }

    protected override byte[] SignHashCore(ReadOnlySpan<byte> hash, DSASignatureFormat signatureFormat)
    {
        CheckUsable(hash.Length);
        lock (TpmOpenSslProvider.Gate)
        {
            return _key.SignHash(hash.ToArray(), signatureFormat);
        }
    }

    protected override bool TrySignHashCore(ReadOnlySpan<byte> hash, Span<byte> destination, DSASignatureFormat signatureFormat, out int bytesWritten)
    {
        CheckUsable(hash.Length);
        lock (TpmOpenSslProvider.Gate)
        {
            return _key.TrySignHash(hash, destination, signatureFormat, out bytesWritten);
        }
    }

    public override bool VerifyHash(byte[] hash, byte[] signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _publicKey.VerifyHash(hash, signature);
    }

    protected override bool VerifyHashCore(ReadOnlySpan<byte> hash, ReadOnlySpan<byte> signature, DSASignatureFormat signatureFormat)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _publicKey.VerifyHash(hash, signature, signatureFormat);
    }

    protected override byte[] HashData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm)
    {
        RequireSha256(hashAlgorithm);
        return SHA256.HashData(data.AsSpan(offset, count));
    }

    protected override byte[] HashData(Stream data, HashAlgorithmName hashAlgorithm)
    {
        RequireSha256(hashAlgorithm);
        return SHA256.HashData(data);
    }

    protected override bool TryHashData(ReadOnlySpan<byte> data, Span<byte> destination, HashAlgorithmName hashAlgorithm, out int bytesWritten)
    {
        RequireSha256(hashAlgorithm);
        return SHA256.TryHashData(data, destination, out bytesWritten);
    }

    public override ECParameters ExportParameters(bool includePrivateParameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RefusePrivateExport(includePrivateParameters);
        return _publicKey.ExportParameters(false);
    }

    public override ECParameters ExportExplicitParameters(bool includePrivateParameters)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RefusePrivateExport(includePrivateParameters);
        return _publicKey.ExportExplicitParameters(false);
    }

    public override byte[] ExportSubjectPublicKeyInfo()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _publicKey.ExportSubjectPublicKeyInfo();
    }

    public override bool TryExportSubjectPublicKeyInfo(Span<byte> destination, out int bytesWritten)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _publicKey.TryExportSubjectPublicKeyInfo(destination, out bytesWritten);
    }

    public override void ImportParameters(ECParameters parameters) =>
        throw new NotSupportedException($"{_description} lives in the TPM; another key cannot be imported into it");

    public override void GenerateKey(ECCurve curve) =>
        throw new NotSupportedException($"{_description} lives in the TPM; create TPM keys with `iotsec-gateway keys init`");

    public override string ToString() => _description;

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            lock (TpmOpenSslProvider.Gate)
            {
                _key.Dispose();
                _handle.Dispose();
            }

            _publicKey.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CheckUsable(int hashLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (hashLength != Sha256Length)
        {
            throw new CryptographicException($"{_description} signs SHA-256 digests only (32 bytes), not {hashLength} bytes");
        }
    }

    private void RefusePrivateExport(bool includePrivateParameters)
    {
        if (includePrivateParameters)
        {
            throw new CryptographicException($"the private key of {_description} cannot leave the TPM");
        }
    }

    private void RequireSha256(HashAlgorithmName hashAlgorithm)
    {
        if (hashAlgorithm != HashAlgorithmName.SHA256)
        {
            throw new CryptographicException($"{_description} signs with SHA-256 only, not {hashAlgorithm.Name}");
        }
    }
}
