using System;
using System.Formats.Asn1;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>OBJECT IDENTIFIER decoding (X.690 §8.19) against published encodings and .NET's reader.</summary>
[TestClass]
public sealed class DerOidTests
{
    [TestMethod]
    [DataRow("06062A864886F70D", "1.2.840.113549")] // RSADSI, X.690 and PKCS#1 examples
    [DataRow("0603883703", "2.999.3")] // X.690 §8.19.5 example
    [DataRow("0603551D13", "2.5.29.19")] // basicConstraints
    [DataRow("06072A8648CE3D0201", "1.2.840.10045.2.1")] // id-ecPublicKey
    [DataRow("06082A8648CE3D030107", "1.2.840.10045.3.1.7")] // prime256v1
    [DataRow("0601 00", "0.0")]
    [DataRow("0601 27", "0.39")]
    [DataRow("0601 28", "1.0")]
    [DataRow("0601 4F", "1.39")]
    [DataRow("0601 50", "2.0")]
    [DataRow("0602 7F 00", "2.47.0")]
    [DataRow("060B 2A 81FFFFFFFFFFFFFFFF7F", "1.2.18446744073709551615")]
    [DataRow("060A 81FFFFFFFFFFFFFFFF7F", "2.18446744073709551535")]
    public void KnownEncodings_DecodeToDottedText(string hex, string expected)
    {
        Assert.AreEqual(expected, new DerReader(DerBytes.Hex(hex)).ReadObjectIdentifier());
    }

    [TestMethod]
    [DataRow("0600")] // empty
    [DataRow("0601 80")] // leading 0x80 and cut short
    [DataRow("0603 2A 8001")] // leading 0x80: not the shortest form
    [DataRow("0602 802A")] // first subidentifier with a leading 0x80
    [DataRow("0602 2A86")] // ends inside a subidentifier
    [DataRow("060B 2A 82808080808080808000")] // arc of 2^64: beyond 64 bits
    [DataRow("0614 2A 8180808080808080808080808080808080807F")] // a UUID-sized arc
    public void BadEncodings_AreInvalidOid(string hex)
    {
        var e = Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex(hex)).ReadObjectIdentifier());

        Assert.AreEqual(DerError.InvalidOid, e.Reason);
        Assert.AreEqual(0, e.Offset);
    }

    [TestMethod]
    public void RandomContents_AgreeWithDotNetsDerReader()
    {
        var random = new Random(5);
        for (int i = 0; i < 40_000; i++)
        {
            var content = new byte[random.Next(0, 14)];
            random.NextBytes(content);
            for (int k = 0; k < content.Length; k++)
            {
                // Mostly short subidentifiers, some multi-octet ones and some 0x80s.
                int pick = random.Next(4);
                content[k] = pick == 0 ? (byte)0x80 : pick == 1 ? (byte)(content[k] | 0x80) : (byte)(content[k] & 0x7F);
            }

            var bytes = DerBytes.Tlv(0x06, content);
            string? expected;
            try
            {
                expected = new AsnReader(bytes, AsnEncodingRules.DER).ReadObjectIdentifier();
            }
            catch (AsnContentException)
            {
                expected = null;
            }

            try
            {
                string mine = new DerReader(bytes).ReadObjectIdentifier();
                Assert.AreEqual(expected, mine, Convert.ToHexString(bytes));
            }
            catch (DerException e)
            {
                // Arcs beyond 64 bits are valid DER that this reader refuses by design.
                Assert.IsTrue(expected is null || HasArcBeyond64Bits(expected), Convert.ToHexString(bytes) + ": " + e.Message);
            }
        }
    }

    private static bool HasArcBeyond64Bits(string dotted)
    {
        foreach (var arc in dotted.Split('.'))
        {
            if (!ulong.TryParse(arc, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return true;
            }
        }

        // The first subidentifier packs two arcs: 2.X with X > 2^64 - 81 overflows it too.
        var parts = dotted.Split('.');
        return parts[0] == "2" && System.Numerics.BigInteger.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) + 80 > ulong.MaxValue;
    }
}
