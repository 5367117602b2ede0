using System;
using System.Formats.Asn1;
using IoTSec.Protocol.Der;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Der;

/// <summary>Tags and lengths: X.690 §8.1 and the DER restrictions of §10.1.</summary>
[TestClass]
public sealed class DerReaderLengthTests
{
    [TestMethod]
    [DataRow("0400", 0)]
    [DataRow("047F", 127)]
    [DataRow("048180", 128)]
    [DataRow("0481FF", 255)]
    [DataRow("04820100", 256)]
    [DataRow("0483010000", 65536)]
    public void MinimalLengths_AreRead(string header, int expected)
    {
        var bytes = DerBytes.Concat(DerBytes.Hex(header), new byte[expected]);
        var reader = new DerReader(bytes);

        Assert.AreEqual(0x04, reader.ReadTag());
        Assert.AreEqual(expected, reader.ReadLength());
        Assert.AreEqual(bytes.Length - expected, reader.Position);
    }

    [TestMethod]
    [DataRow("0480", DerError.IndefiniteLength)]
    [DataRow("30800000", DerError.IndefiniteLength)]
    [DataRow("04817F", DerError.NonMinimalLength)]
    [DataRow("048100", DerError.NonMinimalLength)]
    [DataRow("0482007F", DerError.NonMinimalLength)]
    [DataRow("04820080", DerError.NonMinimalLength)]
    [DataRow("048400000001", DerError.NonMinimalLength)]
    [DataRow("0484000001", DerError.Truncated)]
    [DataRow("04850100000000", DerError.LengthTooLarge)]
    [DataRow("04FF", DerError.LengthTooLarge)]
    [DataRow("048480000000", DerError.LengthTooLarge)]
    [DataRow("0484FFFFFFFF", DerError.LengthTooLarge)]
    [DataRow("04847FFFFFFF", DerError.Truncated)]
    [DataRow("3084 7FFFFFFF 0500", DerError.Truncated)]
    [DataRow("0482 01", DerError.Truncated)]
    [DataRow("0405 00000000", DerError.Truncated)]
    [DataRow("04", DerError.Truncated)]
    [DataRow("", DerError.Truncated)]
    public void BadLengths_AreRefused(string hex, DerError reason)
    {
        var reader = new DerReader(DerBytes.Hex(hex));

        var e = Assert.ThrowsExactly<DerException>(() => reader.Skip());

        Assert.AreEqual(reason, e.Reason);
        StringAssert.Contains(e.Message, "at offset " + e.Offset);
    }

    [TestMethod]
    [DataRow("1F00")]
    [DataRow("1F8100")]
    [DataRow("3F2000")]
    [DataRow("9F0100")]
    [DataRow("BF820000")]
    [DataRow("FF00")]
    public void HighTagNumberForm_IsRefusedWithItsOwnReason(string hex)
    {
        var reader = new DerReader(DerBytes.Hex(hex));

        var e = Assert.ThrowsExactly<DerException>(() => reader.PeekTag());

        Assert.AreEqual(DerError.HighTagNumber, e.Reason);
        Assert.AreEqual(0, e.Offset);
    }

    [TestMethod]
    public void AChildCannotClaimMoreThanItsParentHolds()
    {
        // The outer SEQUENCE holds 3 bytes; its child claims 5 although the buffer has more.
        var reader = new DerReader(DerBytes.Hex("3003 0405 0102 03040506"));
        var sequence = reader.ReadSequence();

        var e = Assert.ThrowsExactly<DerException>(() => sequence.ReadOctetString());

        Assert.AreEqual(DerError.Truncated, e.Reason);
        Assert.AreEqual(3, e.Offset, "the offset of the length octets that claim too much");
    }

    [TestMethod]
    public void OffsetsAreThoseOfTheUnderlyingArray_ForASlice()
    {
        var bytes = DerBytes.Hex("FFFF 0480");
        var reader = new DerReader(bytes, 2, 2);

        var e = Assert.ThrowsExactly<DerException>(() => reader.Skip());

        Assert.AreEqual(3, e.Offset);
        Assert.AreEqual(DerError.IndefiniteLength, e.Reason);
    }

    [TestMethod]
    public void Constructor_RejectsASliceOutsideTheArray()
    {
        Assert.ThrowsExactly<ArgumentNullException>(() => new DerReader(null!));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DerReader(new byte[4], 3, 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DerReader(new byte[4], -1, 2));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new DerReader(new byte[4], 0, -1));
    }

    [TestMethod]
    public void RandomHeaders_AcceptedExactlyWhenDotNetsDerReaderAcceptsThem()
    {
        // Differential check of tag and length handling against System.Formats.Asn1 in DER
        // mode, over short random inputs biased towards interesting length octets.
        var random = new Random(7);
        byte[] interesting = [0x00, 0x01, 0x7F, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0xFF];
        for (int i = 0; i < 60_000; i++)
        {
            var bytes = new byte[random.Next(0, 8)];
            random.NextBytes(bytes);
            for (int k = 1; k < bytes.Length; k++)
            {
                if (random.Next(2) == 0)
                {
                    bytes[k] = interesting[random.Next(interesting.Length)];
                }
            }

            if (bytes.Length > 0 && (bytes[0] & 0x1F) == 0x1F)
            {
                continue; // high-tag-number form: refused here by design, accepted by AsnReader
            }

            bool dotnetAccepts = AsnDecoder.TryReadEncodedValue(bytes, AsnEncodingRules.DER, out _, out _, out _, out _);
            bool weAccept;
            try
            {
                // The header alone: Skip would also look inside a constructed element.
                var reader = new DerReader(bytes);
                reader.ReadTag();
                reader.ReadLength();
                weAccept = true;
            }
            catch (DerException)
            {
                weAccept = false;
            }

            Assert.AreEqual(dotnetAccepts, weAccept, Convert.ToHexString(bytes));
        }
    }
}
