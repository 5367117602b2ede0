using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.Security.Cryptography;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>
/// Damaged certificates: whatever the damage, parsing ends in a result or a DerException —
/// never another exception (IndexOutOfRange, Overflow, OutOfMemory, ...).
/// </summary>
[TestClass]
public sealed class X509MalformedTests
{
    public static IEnumerable<object[]> Seeds()
    {
        foreach (var name in DerCorpus.ValidSeeds)
        {
            yield return [name];
        }
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void EveryTruncation_IsTruncated(string seed)
    {
        var der = DerCorpus.Read(seed);
        for (int length = 0; length < der.Length; length++)
        {
            var e = Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(der[..length]), "prefix of " + length);
            Assert.AreEqual(DerError.Truncated, e.Reason, "prefix of " + length);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void EveryTruncationInsideAConsistentOuterSequence_IsRefused(string seed)
    {
        // Cut the contents, then re-wrap them so the outer length is right: the damage is inside.
        var der = DerCorpus.Read(seed);
        var contents = new AsnReader(der, AsnEncodingRules.DER).PeekContentBytes().ToArray();
        for (int length = 0; length < contents.Length; length++)
        {
            var cut = DerBytes.Sequence(contents[..length]);
            Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(cut), "contents cut to " + length);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void EveryBitFlipInALengthOctet_IsRefused_UnlessTheResultIsStillWellFormed(string seed)
    {
        // A changed length nearly always breaks the enclosing element's accounting. The rare
        // survivor is genuinely well-formed DER (say, an OID that swallows the BOOLEAN after
        // it and still ends on a complete subidentifier): it must then agree with .NET.
        var der = DerCorpus.Read(seed);
        var positions = LengthOctetPositions(der);
        int refused = 0;
        foreach (int position in positions)
        {
            for (int bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])der.Clone();
                flipped[position] ^= (byte)(1 << bit);
                if (TryParse(flipped))
                {
                    AssertAcceptedInputIsSound(flipped);
                }
                else
                {
                    refused++;
                }
            }
        }

        Assert.IsGreaterThan(positions.Count * 8 * 98 / 100, refused);
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void EveryBitFlipAnywhere_IsAResultOrADerException_AndResultsAreSound(string seed)
    {
        var der = DerCorpus.Read(seed);

        // Flips inside the key and the signature only change opaque bytes: they are walked
        // but not compared field by field with .NET, which would take most of the time.
        var original = X509CertificateInfo.Parse(der);
        int keyAt = der.AsSpan().IndexOf(original.SubjectPublicKeyInfo);
        int signatureAt = der.Length - original.Signature.Length;
        int accepted = 0;
        for (int position = 0; position < der.Length; position++)
        {
            bool opaque = position >= signatureAt || (position >= keyAt && position < keyAt + original.SubjectPublicKeyInfo.Length);
            for (int bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])der.Clone();
                flipped[position] ^= (byte)(1 << bit);
                if (TryParse(flipped))
                {
                    AssertAcceptedInputIsSound(flipped, compareWithDotNet: !opaque);
                    accepted++;
                }
            }
        }

        // Flips in names, times, keys, extension values and signatures stay well-formed DER.
        Assert.IsGreaterThan(der.Length, accepted);
    }

    [TestMethod]
    [DynamicData(nameof(Seeds))]
    public void RandomMutations_AreAResultOrADerException(string seed)
    {
        var der = DerCorpus.Read(seed);
        var random = new Random(seed.Length);
        for (int i = 0; i < 20_000; i++)
        {
            var mutated = new List<byte>(der);
            int edits = random.Next(1, 5);
            for (int e = 0; e < edits && mutated.Count > 0; e++)
            {
                int at = random.Next(mutated.Count);
                switch (random.Next(4))
                {
                    case 0:
                        mutated[at] = (byte)random.Next(256);
                        break;
                    case 1:
                        mutated.RemoveAt(at);
                        break;
                    case 2:
                        mutated.Insert(at, (byte)random.Next(256));
                        break;
                    default:
                        mutated[at] = random.Next(3) switch { 0 => 0x80, 1 => 0xFF, _ => 0x84 };
                        break;
                }
            }

            TryParse(mutated.ToArray());
        }
    }

    [TestMethod]
    [DataRow(0, DerError.Truncated)] // the Certificate SEQUENCE
    [DataRow(4, DerError.Truncated)] // the tbsCertificate SEQUENCE
    public void LengthClaimOf2To31Minus1_IsTruncated_WithoutAllocating(int headerAt, DerError reason)
    {
        var der = DerCorpus.Read("seed-ecdsa-p256-device.bin");
        Assert.AreEqual(0x82, der[headerAt + 1]);
        var claim = DerBytes.Concat(der[..(headerAt + 1)], [0x84, 0x7F, 0xFF, 0xFF, 0xFF], der[(headerAt + 4)..]);
        if (headerAt > 0)
        {
            // The tbsCertificate header grew by two bytes: keep the outer length consistent.
            BinaryPrimitives.WriteUInt16BigEndian(claim.AsSpan(2), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(claim.AsSpan(2)) + 2));
        }

