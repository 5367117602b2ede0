using System;
using System.Security.Cryptography;
using IoTSec.Gateway.Tpm.Wire;

namespace IoTSec.Gateway.Tpm;

/// <summary>
/// The parts of a TPMT_PUBLIC this adapter needs, parsed from a TPM2B_PUBLIC in wire format.
/// Only ECC and keyedhash objects are understood; anything else at one of our handles is an
/// object we did not make.
/// </summary>
internal sealed class TpmPublicArea
{
    private TpmPublicArea(ushort type, ushort nameAlgorithm, TpmObjectAttributes attributes)
    {
        Type = type;
        NameAlgorithm = nameAlgorithm;
        Attributes = attributes;
    }

    public ushort Type { get; }

    public ushort NameAlgorithm { get; }

    public TpmObjectAttributes Attributes { get; }

    public byte[] AuthPolicy { get; private set; } = [];

    public ushort Curve { get; private set; }

    public ushort Scheme { get; private set; }

    public ushort SchemeHash { get; private set; }

    public byte[] X { get; private set; } = [];

    public byte[] Y { get; private set; } = [];

    /// <summary>Parses a TPM2B_PUBLIC (size, then TPMT_PUBLIC).</summary>
    /// <exception cref="FormatException">Truncated, trailing bytes, or an object type we do not handle.</exception>
    public static TpmPublicArea Parse(ReadOnlySpan<byte> tpm2bPublic)
    {
        var outer = new TpmWireReader(tpm2bPublic);
        var reader = new TpmWireReader(outer.Sized());
        outer.ExpectEnd();
        var area = new TpmPublicArea(reader.UInt16(), reader.UInt16(), (TpmObjectAttributes)reader.UInt32());
        area.AuthPolicy = reader.Sized().ToArray();
        switch (area.Type)
        {
            case TpmAlgorithm.Ecc:
                SkipSymmetric(ref reader);
                area.Scheme = reader.UInt16();
                if (area.Scheme != TpmAlgorithm.Null)
                {
                    area.SchemeHash = reader.UInt16();
                }

                area.Curve = reader.UInt16();
                if (reader.UInt16() != TpmAlgorithm.Null)
                {
                    reader.UInt16(); // kdf hash
                }

                area.X = reader.Sized().ToArray();
                area.Y = reader.Sized().ToArray();
                break;
            case TpmAlgorithm.KeyedHash:
                area.Scheme = reader.UInt16();
                if (area.Scheme != TpmAlgorithm.Null)
                {
                    throw new FormatException("keyedhash objects with a scheme (HMAC or XOR keys) are not handled");
                }

                reader.Sized(); // unique
                break;
            default:
                throw new FormatException($"TPM object of type {TpmAlgorithm.Name(area.Type)} is not handled");
        }

        reader.ExpectEnd();
        return area;
    }

    /// <summary>True for a key as <see cref="TpmTemplates.SigningKey"/> makes it (attributes may carry more bits).</summary>
    public bool IsP256SigningKey =>
        Type == TpmAlgorithm.Ecc && Curve == TpmAlgorithm.NistP256 &&
        (Attributes & TpmObjectAttributes.Sign) != 0 && (Attributes & TpmObjectAttributes.Restricted) == 0;

    /// <summary>A short description: "ecc nist-p256 ecdsa-sha256" or "keyedhash".</summary>
    public string Describe() => Type == TpmAlgorithm.Ecc
        ? $"ecc {(Curve == TpmAlgorithm.NistP256 ? "nist-p256" : $"curve 0x{Curve:x4}")} " +
          (Scheme == TpmAlgorithm.Null ? "no fixed scheme" : $"{TpmAlgorithm.Name(Scheme)}-{TpmAlgorithm.Name(SchemeHash)}")
        : TpmAlgorithm.Name(Type);

    /// <summary>The public key as SubjectPublicKeyInfo DER (ECC P-256 only).</summary>
    public byte[] ToSubjectPublicKeyInfo()
    {
        using var key = ToPublicKey();
        return key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>A software ECDsa holding only the public key (for verification).</summary>
    public ECDsa ToPublicKey()
    {
        if (Type != TpmAlgorithm.Ecc || Curve != TpmAlgorithm.NistP256)
        {
            throw new FormatException($"not an ECC P-256 key ({Describe()})");
        }

        return ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = X, Y = Y },
        });
    }

    private static void SkipSymmetric(ref TpmWireReader reader)
    {
        if (reader.UInt16() != TpmAlgorithm.Null)
        {
            reader.UInt16(); // keyBits
            reader.UInt16(); // mode
        }
    }
}
