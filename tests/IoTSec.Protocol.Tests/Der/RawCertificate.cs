using System;
using System.Security.Cryptography;
using static IoTSec.Protocol.Tests.Der.DerBytes;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>
/// A certificate assembled field by field from encoded bytes, for shapes CertificateRequest
/// will not make (v1, unique identifiers, mismatched algorithms, bad times, ...). Each field
/// holds its whole encoding, so a test can replace one with anything. Signed for real with
/// a P-256 key, so .NET accepts the well-formed ones.
/// </summary>
public sealed class RawCertificate
{
    public static readonly byte[] EcdsaWithSha256 = Sequence(Oid("1.2.840.10045.4.3.2"));

    private readonly ECDsa _key;

    public RawCertificate(ECDsa key)
    {
        _key = key;
        SubjectPublicKeyInfo = key.ExportSubjectPublicKeyInfo();
    }

    /// <summary>The encoded [0] version element, or empty for an absent version (v1).</summary>
    public byte[] Version { get; set; } = Explicit(0, Integer(0x02));

    public byte[] SerialNumber { get; set; } = Integer(0x01, 0x23);

    public byte[] TbsSignatureAlgorithm { get; set; } = EcdsaWithSha256;

    public byte[] Issuer { get; set; } = Sequence(Set(Sequence(Oid("2.5.4.3"), Ascii(0x13, "Raw CA"))));

    public byte[] NotBefore { get; set; } = Ascii(0x17, "250301120000Z");

    public byte[] NotAfter { get; set; } = Ascii(0x17, "350301120000Z");

    public byte[] Subject { get; set; } = Sequence(Set(Sequence(Oid("2.5.4.3"), Ascii(0x0C, "raw-device"))));

    public byte[] SubjectPublicKeyInfo { get; set; }

    /// <summary>Everything after the SubjectPublicKeyInfo: unique identifiers and the [3] extensions, encoded.</summary>
    public byte[] Tail { get; set; } = Explicit(3, Sequence(Extension("2.5.29.19", true, Sequence())));

    public byte[] OuterSignatureAlgorithm { get; set; } = EcdsaWithSha256;

    public static byte[] Extension(string oid, bool? critical, byte[] value)
    {
        return critical is null
            ? Sequence(Oid(oid), Tlv(0x04, value))
            : Sequence(Oid(oid), Tlv(0x01, [critical.Value ? (byte)0xFF : (byte)0x00]), Tlv(0x04, value));
    }

    public byte[] Tbs()
    {
        return Sequence(Version, SerialNumber, TbsSignatureAlgorithm, Issuer, Sequence(NotBefore, NotAfter), Subject, SubjectPublicKeyInfo, Tail);
    }

    public byte[] Build()
    {
        var tbs = Tbs();
        var signature = _key.SignData(tbs, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return Sequence(tbs, OuterSignatureAlgorithm, Tlv(0x03, [0x00], signature));
    }
}
