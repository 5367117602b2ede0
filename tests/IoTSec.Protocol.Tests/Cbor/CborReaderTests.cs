using System;
using IoTSec.Protocol.Cbor;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using CborReader = IoTSec.Protocol.Cbor.CborReader;
using CborReaderState = IoTSec.Protocol.Cbor.CborReaderState;

namespace IoTSec.Protocol.Tests.Cbor;

[TestClass]
public sealed class CborReaderTests
{
    [TestMethod]
    [DataRow("3b7fffffffffffffff", long.MinValue)]
    [DataRow("1b7fffffffffffffff", long.MaxValue)]
    [DataRow("00", 0L)]
    [DataRow("20", -1L)]
    [DataRow("3818", -25L)]
    public void ReadInt64_ReadsTheWholeRangeOfLong(string hex, long expected)
    {
        Assert.AreEqual(expected, new CborReader(Convert.FromHexString(hex)).ReadInt64());
    }

    [TestMethod]
    [DataRow("1b8000000000000000")]
    [DataRow("3b8000000000000000")]
    [DataRow("1bffffffffffffffff")]
    public void ReadInt64_RefusesValuesBeyondLong(string hex)
    {
        var error = Assert.ThrowsExactly<CborException>(() => new CborReader(Convert.FromHexString(hex)).ReadInt64());
        Assert.AreEqual(CborError.IntegerOverflow, error.Reason);
        Assert.AreEqual(0, error.Offset);
    }

    [TestMethod]
    [DataRow("1a7fffffff", int.MaxValue)]
    [DataRow("3a7fffffff", int.MinValue)]
    [DataRow("3903e7", -1000)]
    public void ReadInt32_ReadsTheWholeRangeOfInt(string hex, int expected)
    {
        Assert.AreEqual(expected, new CborReader(Convert.FromHexString(hex)).ReadInt32());
    }

    [TestMethod]
    [DataRow("1a80000000")]
    [DataRow("3a80000000")]
    [DataRow("1b0000000100000000")]
    public void ReadInt32_RefusesValuesBeyondInt(string hex)
    {
        var error = Assert.ThrowsExactly<CborException>(() => new CborReader(Convert.FromHexString(hex)).ReadInt32());
        Assert.AreEqual(CborError.IntegerOverflow, error.Reason);
    }

    [TestMethod]
    public void ReadingTheWrongType_IsRefused_AndLeavesTheItemReadable()
    {
        var reader = new CborReader(Convert.FromHexString("83" + "20" + "f6" + "4100"));
        reader.ReadStartArray();

        Assert.AreEqual(CborError.UnexpectedType, Assert.ThrowsExactly<CborException>(() => reader.ReadUInt64()).Reason);
        Assert.AreEqual(-1, reader.ReadInt32());

        var error = Assert.ThrowsExactly<CborException>(() => reader.ReadBoolean());
        Assert.AreEqual(CborError.UnexpectedType, error.Reason);
        Assert.AreEqual(2, error.Offset);
        reader.ReadNull();

        Assert.AreEqual(CborError.UnexpectedType, Assert.ThrowsExactly<CborException>(() => reader.ReadTextString()).Reason);
        Assert.AreEqual(CborError.UnexpectedType, Assert.ThrowsExactly<CborException>(() => reader.ReadStartMap()).Reason);
        CollectionAssert.AreEqual(new byte[] { 0 }, reader.ReadByteString());
        reader.ReadEndArray();
        reader.ReadEnd();
    }

    [TestMethod]
    public void PeekState_And_PeekType_NameTheNextItem()
    {
        var reader = new CborReader(Convert.FromHexString("d2" + "88" + "00" + "20" + "40" + "60" + "80" + "a0" + "f5" + "f6"));
        Assert.AreEqual(CborReaderState.Tag, reader.PeekState());
        Assert.AreEqual(CborMajorType.Tag, reader.PeekType());
        Assert.AreEqual(18UL, reader.ReadTag());
        Assert.AreEqual(CborReaderState.StartArray, reader.PeekState());
        Assert.AreEqual(8, reader.ReadStartArray());
        Assert.AreEqual(CborReaderState.UnsignedInteger, reader.PeekState());
        reader.ReadUInt64();
        Assert.AreEqual(CborReaderState.NegativeInteger, reader.PeekState());
        Assert.AreEqual(CborMajorType.NegativeInteger, reader.PeekType());
        reader.ReadInt64();
        Assert.AreEqual(CborReaderState.ByteString, reader.PeekState());
        reader.ReadByteString();
        Assert.AreEqual(CborReaderState.TextString, reader.PeekState());
        Assert.AreEqual(string.Empty, reader.ReadTextString());
        Assert.AreEqual(CborReaderState.StartArray, reader.PeekState());
        Assert.AreEqual(0, reader.ReadStartArray());
        Assert.AreEqual(CborReaderState.EndArray, reader.PeekState());
        reader.ReadEndArray();
        Assert.AreEqual(CborReaderState.StartMap, reader.PeekState());
        Assert.AreEqual(0, reader.ReadStartMap());
        Assert.AreEqual(CborReaderState.EndMap, reader.PeekState());
        reader.ReadEndMap();
        Assert.AreEqual(CborReaderState.Boolean, reader.PeekState());
        Assert.IsTrue(reader.ReadBoolean());
        Assert.AreEqual(CborReaderState.Null, reader.PeekState());
        reader.ReadNull();
        Assert.AreEqual(CborReaderState.EndArray, reader.PeekState());
        Assert.AreEqual(CborError.TooManyItems, Assert.ThrowsExactly<CborException>(() => reader.PeekType()).Reason);
        reader.ReadEndArray();
        Assert.AreEqual(CborReaderState.Finished, reader.PeekState());
        Assert.AreEqual(0, reader.Depth);
        reader.ReadEnd();
    }

