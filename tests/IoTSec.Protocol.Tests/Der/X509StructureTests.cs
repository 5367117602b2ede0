using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Der.DerBytes;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>
/// The RFC 5280 §4.1 rules the parser enforces beyond plain DER, on hand-assembled
/// certificates: versions, unique identifiers, extensions, algorithm agreement.
/// </summary>
[TestClass]
public sealed class X509StructureTests
{
    [TestMethod]
    public void HandAssembledV3_AgreesWithDotNet()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var info = DotNetAgreement.AssertAgrees(new RawCertificate(key).Build());

        Assert.AreEqual(3, info.Version);
        Assert.AreEqual("raw-device", info.SubjectCommonName);
        Assert.AreEqual("Raw CA", info.IssuerCommonName);
    }

    [TestMethod]
    public void V1WithoutVersionField_AgreesWithDotNet()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key) { Version = [], Tail = [] };

        var info = DotNetAgreement.AssertAgrees(raw.Build());

        Assert.AreEqual(1, info.Version);
        Assert.IsEmpty(info.Extensions);
    }

    [TestMethod]
    public void V2WithUniqueIdentifiers_AgreesWithDotNet()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key) { Version = Explicit(0, Integer(0x01)), Tail = Concat(Tlv(0x81, [0x00, 0xAA]), Tlv(0x82, [0x04, 0xB0])) };

        var info = DotNetAgreement.AssertAgrees(raw.Build());

        Assert.AreEqual(2, info.Version);
    }

    [TestMethod]
    public void V3WithUniqueIdentifiersAndExtensions_IsRead()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key)
        {
            Tail = Concat(Tlv(0x81, [0x00, 0xAA]), Tlv(0x82, [0x00, 0xBB]), Explicit(3, Sequence(RawCertificate.Extension("2.5.29.19", true, Sequence())))),
        };

        var info = DotNetAgreement.AssertAgrees(raw.Build());

        Assert.IsTrue(info.GetExtension("2.5.29.19").Critical);
    }

    [TestMethod]
    public void ExplicitlyEncodedFalseCriticalFlag_IsAcceptedAsFalse()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key) { Tail = Explicit(3, Sequence(RawCertificate.Extension("2.5.29.19", false, Sequence()))) };

        var info = X509CertificateInfo.Parse(raw.Build());

        Assert.IsFalse(info.GetExtension("2.5.29.19").Critical);
    }

    [TestMethod]
    public void NoWellDefinedExpiration_IsRecognised()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key) { NotAfter = Ascii(0x18, "99991231235959Z") };

        var info = DotNetAgreement.AssertAgrees(raw.Build());

        Assert.IsTrue(info.HasNoWellDefinedExpiration);
        Assert.AreEqual(new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc), info.NotAfter);
    }

    [TestMethod]
    public void GeneralizedTimeBefore2050_IsAccepted_AsDotNetAndMbedTlsDo()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key) { NotBefore = Ascii(0x18, "20250301120000Z") };

        var info = DotNetAgreement.AssertAgrees(raw.Build());

        Assert.AreEqual(new DateTime(2025, 3, 1, 12, 0, 0, DateTimeKind.Utc), info.NotBefore);
    }

    [TestMethod]
    [DataRow("00")]
    [DataRow("FF")]
    [DataRow("8000")]
    public void ZeroOrNegativeSerial_IsKeptAsEncoded(string serial)
    {
        // RFC 5280 §4.1.2.2: relying parties should handle such serials gracefully.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key) { SerialNumber = Integer(Hex(serial)) };

        var info = X509CertificateInfo.Parse(raw.Build());

        CollectionAssert.AreEqual(Hex(serial), info.SerialNumber);
        Assert.AreEqual(serial, info.SerialNumberHex);
    }

    [TestMethod]
    [DynamicData(nameof(RefusedShapes))]
    public void RefusedShapes_ThrowTheirReason(string name, Action<RawCertificate> change, DerError reason)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key);
        change(raw);

        var e = Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(raw.Build()), name);

        Assert.AreEqual(reason, e.Reason, name + ": " + e.Message);
    }

    public static System.Collections.Generic.IEnumerable<object[]> RefusedShapes()
    {
        byte[] basicConstraints = RawCertificate.Extension("2.5.29.19", true, Sequence());
        byte[] keyUsage = RawCertificate.Extension("2.5.29.15", true, Hex("03020780"));
        yield return Row("version 4", r => r.Version = Explicit(0, Integer(0x03)), DerError.InvalidVersion);
        yield return Row("version -1", r => r.Version = Explicit(0, Integer(0xFF)), DerError.InvalidVersion);
        yield return Row("version with trailing data", r => r.Version = Explicit(0, Integer(0x02), Tlv(0x05)), DerError.TrailingData);
        yield return Row("huge version", r => r.Version = Explicit(0, Integer(0x01, 0x00, 0x00, 0x00, 0x02)), DerError.IntegerOutOfRange);
        yield return Row("extensions in v1", r => r.Version = [], DerError.InvalidVersion);
        yield return Row("extensions in v2", r => r.Version = Explicit(0, Integer(0x01)), DerError.InvalidVersion);
        yield return Row("unique id in v1", r => { r.Version = []; r.Tail = Tlv(0x81, [0x00]); }, DerError.InvalidVersion);
        yield return Row("unique ids out of order", r => r.Tail = Concat(Tlv(0x82, [0x00]), Tlv(0x81, [0x00])), DerError.TrailingData);
        yield return Row("constructed unique id", r => r.Tail = Tlv(0xA1, Tlv(0x03, [0x00])), DerError.TrailingData);
        yield return Row("empty extensions", r => r.Tail = Explicit(3, Sequence()), DerError.InvalidStructure);
        yield return Row("two extension lists", r => r.Tail = Explicit(3, Sequence(basicConstraints), Sequence(keyUsage)), DerError.TrailingData);
        yield return Row("duplicate extension", r => r.Tail = Explicit(3, Sequence(basicConstraints, keyUsage, basicConstraints)), DerError.DuplicateExtension);
        yield return Row("critical flag 0x01", r => r.Tail = Explicit(3, Sequence(Sequence(Oid("2.5.29.19"), Tlv(0x01, [0x01]), Tlv(0x04, Sequence())))), DerError.InvalidBoolean);
        yield return Row("extension without value", r => r.Tail = Explicit(3, Sequence(Sequence(Oid("2.5.29.19"), Tlv(0x01, [0xFF])))), DerError.Truncated);
        yield return Row("extension value not an OCTET STRING", r => r.Tail = Explicit(3, Sequence(Sequence(Oid("2.5.29.19"), Sequence()))), DerError.UnexpectedTag);
        yield return Row("extension with trailing data", r => r.Tail = Explicit(3, Sequence(Sequence(Oid("2.5.29.19"), Tlv(0x04), Tlv(0x05)))), DerError.TrailingData);
        yield return Row("65 extensions", r => r.Tail = Explicit(3, Sequence(ManyExtensions(65))), DerError.InvalidStructure);
        yield return Row("outer algorithm differs", r => r.OuterSignatureAlgorithm = Sequence(Oid("1.2.840.10045.4.3.3")), DerError.SignatureAlgorithmMismatch);
        yield return Row("outer algorithm adds NULL parameters", r => r.OuterSignatureAlgorithm = Sequence(Oid("1.2.840.10045.4.3.2"), Tlv(0x05)), DerError.SignatureAlgorithmMismatch);
        yield return Row("algorithm with two parameters", r => r.TbsSignatureAlgorithm = Sequence(Oid("1.2.840.10045.4.3.2"), Tlv(0x05), Tlv(0x05)), DerError.TrailingData);
        yield return Row("algorithm OID with leading 0x80", r => r.TbsSignatureAlgorithm = Sequence(Tlv(0x06, Hex("2A8086488648CE3D040302"))), DerError.InvalidOid);
        yield return Row("non-minimal serial", r => r.SerialNumber = Integer(0x00, 0x01), DerError.NonMinimalInteger);
        yield return Row("empty serial", r => r.SerialNumber = Integer(), DerError.InvalidInteger);
        yield return Row("serial with a long-form length", r => r.SerialNumber = TlvRawLength(0x02, [0x81, 0x01], [0x05]), DerError.NonMinimalLength);
        yield return Row("empty RDN", r => r.Subject = Sequence(Set()), DerError.InvalidStructure);
        yield return Row("RDN attribute without value", r => r.Subject = Sequence(Set(Sequence(Oid("2.5.4.3")))), DerError.Truncated);
        yield return Row("CN that is not a string", r => r.Subject = Sequence(Set(Sequence(Oid("2.5.4.3"), Tlv(0x04, [0x41])))), DerError.UnexpectedTag);
        yield return Row("CN with bad UTF-8", r => r.Subject = Sequence(Set(Sequence(Oid("2.5.4.3"), Tlv(0x0C, [0xC0, 0xAF])))), DerError.InvalidString);
        yield return Row("issuer not a SEQUENCE", r => r.Issuer = Set(), DerError.UnexpectedTag);
        yield return Row("UTCTime without seconds", r => r.NotBefore = Ascii(0x17, "2503011200Z"), DerError.InvalidTime);
        yield return Row("validity as a UTCTime with an offset", r => r.NotAfter = Ascii(0x17, "350301120000+0100"), DerError.InvalidTime);
        yield return Row("validity of an OCTET STRING", r => r.NotAfter = Tlv(0x04, [0x00]), DerError.UnexpectedTag);
        yield return Row("public key with unused bits", r => r.SubjectPublicKeyInfo = Sequence(Sequence(Oid("1.2.840.10045.2.1")), Tlv(0x03, [0x01, 0x04, 0x02])), DerError.InvalidBitString);
        yield return Row("public key not a BIT STRING", r => r.SubjectPublicKeyInfo = Sequence(Sequence(Oid("1.2.840.10045.2.1")), Tlv(0x04, [0x04])), DerError.UnexpectedTag);
    }

    [TestMethod]
    public void SixtyFourExtensions_AreTheMostAccepted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key) { Tail = Explicit(3, Sequence(ManyExtensions(X509CertificateInfo.MaxExtensions))) };

        Assert.HasCount(X509CertificateInfo.MaxExtensions, X509CertificateInfo.Parse(raw.Build()).Extensions);
    }

    [TestMethod]
    public void SignatureWithUnusedBits_IsRefused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key);
        var tbs = raw.Tbs();

        var der = Sequence(tbs, RawCertificate.EcdsaWithSha256, Tlv(0x03, [0x01, 0x30, 0x00]));

        Assert.AreEqual(DerError.InvalidBitString, Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(der)).Reason);
    }

    private static byte[] ManyExtensions(int count)
    {
        var all = Array.Empty<byte>();
        for (int i = 0; i < count; i++)
        {
            all = Concat(all, RawCertificate.Extension("1.3.6.1.4.1.99999." + i, null, [0x05, 0x00]));
        }

        return all;
    }

    private static object[] Row(string name, Action<RawCertificate> change, DerError reason) => [name, change, reason];
}
