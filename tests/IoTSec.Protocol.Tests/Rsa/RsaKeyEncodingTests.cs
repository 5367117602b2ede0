using System;
using System.Formats.Asn1;
using System.Formats.Cbor;
using System.Security.Cryptography;
using IoTSec.Protocol.Rsa;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Rsa;

/// <summary>
/// The two key encodings: COSE_Key (RFC 8230 §4) checked against System.Formats.Cbor, and
/// SubjectPublicKeyInfo read from .NET's export; every refusal reason of the key checks.
/// </summary>
[TestClass]
public sealed class RsaKeyEncodingTests
{
    private static readonly Lazy<RSA> Key2048 = new(() => TestKeys.Load(TestKeys.OtaKey2048Pem));

    [TestMethod]
    public void CoseKey_RoundTrips_AndMatchesAnIndependentDecode()
    {
        var rsa = Key2048.Value;
        var parameters = rsa.ExportParameters(false);
        var key = TestKeys.PublicKeyOf(rsa);
        var encoded = RsaCoseKey.Encode(key, TestKeys.OtaKeyId);

        var reader = new System.Formats.Cbor.CborReader(encoded, CborConformanceMode.Canonical);
        Assert.AreEqual(5, reader.ReadStartMap());
        Assert.AreEqual(1, reader.ReadInt32());
        Assert.AreEqual(3, reader.ReadInt32());
        Assert.AreEqual(2, reader.ReadInt32());
        CollectionAssert.AreEqual(TestKeys.OtaKeyId, reader.ReadByteString());
        Assert.AreEqual(3, reader.ReadInt32());
        Assert.AreEqual(-37, reader.ReadInt32());
        Assert.AreEqual(-1, reader.ReadInt32());
        CollectionAssert.AreEqual(parameters.Modulus, reader.ReadByteString());
        Assert.AreEqual(-2, reader.ReadInt32());
        CollectionAssert.AreEqual(new byte[] { 1, 0, 1 }, reader.ReadByteString());
        reader.ReadEndMap();

        var decoded = RsaCoseKey.Decode(encoded, 0, encoded.Length, out var keyId);
        Assert.IsTrue(decoded.HasSameValue(key));
        CollectionAssert.AreEqual(TestKeys.OtaKeyId, keyId);
        Assert.AreEqual(2048, decoded.ModulusBits);
        Assert.AreEqual(256, decoded.ModulusLength);
    }

    [TestMethod]
    public void CoseKey_WithoutKidOrAlg_IsAccepted()
    {
        var n = Key2048.Value.ExportParameters(false).Modulus!;
        var encoded = CoseKey(w =>
        {
            w.WriteStartMap(3);
            w.WriteInt32(1);
            w.WriteInt32(3);
            w.WriteInt32(-1);
            w.WriteByteString(n);
            w.WriteInt32(-2);
            w.WriteByteString([1, 0, 1]);
            w.WriteEndMap();
        });
        var key = RsaCoseKey.Decode(encoded, 0, encoded.Length, out var keyId);
        Assert.AreEqual(2048, key.ModulusBits);
        Assert.IsEmpty(keyId);

        // Re-encoded, it gains alg PS256 (a map of 4) and still decodes to the same key.
        var reencoded = RsaCoseKey.Encode(key, []);
        Assert.AreEqual(0xA4, reencoded[0]);
        Assert.IsTrue(RsaCoseKey.Decode(reencoded).HasSameValue(key));
    }