    [TestMethod]
    public void ContainerBounds_AreEnforced()
    {
        var reader = new CborReader(Convert.FromHexString("8201028103"));
        Assert.AreEqual(2, reader.ReadStartArray());
        Assert.AreEqual(CborError.ContainerIncomplete, Assert.ThrowsExactly<CborException>(() => reader.ReadEndArray()).Reason);
        Assert.AreEqual(CborError.UnexpectedType, Assert.ThrowsExactly<CborException>(() => reader.ReadEndMap()).Reason);
        reader.ReadInt32();
        reader.ReadInt32();

        // The next array follows the closed one: reading it before closing is refused.
        var error = Assert.ThrowsExactly<CborException>(() => reader.ReadStartArray());
        Assert.AreEqual(CborError.TooManyItems, error.Reason);
        Assert.AreEqual(CborError.TooManyItems, Assert.ThrowsExactly<CborException>(() => reader.SkipValue()).Reason);
        Assert.AreEqual(CborError.ContainerIncomplete, Assert.ThrowsExactly<CborException>(() => reader.ReadEnd()).Reason);
        reader.ReadEndArray();

        // Two top-level items form a CBOR sequence (RFC 8742): readable one after the other,
        // refused by ReadEnd until both are consumed.
        Assert.AreEqual(CborError.TrailingBytes, Assert.ThrowsExactly<CborException>(() => reader.ReadEnd()).Reason);
        reader.SkipValue();
        reader.ReadEnd();
    }

    [TestMethod]
    public void MapKeysReadOneByOne_AreCheckedAsEachKeyCompletes()
    {
        // {2: 0, 1: 0}: the second key is refused as soon as it is read, before its value.
        var reader = new CborReader(Convert.FromHexString("a202000100"));
        Assert.AreEqual(2, reader.ReadStartMap());
        Assert.AreEqual(2, reader.ReadInt32());
        Assert.AreEqual(0, reader.ReadInt32());
        var error = Assert.ThrowsExactly<CborException>(() => reader.ReadInt32());
        Assert.AreEqual(CborError.MapKeyOutOfOrder, error.Reason);
        Assert.AreEqual(3, error.Offset);

        // Composite keys compare by their whole encoding: [1000] (81 19 03e8) < [1, 2, 3] (83 ...).
        var composite = Convert.FromHexString("a2" + "811903e8" + "00" + "83010203" + "00");
        Assert.AreEqual("{[1000]: 0, [1, 2, 3]: 0}", CborDiagnostic.Read(composite));
        var reversed = Convert.FromHexString("a2" + "83010203" + "00" + "811903e8" + "00");
        Assert.AreEqual(CborError.MapKeyOutOfOrder, Assert.ThrowsExactly<CborException>(() => CborDiagnostic.Read(reversed)).Reason);

        // A tagged key is compared including its tag.
        var tagged = Convert.FromHexString("a2" + "c101" + "00" + "c101" + "00");
        Assert.AreEqual(CborError.DuplicateMapKey, Assert.ThrowsExactly<CborException>(() => CborDiagnostic.Read(tagged)).Reason);

        // Each map level keeps its own previous key.
        var nested = Convert.FromHexString("a2" + "01" + "a2" + "01" + "00" + "02" + "00" + "02" + "a1" + "01" + "00");
        Assert.AreEqual("{1: {1: 0, 2: 0}, 2: {1: 0}}", CborDiagnostic.Read(nested));
    }

    [TestMethod]
    public void LaxConformance_AcceptsUnsortedKeysAndLongHeads_ButNotTheRestOfTheSubsetRules()
    {
        Assert.AreEqual("{3: 4, 1: 2}", CborDiagnostic.Read(Convert.FromHexString("a203040102"), CborConformance.Lax));
        Assert.AreEqual("[23, \"a\"]", CborDiagnostic.Read(Convert.FromHexString("9802" + "1817" + "780161"), CborConformance.Lax));
        Assert.AreEqual("{1: 2, 1: 3}", CborDiagnostic.Read(Convert.FromHexString("a201020103"), CborConformance.Lax));

        foreach (var (hex, reason) in new[] { ("9fff", CborError.IndefiniteLength), ("f93c00", CborError.UnsupportedFloat), ("6180", CborError.InvalidUtf8), ("1c", CborError.ReservedAdditionalInfo) })
        {
            var error = Assert.ThrowsExactly<CborException>(() => CborDiagnostic.Read(Convert.FromHexString(hex), CborConformance.Lax));
            Assert.AreEqual(reason, error.Reason, hex);
        }
    }