        var e = Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(claim));

        Assert.AreEqual(reason, e.Reason);
        Assert.AreEqual(headerAt + 1, e.Offset);
    }

    [TestMethod]
    public void IndefiniteLengthTbs_IsRefused()
    {
        var der = DerCorpus.Read("seed-ecdsa-p256-device.bin");
        var contents = new AsnReader(der, AsnEncodingRules.DER).PeekContentBytes().ToArray();
        var tbsContents = new AsnReader(contents, AsnEncodingRules.DER).PeekContentBytes().ToArray();
        var rest = contents[(4 + tbsContents.Length)..];

        var indefinite = DerBytes.Sequence(DerBytes.Concat([0x30, 0x80], tbsContents, [0x00, 0x00]), rest);

        Assert.AreEqual(DerError.IndefiniteLength, Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(indefinite)).Reason);
    }

    [TestMethod]
    public void NonMinimalLengthDeepInside_IsRefused()
    {
        // The validity SEQUENCE re-encoded with a long-form length, every enclosing length fixed up.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var raw = new RawCertificate(key);
        var validity = DerBytes.TlvRawLength(0x30, [0x81, 0x1E], raw.NotBefore, raw.NotAfter);
        var tbs = DerBytes.Sequence(raw.Version, raw.SerialNumber, raw.TbsSignatureAlgorithm, raw.Issuer, validity, raw.Subject, raw.SubjectPublicKeyInfo, raw.Tail);
        var der = DerBytes.Sequence(tbs, raw.OuterSignatureAlgorithm, DerBytes.Tlv(0x03, [0x00, 0x30, 0x00]));

        var e = Assert.ThrowsExactly<DerException>(() => X509CertificateInfo.Parse(der));

        Assert.AreEqual(DerError.NonMinimalLength, e.Reason);
    }

    private static bool TryParse(byte[] der)
    {
        try
        {
            X509CertificateInfo.Parse(der);
            return true;
        }
        catch (DerException)
        {
            return false;
        }
    }

    /// <summary>
    /// What the parser accepted is well-formed DER throughout (by .NET's reader), and where
    /// .NET can read it as a certificate too, both read the same values.
    /// </summary>
    private static void AssertAcceptedInputIsSound(byte[] der, bool compareWithDotNet = true)
    {
        WalkWithDotNet(new AsnReader(der, AsnEncodingRules.DER));
        if (compareWithDotNet && DotNetReadsEverything(der))
        {
            DotNetAgreement.AssertAgrees(der);
        }
    }

    private static void WalkWithDotNet(AsnReader reader)
    {
        while (reader.HasData)
        {
            var encoded = reader.ReadEncodedValue();
            var tag = AsnDecoder.ReadEncodedValue(encoded.Span, AsnEncodingRules.DER, out int offset, out int length, out _);
            if (tag.IsConstructed)
            {
                WalkWithDotNet(new AsnReader(encoded.Slice(offset, length), AsnEncodingRules.DER));
            }
        }
    }

    /// <summary>
    /// Whether X509Certificate2 reads every field the agreement check compares. It is
    /// stricter in places (the PrintableString alphabet, for one) and then not a reference.
    /// </summary>
    private static bool DotNetReadsEverything(byte[] der)
    {
        try
        {
            using var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
            _ = certificate.PublicKey.EncodedKeyValue;
            _ = certificate.NotBefore;
            _ = certificate.NotAfter;
            _ = certificate.Extensions.Count;
            DotNetAgreement.LastCommonName(certificate.SubjectName);
            DotNetAgreement.LastCommonName(certificate.IssuerName);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Where the length octets of every element the parser walks lie (not inside primitive values).</summary>
    private static List<int> LengthOctetPositions(byte[] der)
    {
        var positions = new List<int>();
        Walk(der, 0, der.Length, positions);
        return positions;
    }

    private static void Walk(byte[] der, int start, int end, List<int> positions)
    {
        int at = start;
        while (at < end)
        {
            byte tag = der[at];
            int first = der[at + 1];
            int count = first < 0x80 ? 0 : first & 0x7F;
            for (int i = 0; i <= count; i++)
            {
                positions.Add(at + 1 + i);
            }

            int length = 0;
            for (int i = 0; i < count; i++)
            {
                length = (length << 8) | der[at + 2 + i];
            }

            if (count == 0)
            {
                length = first;
            }

            int content = at + 2 + count;
            if ((tag & 0x20) != 0)
            {
                Walk(der, content, content + length, positions);
            }

            at = content + length;
        }
    }
}