    [TestMethod]
    public void CoseKey_Refusals_HaveTheirReasons()
    {
        var n = Key2048.Value.ExportParameters(false).Modulus!;
        byte[] withLeadingZero = [0, .. n];

        Expect(RsaKeyRejection.UnsupportedKeyType, Map((1, 2), (-1, n), (-2, new byte[] { 1, 0, 1 })));
        Expect(RsaKeyRejection.UnsupportedAlgorithm, Map((1, 3), (3, -7), (-1, n), (-2, new byte[] { 1, 0, 1 })));
        Expect(RsaKeyRejection.UnsupportedExponent, Map((1, 3), (-1, n), (-2, new byte[] { 3 })));
        Expect(RsaKeyRejection.UnsupportedExponent, Map((1, 3), (-1, n), (-2, new byte[] { 1, 0, 0, 1 })));
        Expect(RsaKeyRejection.UnsupportedKeySize, Map((1, 3), (-1, n[..128]), (-2, new byte[] { 1, 0, 1 })));
        var tooLong = new byte[513];
        tooLong[0] = 1;
        tooLong[^1] = 1;
        Expect(RsaKeyRejection.UnsupportedKeySize, Map((1, 3), (-1, tooLong), (-2, new byte[] { 1, 0, 1 })));
        Expect(RsaKeyRejection.InvalidModulus, Map((1, 3), (-1, Even(n)), (-2, new byte[] { 1, 0, 1 })));
        Expect(RsaKeyRejection.InvalidModulus, Map((1, 3), (-1, Array.Empty<byte>()), (-2, new byte[] { 1, 0, 1 })));
        Expect(RsaKeyRejection.Malformed, Map((1, 3), (-1, withLeadingZero), (-2, new byte[] { 1, 0, 1 })));
        Expect(RsaKeyRejection.Malformed, Map((1, 3), (-1, n), (-2, new byte[] { 0, 1, 0, 1 })));
        Expect(RsaKeyRejection.Malformed, Map((1, 3), (-1, n)));
        Expect(RsaKeyRejection.Malformed, Map((-1, n), (-2, new byte[] { 1, 0, 1 })));
        Expect(RsaKeyRejection.Malformed, Map((1, 3), (2, Array.Empty<byte>()), (-1, n), (-2, new byte[] { 1, 0, 1 })));

        // The private exponent must never be accepted as part of a public key.
        Expect(RsaKeyRejection.Malformed, Map((1, 3), (-1, n), (-2, new byte[] { 1, 0, 1 }), (-3, n)));

        // key_ops (4) and other parameters are not understood, so refused.
        Expect(RsaKeyRejection.Malformed, Map((1, 3), (4, 1), (-1, n), (-2, new byte[] { 1, 0, 1 })));

        // Not deterministic: keys out of order.
        Expect(RsaKeyRejection.Malformed, Map((1, 3), (-2, new byte[] { 1, 0, 1 }), (-1, n)));

        // Trailing bytes, truncation, not a map.
        var good = RsaCoseKey.Encode(TestKeys.PublicKeyOf(Key2048.Value), TestKeys.OtaKeyId);
        Expect(RsaKeyRejection.Malformed, [.. good, 0]);
        for (int length = 0; length < good.Length; length++)
        {
            Expect(RsaKeyRejection.Malformed, good[..length]);
        }

        Expect(RsaKeyRejection.Malformed, [0x80]);
    }

    [TestMethod]
    public void SubjectPublicKeyInfo_FromDotNet_IsRead()
    {
        foreach (int size in new[] { 2048, 3072 })
        {
            using var rsa = size == 2048 ? TestKeys.Load(TestKeys.OtaKey2048Pem) : TestKeys.Load(TestKeys.Key3072Pem);
            var key = RsaSubjectPublicKeyInfo.Decode(rsa.ExportSubjectPublicKeyInfo());
            Assert.IsTrue(key.HasSameValue(TestKeys.PublicKeyOf(rsa)));
            Assert.AreEqual(size, key.ModulusBits);
        }
    }

    [TestMethod]
    public void SubjectPublicKeyInfo_Refusals_HaveTheirReasons()
    {
        var spki = Key2048.Value.ExportSubjectPublicKeyInfo();

        // Every truncation, and a trailing byte.
        for (int length = 0; length < spki.Length; length++)
        {
            ExpectSpki(RsaKeyRejection.Malformed, spki[..length]);
        }

        ExpectSpki(RsaKeyRejection.Malformed, [.. spki, 0]);

        // Not RSA: an EC key's SubjectPublicKeyInfo.
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ExpectSpki(RsaKeyRejection.UnsupportedKeyType, ec.ExportSubjectPublicKeyInfo());

        // A 1024-bit key and an e = 3 key, encoded by System.Formats.Asn1.
        using var small = RSA.Create(1024);
        ExpectSpki(RsaKeyRejection.UnsupportedKeySize, small.ExportSubjectPublicKeyInfo());
        var n = Key2048.Value.ExportParameters(false).Modulus!;
        ExpectSpki(RsaKeyRejection.UnsupportedExponent, Spki(n, [3]));
        ExpectSpki(RsaKeyRejection.InvalidModulus, Spki(Even(n), [1, 0, 1]));
        Assert.AreEqual(2048, RsaSubjectPublicKeyInfo.Decode(Spki(n, [1, 0, 1])).ModulusBits);

        // A non-minimal length: the outer length (0x82 0x01 0x22) rewritten as 0x83 0x00 0x01 0x22.
        Assert.AreEqual(0x82, spki[1]);
        byte[] longLength = [0x30, 0x83, 0x00, spki[2], spki[3], .. spki[4..]];
        ExpectSpki(RsaKeyRejection.Malformed, longLength);

        // rsaEncryption without its NULL parameters.
        var noNull = RemoveNull(spki);
        ExpectSpki(RsaKeyRejection.Malformed, noNull);
    }

