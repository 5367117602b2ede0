using System;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Heartbeat.HeartbeatVectors;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Topics;

[TestClass]
public sealed class CommandAckTests
{
    [TestMethod]
    public void KnownGoodBytes()
    {
        CollectionAssert.AreEqual(Hex(CommandAckHex), new CommandAck(7, CommandResult.Ok, "applied").Encode());

        var reader = new Sfc.CborReader(Hex(CommandAckHex), Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(3, reader.ReadStartMap());
        Assert.AreEqual(1UL, reader.ReadUInt64());
        Assert.AreEqual(7UL, reader.ReadUInt64());
        Assert.AreEqual(2UL, reader.ReadUInt64());
        Assert.AreEqual(0UL, reader.ReadUInt64());
        Assert.AreEqual(3UL, reader.ReadUInt64());
        Assert.AreEqual("applied", reader.ReadTextString());
        reader.ReadEndMap();

        CommandAck ack = CommandAck.Decode(Hex(CommandAckHex));
        Assert.AreEqual(7UL, ack.CommandId);
        Assert.AreEqual(CommandResult.Ok, ack.Result);
        Assert.AreEqual("applied", ack.Detail);
    }

    [TestMethod]
    public void RoundTrip_EveryResult_WithAndWithoutDetail()
    {
        foreach (CommandResult result in Enum.GetValues<CommandResult>())
        {
            foreach (string detail in new[] { string.Empty, "x", "signature does not verify", "\u00e9\u4e2d\U0001F600", new string('a', 256), new string('\u00e9', 128) })
            {
                var back = CommandAck.Decode(new CommandAck(ulong.MaxValue, result, detail).Encode());
                Assert.AreEqual(result, back.Result);
                Assert.AreEqual(detail, back.Detail);
                Assert.IsLessThanOrEqualTo(CommandAck.MaxEncodedLength, new CommandAck(ulong.MaxValue, result, detail).Encode().Length);
            }
        }

        Assert.AreEqual(string.Empty, new CommandAck(1, CommandResult.Failed, null!).Detail);
        CollectionAssert.AreEqual(Hex("a201010202"), new CommandAck(1, CommandResult.Failed, null!).Encode(), "no detail: key 3 omitted");
    }

    [TestMethod]
    public void Constructor_Rules()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new CommandAck(0, CommandResult.Ok, null!));
        Assert.ThrowsExactly<ArgumentException>(() => new CommandAck(1, (CommandResult)5, null!));
        Assert.ThrowsExactly<ArgumentException>(() => new CommandAck(1, CommandResult.Ok, new string('a', 257)));
        Assert.ThrowsExactly<ArgumentException>(() => new CommandAck(1, CommandResult.Ok, new string('\u00e9', 129)), "258 bytes of UTF-8");
        Assert.ThrowsExactly<ArgumentException>(() => new CommandAck(1, CommandResult.Ok, "a\ud800"), "unpaired surrogate");
        Assert.ThrowsExactly<ArgumentException>(() => new CommandAck(1, CommandResult.Ok, "\udc00"), "lone low surrogate");
    }

    [TestMethod]
    [DataRow("", MessageRejection.Malformed, DisplayName = "empty")]
    [DataRow("80", MessageRejection.Malformed, DisplayName = "an array")]
    [DataRow("a2020001 07", MessageRejection.Malformed, DisplayName = "keys out of order")]
    [DataRow("a20107020000", MessageRejection.Malformed, DisplayName = "trailing byte")]
    [DataRow("a3010702006161", MessageRejection.Malformed, DisplayName = "truncated")]
    [DataRow("a10107", MessageRejection.FieldMissing, DisplayName = "no result")]
    [DataRow("a10200", MessageRejection.FieldMissing, DisplayName = "no id")]
    [DataRow("a201000200", MessageRejection.FieldInvalid, DisplayName = "id 0")]
    [DataRow("a201070205", MessageRejection.FieldInvalid, DisplayName = "result 5")]
    [DataRow("a201070220", MessageRejection.FieldInvalid, DisplayName = "negative result")]
    [DataRow("a30107020003 60", MessageRejection.FieldInvalid, DisplayName = "empty detail present")]
    [DataRow("a30107020003 4161", MessageRejection.FieldInvalid, DisplayName = "detail as bytes")]
    [DataRow("a30107020003 61ff", MessageRejection.Malformed, DisplayName = "detail not UTF-8")]
    [DataRow("a30107020004 00", MessageRejection.UnknownField, DisplayName = "key 4")]
    public void Malformed_IsRefusedWithItsReason(string hex, MessageRejection expected)
    {
        var e = Assert.ThrowsExactly<MessageRejectedException>(() => CommandAck.Decode(Hex(hex)));
        Assert.AreEqual(expected, e.Reason, e.Message);
        Assert.AreEqual(TopicKind.CommandAck, e.Kind);
    }

    [TestMethod]
    public void DetailTooLong_AndTooLarge_AreRefused()
    {
        var w = new Sfc.CborWriter();
        w.WriteStartMap(3);
        w.WriteUInt64(1);
        w.WriteUInt64(1);
        w.WriteUInt64(2);
        w.WriteUInt64(0);
        w.WriteUInt64(3);
        w.WriteTextString(new string('a', 257));
        w.WriteEndMap();
        Assert.AreEqual(MessageRejection.FieldInvalid, Assert.ThrowsExactly<MessageRejectedException>(() => CommandAck.Decode(w.Encode())).Reason);
        Assert.AreEqual(MessageRejection.TooLarge, Assert.ThrowsExactly<MessageRejectedException>(() => CommandAck.Decode(new byte[513])).Reason);
        Assert.ThrowsExactly<ArgumentNullException>(() => CommandAck.Decode(null!));
    }
}
