using System;
using IoTSec.Gateway.Tpm.Wire;

namespace IoTSec.Gateway.Tpm;

/// <summary>
/// The TPM2B_PUBLIC templates of the objects this adapter creates, in wire format
/// (TPM 2.0 Part 2, TPMT_PUBLIC with TPMS_ECC_PARMS or TPMS_KEYEDHASH_PARMS).
/// </summary>
internal static class TpmTemplates
{
    /// <summary>
    /// The gateway's signing keys: non-restricted ECC P-256 keys with the scheme fixed to
    /// ECDSA-SHA256. A restricted key (a storage primary) cannot sign arbitrary digests, which
    /// is what the OpenSSL provider asks of it (ARCHITECTURE: "tpm2::cannot sign").
    /// </summary>
    public const TpmObjectAttributes SigningKeyAttributes =
        TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent |
        TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.UserWithAuth |
        TpmObjectAttributes.Sign;

    /// <summary>
    /// The storage primary under which keys and sealed objects are created: the ECC P-256
    /// storage key of the TCG provisioning guidance (AES-128-CFB, unique zeroed), derived
    /// deterministically from the owner seed, so it is re-created on demand instead of being
    /// persisted, and it changes when the TPM is cleared.
    /// </summary>
    public const TpmObjectAttributes StoragePrimaryAttributes =
        TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent |
        TpmObjectAttributes.SensitiveDataOrigin | TpmObjectAttributes.UserWithAuth |
        TpmObjectAttributes.NoDa | TpmObjectAttributes.Restricted | TpmObjectAttributes.Decrypt;

    /// <summary>
    /// Sealed data objects: readable only through their policy (no userWithAuth), bound to
    /// this TPM and this parent.
    /// </summary>
    public const TpmObjectAttributes SealedObjectAttributes =
        TpmObjectAttributes.FixedTpm | TpmObjectAttributes.FixedParent;

    public static byte[] SigningKey()
    {
        var area = new TpmWireWriter()
            .UInt16(TpmAlgorithm.Ecc)
            .UInt16(TpmAlgorithm.Sha256)
            .UInt32((uint)SigningKeyAttributes)
            .Sized(ReadOnlySpan<byte>.Empty)       // authPolicy
            .UInt16(TpmAlgorithm.Null)             // symmetric: none (not a storage key)
            .UInt16(TpmAlgorithm.Ecdsa)            // scheme
            .UInt16(TpmAlgorithm.Sha256)           //   its hash
            .UInt16(TpmAlgorithm.NistP256)         // curveID
            .UInt16(TpmAlgorithm.Null)             // kdf
            .Sized(ReadOnlySpan<byte>.Empty)       // unique.x
            .Sized(ReadOnlySpan<byte>.Empty);      // unique.y
        return new TpmWireWriter().Sized(area).ToArray();
    }

    public static byte[] StoragePrimary()
    {
        Span<byte> zeros = stackalloc byte[32];
        zeros.Clear();
        var area = new TpmWireWriter()
            .UInt16(TpmAlgorithm.Ecc)
            .UInt16(TpmAlgorithm.Sha256)
            .UInt32((uint)StoragePrimaryAttributes)
            .Sized(ReadOnlySpan<byte>.Empty)
            .UInt16(TpmAlgorithm.Aes)
            .UInt16(128)
            .UInt16(TpmAlgorithm.Cfb)
            .UInt16(TpmAlgorithm.Null)
            .UInt16(TpmAlgorithm.NistP256)
            .UInt16(TpmAlgorithm.Null)
            .Sized(zeros)
            .Sized(zeros);
        return new TpmWireWriter().Sized(area).ToArray();
    }

    /// <summary>A keyedhash data object that releases its data only when <paramref name="authPolicy"/> is met.</summary>
    public static byte[] SealedObject(ReadOnlySpan<byte> authPolicy)
    {
        var area = new TpmWireWriter()
            .UInt16(TpmAlgorithm.KeyedHash)
            .UInt16(TpmAlgorithm.Sha256)
            .UInt32((uint)SealedObjectAttributes)
            .Sized(authPolicy)
            .UInt16(TpmAlgorithm.Null)             // keyedhash scheme: none (a data object)
            .Sized(ReadOnlySpan<byte>.Empty);      // unique
        return new TpmWireWriter().Sized(area).ToArray();
    }

    /// <summary>TPM2B_SENSITIVE_CREATE with an empty auth value and optional data to seal.</summary>
    public static TpmWireWriter SensitiveCreate(ReadOnlySpan<byte> data)
    {
        var inner = new TpmWireWriter()
            .Sized(ReadOnlySpan<byte>.Empty)       // userAuth
            .Sized(data);                          // data
        var outer = new TpmWireWriter().Sized(inner);
        inner.Clear();
        return outer;
    }
}