    [TestMethod]
    public void FromModulusAndExponent_IgnoresLeadingZeros_AndChecksTheKey()
    {
        var n = Key2048.Value.ExportParameters(false).Modulus!;
        var key = RsaPublicKey.FromModulusAndExponent([0, 0, .. n], [0, 1, 0, 1]);
        Assert.AreEqual(2048, key.ModulusBits);
        CollectionAssert.AreEqual(n, key.GetModulus());
        CollectionAssert.AreEqual(new byte[] { 1, 0, 1 }, RsaPublicKey.GetExponent());
        Assert.IsFalse(key.HasSameValue(TestKeys.PublicKeyOf(TestKeys.Load(TestKeys.OtherKey2048Pem))));
        Assert.AreEqual(RsaKeyRejection.UnsupportedKeySize, Assert.ThrowsExactly<RsaKeyException>(() => RsaPublicKey.FromModulusAndExponent(n[1..], [1, 0, 1])).Reason);
        Assert.AreEqual(RsaKeyRejection.UnsupportedExponent, Assert.ThrowsExactly<RsaKeyException>(() => RsaPublicKey.FromModulusAndExponent(n, [1, 0, 3])).Reason);
        Assert.ThrowsExactly<ArgumentNullException>(() => RsaPublicKey.FromModulusAndExponent(null!, [1, 0, 1]));
    }

    [TestMethod]
    public void ReasonNames_AreDistinct()
    {
        foreach (RsaKeyRejection reason in Enum.GetValues<RsaKeyRejection>())
        {
            Assert.AreEqual(reason.ToString(), RsaKeyException.ReasonName(reason));
        }
    }

    private static void Expect(RsaKeyRejection reason, byte[] encoded)
    {
        var ex = Assert.ThrowsExactly<RsaKeyException>(() => RsaCoseKey.Decode(encoded));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
    }

    private static void ExpectSpki(RsaKeyRejection reason, byte[] der)
    {
        var ex = Assert.ThrowsExactly<RsaKeyException>(() => RsaSubjectPublicKeyInfo.Decode(der));
        Assert.AreEqual(reason, ex.Reason, ex.Message);
    }

    private static byte[] CoseKey(Action<CborWriter> write)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        write(writer);
        return writer.Encode();
    }

    private static byte[] Map(params (int Label, object Value)[] entries) => CoseKey(w =>
    {
        w.WriteStartMap(entries.Length);
        foreach (var (label, value) in entries)
        {
            w.WriteInt32(label);
            if (value is int i)
            {
                w.WriteInt32(i);
            }
            else
            {
                w.WriteByteString((byte[])value);
            }
        }

        w.WriteEndMap();
    });

    private static byte[] Even(byte[] n)
    {
        var copy = (byte[])n.Clone();
        copy[^1] &= 0xFE;
        return copy;
    }

    private static byte[] Spki(byte[] modulus, byte[] exponent)
    {
        var rsaKey = new AsnWriter(AsnEncodingRules.DER);
        using (rsaKey.PushSequence())
        {
            rsaKey.WriteIntegerUnsigned(modulus);
            rsaKey.WriteIntegerUnsigned(exponent);
        }

        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                spki.WriteNull();
            }

            spki.WriteBitString(rsaKey.Encode());
        }

        return spki.Encode();
    }

    private static byte[] RemoveNull(byte[] spki)
    {
        // Re-encode with the AlgorithmIdentifier holding the OID alone.
        var reader = new AsnReader(spki, AsnEncodingRules.DER).ReadSequence();
        reader.ReadSequence();
        var bitString = reader.ReadBitString(out _);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.113549.1.1.1");
            }

            writer.WriteBitString(bitString);
        }

        return writer.Encode();
    }
}
