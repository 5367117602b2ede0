using System;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

[TestClass]
public sealed class ConsoleFrameCodecTests
{
    // Known-good frames, computed outside this codebase (Python: struct + zlib.crc32 + a
    // separate COBS encoder). Each row: kind, sequence, code, payload, frame bytes, wire bytes.
    [TestMethod]
    [DataRow(ConsoleFrameKind.Request, (ushort)0x1234, (byte)0x01, new byte[0],
        new byte[] { 0x01, 0x01, 0x12, 0x34, 0x01, 0x00, 0x00, 0x94, 0xEC, 0xC6, 0x4C },
        new byte[] { 0x00, 0x06, 0x01, 0x01, 0x12, 0x34, 0x01, 0x01, 0x05, 0x94, 0xEC, 0xC6, 0x4C, 0x00 },
        DisplayName = "Hello request, sequence 0x1234")]
    [DataRow(ConsoleFrameKind.Response, (ushort)0x1234, (byte)0x00, new byte[] { 0x4F, 0x4B },
        new byte[] { 0x01, 0x02, 0x12, 0x34, 0x00, 0x00, 0x02, 0x4F, 0x4B, 0x49, 0x96, 0xD0, 0x70 },
        new byte[] { 0x00, 0x05, 0x01, 0x02, 0x12, 0x34, 0x01, 0x08, 0x02, 0x4F, 0x4B, 0x49, 0x96, 0xD0, 0x70, 0x00 },
        DisplayName = "OK response with payload \"OK\"")]
    [DataRow(ConsoleFrameKind.Error, (ushort)0x0001, (byte)0x03, new byte[0],
        new byte[] { 0x01, 0x03, 0x00, 0x01, 0x03, 0x00, 0x00, 0x07, 0x75, 0x7F, 0x58 },
        new byte[] { 0x00, 0x03, 0x01, 0x03, 0x03, 0x01, 0x03, 0x01, 0x05, 0x07, 0x75, 0x7F, 0x58, 0x00 },
        DisplayName = "Locked error, sequence 1")]
    [DataRow(ConsoleFrameKind.Request, (ushort)0x0100, (byte)0x30, new byte[] { 0x00, 0x01, 0x02 },
        new byte[] { 0x01, 0x01, 0x01, 0x00, 0x30, 0x00, 0x03, 0x00, 0x01, 0x02, 0x36, 0x43, 0xEF, 0xBB },
        new byte[] { 0x00, 0x04, 0x01, 0x01, 0x01, 0x02, 0x30, 0x02, 0x03, 0x07, 0x01, 0x02, 0x36, 0x43, 0xEF, 0xBB, 0x00 },
        DisplayName = "Commit request with zeros in sequence and payload")]
    public void EncodeAndDecode_MatchKnownGoodBytes(ConsoleFrameKind kind, ushort sequence, byte code, byte[] payload, byte[] frameBytes, byte[] wireBytes)
    {
        var frame = new ConsoleFrame(kind, sequence, code, payload);
        CollectionAssert.AreEqual(frameBytes, ConsoleFrameCodec.Encode(frame));
        CollectionAssert.AreEqual(wireBytes, FrameWriter.ToWire(frame));

        var decoded = ConsoleFrameCodec.Decode(frameBytes, 0, frameBytes.Length);
        Assert.AreEqual(kind, decoded.Kind);
        Assert.AreEqual(sequence, decoded.Sequence);
        Assert.AreEqual(code, decoded.Code);
        CollectionAssert.AreEqual(payload, decoded.GetPayload());
    }