    [TestMethod]
    public void Segments_PointIntoTheCallersBuffer_WithoutCopying()
    {
        // Junk around the CBOR shows offsets are buffer indexes and the length bound holds.
        var cbor = Convert.FromHexString("83" + "43010203" + "626869" + "a10102");
        var buffer = new byte[3 + cbor.Length + 2];
        Array.Fill(buffer, (byte)0xff);
        cbor.CopyTo(buffer, 3);
        var reader = new CborReader(buffer, 3, cbor.Length);

        Assert.AreEqual(3, reader.Position);
        reader.ReadStartArray();
        reader.ReadByteStringSegment(out var bytesOffset, out var bytesLength);
        Assert.AreEqual(5, bytesOffset);
        Assert.AreEqual(3, bytesLength);
        reader.ReadTextStringSegment(out var textOffset, out var textLength);
        Assert.AreEqual(9, textOffset);
        Assert.AreEqual(2, textLength);
        reader.ReadEncodedValueSegment(out var mapOffset, out var mapLength);
        Assert.AreEqual(11, mapOffset);
        Assert.AreEqual(3, mapLength);
        reader.ReadEndArray();
        reader.ReadEnd();
        Assert.AreEqual(0, reader.BytesRemaining);
    }

    [TestMethod]
    public void ReadEncodedValue_GivesTheExactBytesOfACoseSign1Part()
    {
        // 18([h'a10126', {4: h'6b6964'}, h'7061796c6f6164', h'0102']) - the COSE_Sign1 shape.
        var protectedHeader = "43a10126";
        var unprotectedHeader = "a104436b6964";
        var message = Convert.FromHexString("d284" + protectedHeader + unprotectedHeader + "477061796c6f6164" + "420102");
        var reader = new CborReader(message);

        Assert.AreEqual(18UL, reader.ReadTag());
        Assert.AreEqual(4, reader.ReadStartArray());
        CollectionAssert.AreEqual(Convert.FromHexString(protectedHeader), reader.ReadEncodedValue());
        reader.ReadEncodedValueSegment(out var offset, out var length);
        Assert.AreEqual(Convert.ToHexStringLower(message, offset, length), unprotectedHeader);
        reader.ReadByteStringSegment(out var payloadOffset, out var payloadLength);
        Assert.AreEqual("payload", System.Text.Encoding.ASCII.GetString(message, payloadOffset, payloadLength));
        reader.SkipValue();
        reader.ReadEndArray();
        reader.ReadEnd();

        // The protected header's content is itself CBOR, read in place.
        var header = new CborReader(message, 3, 3);
        Assert.AreEqual(1, header.ReadStartMap());
        Assert.AreEqual(1, header.ReadInt32());
        Assert.AreEqual(-7, header.ReadInt32());
        header.ReadEndMap();
        header.ReadEnd();
    }

    [TestMethod]
    public void SkipValue_ValidatesWhatItSkips()
    {
        var error = Assert.ThrowsExactly<CborException>(() => new CborReader(Convert.FromHexString("8301a2020001006180")).SkipValue());
        Assert.AreEqual(CborError.MapKeyOutOfOrder, error.Reason);
        Assert.AreEqual(5, error.Offset);

        error = Assert.ThrowsExactly<CborException>(() => new CborReader(Convert.FromHexString("820061ff")).SkipValue());
        Assert.AreEqual(CborError.InvalidUtf8, error.Reason);
        Assert.AreEqual(3, error.Offset);
    }

    [TestMethod]
    public void ErrorOffset_PointsAtTheOffendingItem()
    {
        var error = Assert.ThrowsExactly<CborException>(() => CborDiagnostic.Read(Convert.FromHexString("8300181705")));
        Assert.AreEqual(CborError.NonShortestEncoding, error.Reason);
        Assert.AreEqual(2, error.Offset);
        StringAssert.Contains(error.Message, "NonShortestEncoding at offset 2");
    }

    [TestMethod]
    public void TextStrings_DecodeAllPlanes()
    {
        var text = "a\u00e9\u20ac\U0001F600\uFFFD\U0010FFFF";
        var writer = new IoTSec.Protocol.Cbor.CborWriter();
        writer.WriteTextString(text);
        var encoded = writer.Encode();

        CollectionAssert.AreEqual(System.Text.Encoding.UTF8.GetBytes(text), encoded[1..]);
        Assert.AreEqual(text, new CborReader(encoded).ReadTextString());
    }

    [TestMethod]
    public void Constructor_RefusesRangesOutsideTheBuffer()
    {
        var buffer = new byte[4];
        Assert.ThrowsExactly<ArgumentNullException>(() => new CborReader(null!, 0, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CborReader(buffer, -1, 1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CborReader(buffer, 5, 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CborReader(buffer, 2, 3));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new CborReader(buffer, 1, int.MaxValue));
    }
}
