using System;
using System.Collections.Generic;
using IoTSec.Protocol.Cbor;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using CborWriter = IoTSec.Protocol.Cbor.CborWriter;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Cbor;

[TestClass]
public sealed class CborWriterTests
{
    [TestMethod]
    [DataRow(0L)]
    [DataRow(23L)]
    [DataRow(24L)]
    [DataRow(255L)]
    [DataRow(256L)]
    [DataRow(65535L)]
    [DataRow(65536L)]
    [DataRow(4294967295L)]
    [DataRow(4294967296L)]
    [DataRow(long.MaxValue)]
    [DataRow(-1L)]
    [DataRow(-24L)]
    [DataRow(-25L)]
    [DataRow(-256L)]
    [DataRow(-257L)]
    [DataRow(-65536L)]
    [DataRow(-65537L)]
    [DataRow(-4294967296L)]
    [DataRow(-4294967297L)]
    [DataRow(long.MinValue)]
    public void Integers_AreWrittenInTheirShortestForm_AsSystemFormatsCborDoes(long value)
    {
        var writer = new CborWriter();
        writer.WriteInt64(value);
        var reference = new Sfc.CborWriter(Sfc.CborConformanceMode.Ctap2Canonical);
        reference.WriteInt64(value);

        var encoded = writer.Encode();
        CollectionAssert.AreEqual(reference.Encode(), encoded);
        Assert.AreEqual(value, new IoTSec.Protocol.Cbor.CborReader(encoded).ReadInt64());
    }

    [TestMethod]
    [DataRow(0UL, "00")]
    [DataRow(24UL, "1818")]
    [DataRow(ulong.MaxValue, "1bffffffffffffffff")]
    [DataRow(4294967296UL, "1b0000000100000000")]
    public void UInt64_IsWrittenInTheShortestForm(ulong value, string hex)
    {
        var writer = new CborWriter();
        writer.WriteUInt64(value);
        Assert.AreEqual(hex, Convert.ToHexStringLower(writer.Encode()));
    }

    [TestMethod]
    public void Lengths_UseTheShortestHead()
    {
        foreach (var length in new[] { 0, 23, 24, 255, 256, 65535, 65536 })
        {
            var content = new byte[length];
            var writer = new CborWriter(0);
            writer.WriteByteString(content);
            var reference = new Sfc.CborWriter(Sfc.CborConformanceMode.Ctap2Canonical);
            reference.WriteByteString(content);
            CollectionAssert.AreEqual(reference.Encode(), writer.Encode(), "length " + length);

            var text = new string('x', length);
            writer.Reset();
            writer.WriteTextString(text);
            reference.Reset();
            reference.WriteTextString(text);
            CollectionAssert.AreEqual(reference.Encode(), writer.Encode(), "text length " + length);
        }
    }

    [TestMethod]
    public void Encode_RefusesUnfinishedContainers()
    {
        var writer = new CborWriter();
        Assert.AreEqual(CborError.ContainerIncomplete, Assert.ThrowsExactly<CborException>(() => writer.Encode()).Reason);

        writer.WriteStartArray(2);
        writer.WriteInt32(1);
        Assert.IsFalse(writer.IsComplete);
        var error = Assert.ThrowsExactly<CborException>(() => writer.Encode());
        Assert.AreEqual(CborError.ContainerIncomplete, error.Reason);
        Assert.AreEqual(CborError.ContainerIncomplete, Assert.ThrowsExactly<CborException>(() => writer.Encode(new byte[16], 0)).Reason);

        writer.Reset();
        writer.WriteStartMap(1);
        writer.WriteInt32(1);
        Assert.AreEqual(CborError.ContainerIncomplete, Assert.ThrowsExactly<CborException>(() => writer.Encode()).Reason);

        writer.Reset();
        writer.WriteTag(18);
        Assert.AreEqual(CborError.ContainerIncomplete, Assert.ThrowsExactly<CborException>(() => writer.Encode()).Reason);
    }

    [TestMethod]
    public void ContainersCloseAfterTheirDeclaredCount()
    {
        var writer = new CborWriter();
        writer.WriteStartArray(3);
        writer.WriteInt32(1);
        writer.WriteStartArray(2);
        writer.WriteInt32(2);
        writer.WriteInt32(3);
        Assert.AreEqual(1, writer.Depth);
        writer.WriteStartMap(0);
        Assert.IsTrue(writer.IsComplete);
        Assert.AreEqual("830182020 3a0".Replace(" ", string.Empty, StringComparison.Ordinal), Convert.ToHexStringLower(writer.Encode()));

        var error = Assert.ThrowsExactly<CborException>(() => writer.WriteInt32(4));
        Assert.AreEqual(CborError.TooManyItems, error.Reason);
        Assert.AreEqual(6, error.Offset);
    }

    [TestMethod]
    public void MapKeys_OutOfOrderOrRepeated_AreRefused()
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteInt32(3);
        writer.WriteInt32(0);
        var error = Assert.ThrowsExactly<CborException>(() => writer.WriteInt32(1));
        Assert.AreEqual(CborError.MapKeyOutOfOrder, error.Reason);
        Assert.AreEqual(3, error.Offset);
        StringAssert.Contains(error.Message, "4.2.1");

        writer.Reset();
        writer.WriteStartMap(2);
        writer.WriteTextString("a");
        writer.WriteNull();
        Assert.AreEqual(CborError.DuplicateMapKey, Assert.ThrowsExactly<CborException>(() => writer.WriteTextString("a")).Reason);

