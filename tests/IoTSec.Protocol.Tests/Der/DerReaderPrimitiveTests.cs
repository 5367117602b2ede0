using System;
using System.Formats.Asn1;
using System.Numerics;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>INTEGER, BOOLEAN, NULL, OCTET STRING and BIT STRING under DER's rules (X.690 §8, §11).</summary>
[TestClass]
public sealed class DerReaderPrimitiveTests
{
    [TestMethod]
    [DataRow("020100", 0)]
    [DataRow("02017F", 127)]
    [DataRow("02020080", 128)]
    [DataRow("0201FF", -1)]
    [DataRow("020180", -128)]
    [DataRow("0202FF7F", -129)]
    [DataRow("02047FFFFFFF", int.MaxValue)]
    [DataRow("020480000000", int.MinValue)]
    public void Integers_AreReadAsEncoded(string hex, int expected)
    {
        Assert.AreEqual(expected, new DerReader(DerBytes.Hex(hex)).ReadInt32());
        CollectionAssert.AreEqual(DerBytes.Hex(hex)[2..], new DerReader(DerBytes.Hex(hex)).ReadIntegerBytes());
    }

    [TestMethod]
    [DataRow("0200", DerError.InvalidInteger)]
    [DataRow("02020000", DerError.NonMinimalInteger)]
    [DataRow("0202007F", DerError.NonMinimalInteger)]
    [DataRow("0203000080", DerError.NonMinimalInteger)]
    [DataRow("0202FFFF", DerError.NonMinimalInteger)]
    [DataRow("0202FF80", DerError.NonMinimalInteger)]
    [DataRow("02050100000000", DerError.IntegerOutOfRange)]
    public void BadIntegers_AreRefused(string hex, DerError reason)
    {
        var e = Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex(hex)).ReadInt32());

        Assert.AreEqual(reason, e.Reason);
        if (reason != DerError.IntegerOutOfRange)
        {
            Assert.AreEqual(reason, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex(hex)).ReadIntegerBytes()).Reason);
        }
    }

    [TestMethod]
    public void RandomIntegers_AgreeWithDotNetsDerReader()
    {
        var random = new Random(11);
        for (int i = 0; i < 50_000; i++)
        {
            var content = new byte[random.Next(0, 6)];
            random.NextBytes(content);
            if (content.Length > 1 && random.Next(2) == 0)
            {
                content[0] = random.Next(2) == 0 ? (byte)0x00 : (byte)0xFF;
            }

            var bytes = DerBytes.Tlv(0x02, content);
            BigInteger expected = default;
            bool dotnetAccepts;
            try
            {
                expected = new AsnReader(bytes, AsnEncodingRules.DER).ReadInteger();
                dotnetAccepts = true;
            }
            catch (AsnContentException)
            {
                dotnetAccepts = false;
            }

            try
            {
                var mine = new DerReader(bytes).ReadIntegerBytes();
                Assert.IsTrue(dotnetAccepts, Convert.ToHexString(bytes));
                Assert.AreEqual(expected, new BigInteger(mine, isUnsigned: false, isBigEndian: true));
            }
            catch (DerException)
            {
                Assert.IsFalse(dotnetAccepts, Convert.ToHexString(bytes));
            }
        }
    }

    [TestMethod]
    [DataRow("0101FF", true)]
    [DataRow("010100", false)]
    public void Booleans_OnlyTheTwoDerValues(string hex, bool expected)
    {
        Assert.AreEqual(expected, new DerReader(DerBytes.Hex(hex)).ReadBoolean());
    }

    [TestMethod]
    [DataRow("010101")]
    [DataRow("01017F")]
    [DataRow("0100")]
    [DataRow("0102FFFF")]
    public void Booleans_OtherEncodingsAreRefused(string hex)
    {
        Assert.AreEqual(DerError.InvalidBoolean, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex(hex)).ReadBoolean()).Reason);
    }

    [TestMethod]
    public void Null_MustBeEmpty()
    {
        new DerReader(DerBytes.Hex("0500")).ReadNull();
        Assert.AreEqual(DerError.InvalidNull, Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex("050100")).ReadNull()).Reason);
    }

    [TestMethod]
    public void OctetString_IsCopied()
    {
        var bytes = DerBytes.Hex("0403 010203");
        var value = new DerReader(bytes).ReadOctetString();
        bytes[2] = 0xEE;

        CollectionAssert.AreEqual(DerBytes.Hex("010203"), value);
        CollectionAssert.AreEqual(Array.Empty<byte>(), new DerReader(DerBytes.Hex("0400")).ReadOctetString());
    }

    [TestMethod]
    [DataRow("030100", "", 0)]
    [DataRow("0302 00 FF", "FF", 0)]
    [DataRow("0302 01 FE", "FE", 1)]
    [DataRow("0302 07 80", "80", 7)]
    [DataRow("0303 04 ABC0", "ABC0", 4)]
    public void BitStrings_AreRead(string hex, string bits, int unused)
    {
        var value = new DerReader(DerBytes.Hex(hex)).ReadBitString(out int unusedBits);

        CollectionAssert.AreEqual(DerBytes.Hex(bits), value);
        Assert.AreEqual(unused, unusedBits);
    }

    [TestMethod]
    [DataRow("0300")]
    [DataRow("030101")]
    [DataRow("030107")]
    [DataRow("0302 08 00")]
    [DataRow("0302 FF 00")]
    [DataRow("0302 01 FF")]
    [DataRow("0302 07 C0")]
    public void BadBitStrings_AreRefused(string hex)
    {
        var e = Assert.ThrowsExactly<DerException>(() => new DerReader(DerBytes.Hex(hex)).ReadBitString(out _));

        Assert.AreEqual(DerError.InvalidBitString, e.Reason);
    }

    [TestMethod]
    public void ImplicitlyTaggedBitString_IsReadUnderItsContextTag()
    {
        var value = new DerReader(DerBytes.Hex("8103 00 0102")).ReadBitString(DerTag.ContextPrimitive(1), out int unused);

        CollectionAssert.AreEqual(DerBytes.Hex("0102"), value);
        Assert.AreEqual(0, unused);
    }
}