    [TestMethod]
    public void RoundTrip_MaximumPayload()
    {
        var payload = new byte[ConsoleFrame.MaxPayloadLength];
        new Random(3).NextBytes(payload);
        var bytes = ConsoleFrameCodec.Encode(new ConsoleFrame(ConsoleFrameKind.Response, 65535, 0, payload));
        Assert.HasCount(ConsoleFrameCodec.MaxFrameLength, bytes);
        CollectionAssert.AreEqual(payload, ConsoleFrameCodec.Decode(bytes, 0, bytes.Length).GetPayload());

        var wire = FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Response, 65535, 0, payload));
        Assert.IsLessThanOrEqualTo(FrameWriter.MaxWireLength, wire.Length);
    }

    [TestMethod]
    public void Frame_RefusesAPayloadOverTheLimit()
    {
        var e = Assert.ThrowsExactly<ConsoleProtocolException>(
            () => new ConsoleFrame(ConsoleFrameKind.Request, 1, 1, new byte[ConsoleFrame.MaxPayloadLength + 1]));
        Assert.AreEqual(ConsoleProtocolError.FrameTooLarge, e.Reason);
        StringAssert.Contains(e.Message, "2049");
    }

    public static System.Collections.Generic.IEnumerable<object[]> MalformedFrames()
    {
        byte[] ok = [0x4F, 0x4B];
        var good = FrameBytes.Raw(1, 2, 7, 0, 2, ok);
        var flipped = (byte[])good.Clone();
        flipped[8] ^= 0x01;

        yield return ["empty", Array.Empty<byte>(), ConsoleProtocolError.FrameTooShort];
        yield return ["10 bytes", new byte[10], ConsoleProtocolError.FrameTooShort];
        yield return ["payload bit flipped", flipped, ConsoleProtocolError.ChecksumMismatch];
        yield return ["checksum truncated", good[..^1], ConsoleProtocolError.ChecksumMismatch];
        yield return ["all zeros", new byte[11], ConsoleProtocolError.ChecksumMismatch];
        yield return ["version 2", FrameBytes.Raw(2, 2, 7, 0, 2, ok), ConsoleProtocolError.UnsupportedVersion];
        yield return ["version 0", FrameBytes.Raw(0, 2, 7, 0, 2, ok), ConsoleProtocolError.UnsupportedVersion];
        yield return ["kind 0", FrameBytes.Raw(1, 0, 7, 0, 2, ok), ConsoleProtocolError.UnknownFrameKind];
        yield return ["kind 4", FrameBytes.Raw(1, 4, 7, 0, 2, ok), ConsoleProtocolError.UnknownFrameKind];
        yield return ["declares more than it carries", FrameBytes.Raw(1, 2, 7, 0, 3, ok), ConsoleProtocolError.LengthMismatch];
        yield return ["declares less than it carries", FrameBytes.Raw(1, 2, 7, 0, 1, ok), ConsoleProtocolError.LengthMismatch];
        yield return ["declares 65535", FrameBytes.Raw(1, 2, 7, 0, 0xFFFF, ok), ConsoleProtocolError.FrameTooLarge];
        yield return ["carries 2049", FrameBytes.Raw(1, 1, 7, 1, 2049, new byte[2049]), ConsoleProtocolError.FrameTooLarge];
        yield return ["response with a non-zero status", FrameBytes.Raw(1, 2, 7, 3, 2, ok), ConsoleProtocolError.InconsistentStatus];
        yield return ["error with status Ok", FrameBytes.Raw(1, 3, 7, 0, 2, ok), ConsoleProtocolError.InconsistentStatus];
    }

    [TestMethod]
    [DynamicData(nameof(MalformedFrames))]
    public void Decode_RejectsMalformedFrames_WithTheReason(string name, byte[] frame, ConsoleProtocolError reason)
    {
        var e = Assert.ThrowsExactly<ConsoleProtocolException>(() => ConsoleFrameCodec.Decode(frame, 0, frame.Length), name);
        Assert.AreEqual(reason, e.Reason, name + ": " + e.Message);
    }

    [TestMethod]
    public void Decode_HonoursOffsetAndCount()
    {
        var frame = FrameBytes.Raw(1, 1, 0xBEEF, 0x10, 3, [9, 8, 7]);
        var padded = new byte[frame.Length + 5];
        frame.CopyTo(padded, 2);
        var decoded = ConsoleFrameCodec.Decode(padded, 2, frame.Length);
        Assert.AreEqual((ushort)0xBEEF, decoded.Sequence);
        Assert.AreEqual((byte)ConsoleCommand.WriteBirthCertificate, decoded.Code);
    }
}