        // Bytewise order of encodings, not RFC 7049's length-first order: 24 (1818) before -1 (20).
        writer.Reset();
        writer.WriteStartMap(2);
        writer.WriteInt32(24);
        writer.WriteNull();
        writer.WriteInt32(-1);
        writer.WriteNull();
        Assert.AreEqual("a21818f620f6", Convert.ToHexStringLower(writer.Encode()));

        // A composite key is compared when it completes.
        writer.Reset();
        writer.WriteStartMap(2);
        writer.WriteStartArray(2);
        writer.WriteInt32(1);
        writer.WriteInt32(2);
        writer.WriteNull();
        writer.WriteStartArray(2);
        writer.WriteInt32(1);
        Assert.AreEqual(CborError.DuplicateMapKey, Assert.ThrowsExactly<CborException>(() => writer.WriteInt32(2)).Reason);
    }

    [TestMethod]
    public void KeysSortedWithCborKeyOrder_AreAccepted()
    {
        var keys = new object[] { "b", -1, 24, "aa", new byte[] { 0 }, 0 };
        var encodedKeys = new byte[keys.Length][];
        for (var i = 0; i < keys.Length; i++)
        {
            var keyWriter = new CborWriter();
            WriteKey(keyWriter, keys[i]);
            encodedKeys[i] = keyWriter.Encode();
        }

        Array.Sort(encodedKeys, keys, Comparer<byte[]>.Create((a, b) => CborKeyOrder.Compare(a, 0, a.Length, b, 0, b.Length)));
        var writer = new CborWriter();
        writer.WriteStartMap(keys.Length);
        foreach (var key in keys)
        {
            WriteKey(writer, key);
            writer.WriteBoolean(true);
        }

        Assert.AreEqual("{0: true, 24: true, -1: true, h'00': true, \"b\": true, \"aa\": true}", CborDiagnostic.Read(writer.Encode()));
    }

    [TestMethod]
    public void UnpairedSurrogates_AreRefused()
    {
        foreach (var text in new[] { "\ud800", "a\udc00", "\ud800\ud800", "\udc00\ud800" })
        {
            var writer = new CborWriter();
            Assert.AreEqual(CborError.InvalidUtf16, Assert.ThrowsExactly<CborException>(() => writer.WriteTextString(text)).Reason);
            Assert.AreEqual(0, writer.BytesWritten);
        }
    }

    [TestMethod]
    public void Nesting_Beyond16_IsRefused_EvenForAnEmptyContainer()
    {
        var writer = new CborWriter();
        for (var i = 0; i < 16; i++)
        {
            writer.WriteStartArray(1);
        }

        Assert.AreEqual(CborError.NestingTooDeep, Assert.ThrowsExactly<CborException>(() => writer.WriteStartArray(0)).Reason);
        Assert.AreEqual(CborError.NestingTooDeep, Assert.ThrowsExactly<CborException>(() => writer.WriteTag(1)).Reason);
        writer.WriteInt32(0);
        Assert.AreEqual(new string('[', 16) + "0" + new string(']', 16), CborDiagnostic.Read(writer.Encode()));
    }

    [TestMethod]
    public void CoseSign1Envelope_MatchesSystemFormatsCbor()
    {
        var payload = new byte[300];
        new Random(18).NextBytes(payload);
        var writer = new CborWriter();
        writer.WriteTag(18);
        writer.WriteStartArray(4);
        writer.WriteByteString(new byte[] { 0xa1, 0x01, 0x26 });
        writer.WriteStartMap(1);
        writer.WriteInt32(4);
        writer.WriteByteString(new byte[] { 0x6b, 0x69, 0x64 });
        writer.WriteByteString(payload);
        writer.WriteByteString(new byte[64]);

        var reference = new Sfc.CborWriter(Sfc.CborConformanceMode.Strict);
        reference.WriteTag((Sfc.CborTag)18);
        reference.WriteStartArray(4);
        reference.WriteByteString(new byte[] { 0xa1, 0x01, 0x26 });
        reference.WriteStartMap(1);
        reference.WriteInt32(4);
        reference.WriteByteString(new byte[] { 0x6b, 0x69, 0x64 });
        reference.WriteEndMap();
        reference.WriteByteString(payload);
        reference.WriteByteString(new byte[64]);
        reference.WriteEndArray();

        var expected = reference.Encode();
        CollectionAssert.AreEqual(expected, writer.Encode());

        // Encode into a caller's buffer, and reuse the writer after Reset.
        var target = new byte[expected.Length + 2];
        Assert.AreEqual(expected.Length, writer.Encode(target, 2));
        CollectionAssert.AreEqual(expected, target[2..]);
        writer.Reset();
        writer.WriteNull();
        CollectionAssert.AreEqual(new byte[] { 0xf6 }, writer.Encode());
    }

    [TestMethod]
    public void ArgumentErrors_AreStandardExceptions()
    {
        var writer = new CborWriter();
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => writer.WriteStartArray(-1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => writer.WriteStartMap(int.MaxValue));
        Assert.ThrowsExactly<ArgumentNullException>(() => writer.WriteByteString(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => writer.WriteTextString(null!));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => writer.WriteByteString(new byte[2], 1, 2));
        Assert.AreEqual(0, writer.BytesWritten);
    }

    private static void WriteKey(CborWriter writer, object key)
    {
        switch (key)
        {
            case string s:
                writer.WriteTextString(s);
                break;
            case int i:
                writer.WriteInt32(i);
                break;
            default:
                writer.WriteByteString((byte[])key);
                break;
        }
    }
}
