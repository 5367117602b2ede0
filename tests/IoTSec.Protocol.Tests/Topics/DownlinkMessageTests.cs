using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Tests.Crypto;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Heartbeat.HeartbeatVectors;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Topics;

/// <summary>The MAC'd downlink messages: heartbeat acknowledgement, command, OTA offer.</summary>
[TestClass]
public sealed class DownlinkMessageTests
{
    private static HeartbeatAck SampleAck() => new(42, T0Milliseconds, HeartbeatAckVerdict.Accepted, Hex(HeartbeatLinkHex));

    private static DeviceCommand SampleCommand() => new(7, CommandCode.ApplyTrustAnchorUpdate, T0Milliseconds, Hex("d28443a10126a0"));

    private static OtaOffer SampleOffer() => new("wave-2026-01", "/ota/v1/releases/1.5.0/manifest.cose", Filled(0x44, 32));

    [TestMethod]
    public void HeartbeatAck_KnownGoodBytes()
    {
        CollectionAssert.AreEqual(Hex(HeartbeatAckHex), SampleAck().Encode(Key));
        CollectionAssert.AreEqual(Hex(HeartbeatAckHex), SampleAck().Encode(Key, new DotNetDigests()));

        var body = OpenWithDotNet(Hex(HeartbeatAckHex), "IoTSec hb-ack v1");
        var reader = new Sfc.CborReader(body, Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(4, reader.ReadStartMap());
        Assert.AreEqual(1UL, reader.ReadUInt64());
        Assert.AreEqual(42UL, reader.ReadUInt64());
        Assert.AreEqual(2UL, reader.ReadUInt64());
        Assert.AreEqual((ulong)new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), reader.ReadUInt64());
        Assert.AreEqual(3UL, reader.ReadUInt64());
        Assert.AreEqual(0UL, reader.ReadUInt64());
        Assert.AreEqual(4UL, reader.ReadUInt64());
        CollectionAssert.AreEqual(SHA256.HashData(Hex(HeartbeatHex)), reader.ReadByteString(), "names the sample heartbeat by its link");
        reader.ReadEndMap();

        HeartbeatAck ack = HeartbeatAck.Decode(Hex(HeartbeatAckHex), Key);
        Assert.AreEqual(42UL, ack.Sequence);
        Assert.AreEqual(T0Milliseconds, ack.GatewayTimeUnixMilliseconds);
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, ack.Verdict);
        CollectionAssert.AreEqual(Hex(HeartbeatLinkHex), ack.GetHeartbeatLink());
    }

    // The device takes the time only from an acknowledgement of the heartbeat it is waiting for.
    [TestMethod]
    public void HeartbeatAck_AnswersExactlyOneHeartbeat()
    {
        var device = new Heartbeat.DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        byte[] first = device.Next();
        byte[] second = device.Next();

        var v1 = HeartbeatDecoder.Decode(first, Key);
        var ack1 = new HeartbeatAck(v1.Fields.Sequence, T0Milliseconds, HeartbeatAck.VerdictFor(gateway.Observe(v1)), v1.GetLink());
        var received = HeartbeatAck.Decode(ack1.Encode(Key), Key);
        Assert.IsTrue(received.Acknowledges(0, HeartbeatLink.Compute(first)));
        Assert.IsFalse(received.Acknowledges(1, HeartbeatLink.Compute(second)), "a replayed old ack does not answer the newer heartbeat");
        Assert.IsFalse(received.Acknowledges(0, HeartbeatLink.Compute(second)));
        Assert.IsFalse(received.Acknowledges(0, null!));
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, received.Verdict);

        Assert.AreEqual(HeartbeatAckVerdict.AcceptedAfterGap, HeartbeatAck.VerdictFor(ChainVerdict.Gap));
        Assert.AreEqual(HeartbeatAckVerdict.Duplicate, HeartbeatAck.VerdictFor(ChainVerdict.Replay));
        Assert.AreEqual(HeartbeatAckVerdict.ChainConflict, HeartbeatAck.VerdictFor(ChainVerdict.Fork));
        Assert.AreEqual(HeartbeatAckVerdict.Stale, HeartbeatAck.VerdictFor(ChainVerdict.Stale));
    }

    [TestMethod]
    public void HeartbeatAck_UnknownVerdict_IsKept_AndLargestFits()
    {
        var ack = new HeartbeatAck(ulong.MaxValue, ulong.MaxValue, (HeartbeatAckVerdict)unchecked((int)uint.MaxValue), Filled(1, 32));
        byte[] encoded = ack.Encode(Key);
        Assert.AreEqual(99, encoded.Length);
        Assert.IsLessThan(HeartbeatAck.MaxEncodedLength, encoded.Length);
        Assert.AreEqual(ack.Verdict, HeartbeatAck.Decode(encoded, Key).Verdict);
    }

    [TestMethod]
    public void Command_KnownGoodBytes()
    {
        CollectionAssert.AreEqual(Hex(TrustAnchorCommand), SampleCommand().Encode(Key));
        CollectionAssert.AreEqual(Hex(RebootCommand), new DeviceCommand(8, CommandCode.Reboot, T0Milliseconds + 1000, null!).Encode(Key));

        var body = OpenWithDotNet(Hex(TrustAnchorCommand), "IoTSec command v1");
        var reader = new Sfc.CborReader(body, Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(4, reader.ReadStartMap());
        Assert.AreEqual(1UL, reader.ReadUInt64());
        Assert.AreEqual(7UL, reader.ReadUInt64());
        Assert.AreEqual(2UL, reader.ReadUInt64());
        Assert.AreEqual(4UL, reader.ReadUInt64());
        Assert.AreEqual(3UL, reader.ReadUInt64());
        Assert.AreEqual(T0Milliseconds, reader.ReadUInt64());
        Assert.AreEqual(4UL, reader.ReadUInt64());
        CollectionAssert.AreEqual(Hex("d28443a10126a0"), reader.ReadByteString());
        reader.ReadEndMap();

        DeviceCommand command = DeviceCommand.Decode(Hex(TrustAnchorCommand), Key);
        Assert.AreEqual(7UL, command.CommandId);
        Assert.AreEqual(CommandCode.ApplyTrustAnchorUpdate, command.Code);
        Assert.AreEqual(T0Milliseconds, command.IssuedAtUnixMilliseconds);
        Assert.IsTrue(command.HasArguments);
        CollectionAssert.AreEqual(Hex("d28443a10126a0"), command.GetArguments());

        DeviceCommand reboot = DeviceCommand.Decode(Hex(RebootCommand), Key);
        Assert.AreEqual(CommandCode.Reboot, reboot.Code);
        Assert.IsFalse(reboot.HasArguments);
        Assert.IsEmpty(reboot.GetArguments());
    }

    [TestMethod]
    public void Command_RoundTrips_EveryCode_AndTheLargest()
    {
        foreach (CommandCode code in Enum.GetValues<CommandCode>())
        {
            byte[] args = code == CommandCode.ApplyTrustAnchorUpdate ? [1, 2, 3] : [];
            var back = DeviceCommand.Decode(new DeviceCommand(99, code, 1, args).Encode(Key), Key);
            Assert.AreEqual(code, back.Code);
            CollectionAssert.AreEqual(args, back.GetArguments());
        }

        // A code this version does not define still decodes, so the device can answer Unsupported with the id.
        var unknown = DeviceCommand.Decode(new DeviceCommand(5, (CommandCode)77, 1, [9]).Encode(Key), Key);
        Assert.AreEqual((CommandCode)77, unknown.Code);
        Assert.IsFalse(DeviceCommand.IsDefined(unknown.Code));

        var largest = new DeviceCommand(ulong.MaxValue, CommandCode.ApplyTrustAnchorUpdate, ulong.MaxValue, new byte[DeviceCommand.MaxArgumentsLength]);
        byte[] encoded = largest.Encode(Key);
        Assert.IsLessThanOrEqualTo(DeviceCommand.MaxEncodedLength, encoded.Length);
        Assert.HasCount(DeviceCommand.MaxArgumentsLength, DeviceCommand.Decode(encoded, Key).GetArguments());
    }

    [TestMethod]
    public void Command_ConstructorRules()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new DeviceCommand(0, CommandCode.Reboot, 1, null!));
        Assert.ThrowsExactly<ArgumentException>(() => new DeviceCommand(1, CommandCode.ApplyTrustAnchorUpdate, 1, null!));
        Assert.ThrowsExactly<ArgumentException>(() => new DeviceCommand(1, CommandCode.Reboot, 1, [1]));
        Assert.ThrowsExactly<ArgumentException>(() => new DeviceCommand(1, CommandCode.ApplyTrustAnchorUpdate, 1, new byte[DeviceCommand.MaxArgumentsLength + 1]));
    }

    [TestMethod]
    public void OtaOffer_KnownGoodBytes()
    {
        CollectionAssert.AreEqual(Hex(OtaOfferHex), SampleOffer().Encode(Key));
        var body = OpenWithDotNet(Hex(OtaOfferHex), "IoTSec ota-offer v1");
        var reader = new Sfc.CborReader(body, Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(3, reader.ReadStartMap());
        Assert.AreEqual(1UL, reader.ReadUInt64());
        Assert.AreEqual("wave-2026-01", reader.ReadTextString());
        Assert.AreEqual(2UL, reader.ReadUInt64());
        Assert.AreEqual("/ota/v1/releases/1.5.0/manifest.cose", reader.ReadTextString());
        Assert.AreEqual(3UL, reader.ReadUInt64());
        CollectionAssert.AreEqual(Filled(0x44, 32), reader.ReadByteString());
        reader.ReadEndMap();

        OtaOffer offer = OtaOffer.Decode(Hex(OtaOfferHex), Key);
        Assert.AreEqual("wave-2026-01", offer.RolloutId);
        Assert.AreEqual("/ota/v1/releases/1.5.0/manifest.cose", offer.ManifestPath);
        CollectionAssert.AreEqual(Filled(0x44, 32), offer.GetManifestDigest());
    }

    [TestMethod]
    public void OtaOffer_LargestFits()
    {
        string path = "/" + new string('a', 255);
        var offer = new OtaOffer("r" + new string('x', 63), path, Filled(1, 32));
        byte[] encoded = offer.Encode(Key);
        Assert.AreEqual(401, encoded.Length);
        Assert.IsLessThan(OtaOffer.MaxEncodedLength, encoded.Length);
        Assert.AreEqual(path, OtaOffer.Decode(encoded, Key).ManifestPath);
    }

    [TestMethod]
    [DataRow("/m", true)]
    [DataRow("/ota/v1/releases/1.5.0/manifest.cose", true)]
    [DataRow("/a/b~c/d_e/f-g/.h/..i", true, DisplayName = "dots inside segments")]
    [DataRow("", false, DisplayName = "empty")]
    [DataRow("/", false, DisplayName = "root only")]
    [DataRow("ota/manifest", false, DisplayName = "relative")]
    [DataRow("//evil.example/manifest", false, DisplayName = "network-path reference")]
    [DataRow("https://evil.example/manifest", false, DisplayName = "absolute URL")]
    [DataRow("/ota/../etc/passwd", false, DisplayName = "dot-dot segment")]
    [DataRow("/ota/./manifest", false, DisplayName = "dot segment")]
    [DataRow("/ota/..", false, DisplayName = "trailing dot-dot")]
    [DataRow("/ota//manifest", false, DisplayName = "empty segment")]
    [DataRow("/ota/manifest/", false, DisplayName = "trailing slash")]
    [DataRow("/ota/%2e%2e/manifest", false, DisplayName = "percent-encoding")]
    [DataRow("/ota/manifest?x=1", false, DisplayName = "query")]
    [DataRow("/ota/manifest#f", false, DisplayName = "fragment")]
    [DataRow("/ota/mani fest", false, DisplayName = "space")]
    [DataRow("/ota\\manifest", false, DisplayName = "backslash")]
    [DataRow("/ota/manif\u00e9st", false, DisplayName = "non-ASCII")]
    public void OtaOffer_ManifestPathRule(string path, bool valid)
    {
        Assert.AreEqual(valid, OtaOffer.IsValidManifestPath(path));
        if (!valid)
        {
            Assert.ThrowsExactly<ArgumentException>(() => new OtaOffer("r1", path, Filled(1, 32)));
        }
    }

    public static IEnumerable<object[]> MacdMessages()
    {
        yield return ["hb-ack", HeartbeatAckHex];
        yield return ["command", TrustAnchorCommand];
        yield return ["reboot command", RebootCommand];
        yield return ["ota offer", OtaOfferHex];
    }

    // Every single flipped bit in a MAC'd downlink message is refused, only with the typed exception.
    [TestMethod]
    [DynamicData(nameof(MacdMessages))]
    public void EveryFlippedBit_IsRefused(string name, string hex)
    {
        byte[] good = Hex(hex);
        int headLength = good[1] == 0x58 ? 3 : 2;
        for (int bit = 0; bit < good.Length * 8; bit++)
        {
            byte[] bad = (byte[])good.Clone();
            int index = bit / 8;
            bad[index] ^= (byte)(1 << (bit % 8));
            var e = Assert.ThrowsExactly<MessageRejectedException>(() => DecodeAny(name, bad), name + " bit " + bit);
            bool head = index < headLength || index == good.Length - 34 || index == good.Length - 33;
            Assert.AreEqual(head ? MessageRejection.Malformed : MessageRejection.BadMac, e.Reason, name + " bit " + bit);
        }
    }

    // The same key MACs heartbeats and every downlink type; the labels keep them apart.
    [TestMethod]
    public void Labels_KeepMessageTypesApart()
    {
        byte[] ackBody = OpenWithDotNet(Hex(HeartbeatAckHex), "IoTSec hb-ack v1");
        byte[] asCommand = Seal(DeviceCommand.MacLabel, ackBody, Key);
        Assert.AreEqual(MessageRejection.BadMac, Assert.ThrowsExactly<MessageRejectedException>(() => HeartbeatAck.Decode(asCommand, Key)).Reason);
        Assert.AreEqual(MessageRejection.BadMac, Assert.ThrowsExactly<MessageRejectedException>(() => OtaOffer.Decode(Hex(HeartbeatHex), Key)).Reason, "a heartbeat is no offer");
        Assert.AreEqual(MessageRejection.BadMac, Assert.ThrowsExactly<MessageRejectedException>(() => DeviceCommand.Decode(Hex(HeartbeatAckHex), Key)).Reason, "an ack is no command");
        Assert.AreEqual(MessageRejection.BadMac, Assert.ThrowsExactly<MessageRejectedException>(() => OtaOffer.Decode(Hex(TrustAnchorCommand), Key)).Reason, "a command is no offer");
        Assert.AreEqual(HeartbeatRejection.BadMac, Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(Hex(HeartbeatAckHex), Key)).Reason, "an ack is no heartbeat");

        byte[] otherKey = Filled(7, 32);
        Assert.AreEqual(MessageRejection.BadMac, Assert.ThrowsExactly<MessageRejectedException>(() => HeartbeatAck.Decode(Hex(HeartbeatAckHex), otherKey)).Reason);
        Assert.AreEqual(MessageRejection.BadMac, Assert.ThrowsExactly<MessageRejectedException>(() => DeviceCommand.Decode(Hex(TrustAnchorCommand), otherKey)).Reason);
        Assert.AreEqual(MessageRejection.BadMac, Assert.ThrowsExactly<MessageRejectedException>(() => OtaOffer.Decode(Hex(OtaOfferHex), otherKey)).Reason);
    }

    public static IEnumerable<object[]> BadBodies()
    {
        byte[] link = Hex(HeartbeatLinkHex);
        yield return ["hb-ack", "not a map", Build(w => { w.WriteStartArray(0); w.WriteEndArray(); }), MessageRejection.Malformed];
        yield return ["hb-ack", "no time", Map((1, 42UL), (3, 0UL), (4, link)), MessageRejection.FieldMissing];
        yield return ["hb-ack", "no link", Map((1, 42UL), (2, T0Milliseconds), (3, 0UL)), MessageRejection.FieldMissing];
        yield return ["hb-ack", "link of 31", Map((1, 42UL), (2, T0Milliseconds), (3, 0UL), (4, link[..31])), MessageRejection.FieldInvalid];
        yield return ["hb-ack", "negative time", Map((1, 42UL), (2, -1L), (3, 0UL), (4, link)), MessageRejection.FieldInvalid];
        yield return ["hb-ack", "verdict 2^32", Map((1, 42UL), (2, T0Milliseconds), (3, 1UL << 32), (4, link)), MessageRejection.FieldInvalid];
        yield return ["hb-ack", "key 5", Map((1, 42UL), (2, T0Milliseconds), (3, 0UL), (4, link), (5, 0UL)), MessageRejection.UnknownField];
        yield return ["command", "id 0", Map((1, 0UL), (2, 1UL), (3, T0Milliseconds)), MessageRejection.FieldInvalid];
        yield return ["command", "no code", Map((1, 1UL), (3, T0Milliseconds)), MessageRejection.FieldMissing];
        yield return ["command", "no issued-at", Map((1, 1UL), (2, 1UL)), MessageRejection.FieldMissing];
        yield return ["command", "trust-anchor update without arguments", Map((1, 1UL), (2, 4UL), (3, T0Milliseconds)), MessageRejection.FieldMissing];
        yield return ["command", "reboot with arguments", Map((1, 1UL), (2, 1UL), (3, T0Milliseconds), (4, new byte[] { 1 })), MessageRejection.FieldInvalid];
        yield return ["command", "empty arguments present", Map((1, 1UL), (2, 4UL), (3, T0Milliseconds), (4, Array.Empty<byte>())), MessageRejection.FieldInvalid];
        yield return ["command", "arguments too long", Map((1, 1UL), (2, 4UL), (3, T0Milliseconds), (4, new byte[DeviceCommand.MaxArgumentsLength + 1])), MessageRejection.FieldInvalid];
        yield return ["command", "arguments as text", Map((1, 1UL), (2, 4UL), (3, T0Milliseconds), (4, "x")), MessageRejection.FieldInvalid];
        yield return ["command", "key 5", Map((1, 1UL), (2, 1UL), (3, T0Milliseconds), (5, 0UL)), MessageRejection.UnknownField];
        yield return ["ota offer", "bad path", Map((1, "r1"), (2, "/a/../b"), (3, Filled(1, 32))), MessageRejection.FieldInvalid];
        yield return ["ota offer", "bad rollout id", Map((1, "r/1"), (2, "/a"), (3, Filled(1, 32))), MessageRejection.FieldInvalid];
        yield return ["ota offer", "digest of 33", Map((1, "r1"), (2, "/a"), (3, Filled(1, 33))), MessageRejection.FieldInvalid];
        yield return ["ota offer", "path too long", Map((1, "r1"), (2, "/" + new string('a', 256)), (3, Filled(1, 32))), MessageRejection.FieldInvalid];
        yield return ["ota offer", "no digest", Map((1, "r1"), (2, "/a")), MessageRejection.FieldMissing];
        yield return ["ota offer", "text key", Map((1, "r1"), (2, "/a"), (3, Filled(1, 32)), ("url", "https://x")), MessageRejection.UnknownField];
    }

    [TestMethod]
    [DynamicData(nameof(BadBodies))]
    public void BodyWithValidMac_ButBadFields_IsRefusedWithItsReason(string message, string name, byte[] body, MessageRejection expected)
    {
        string label = message switch
        {
            "hb-ack" => HeartbeatAck.MacLabel,
            "command" => DeviceCommand.MacLabel,
            _ => OtaOffer.MacLabel,
        };
        var e = Assert.ThrowsExactly<MessageRejectedException>(() => DecodeAny(message, Seal(label, body, Key)), name);
        Assert.AreEqual(expected, e.Reason, name + ": " + e.Message);
    }

    [TestMethod]
    public void TooLarge_AndTruncated_AreRefused()
    {
        Assert.AreEqual(MessageRejection.TooLarge, Assert.ThrowsExactly<MessageRejectedException>(() => HeartbeatAck.Decode(new byte[HeartbeatAck.MaxEncodedLength + 1], Key)).Reason);
        Assert.AreEqual(MessageRejection.TooLarge, Assert.ThrowsExactly<MessageRejectedException>(() => DeviceCommand.Decode(new byte[DeviceCommand.MaxEncodedLength + 1], Key)).Reason);
        Assert.AreEqual(MessageRejection.TooLarge, Assert.ThrowsExactly<MessageRejectedException>(() => OtaOffer.Decode(new byte[OtaOffer.MaxEncodedLength + 1], Key)).Reason);
        foreach (var (name, hex) in new[] { ("hb-ack", HeartbeatAckHex), ("command", TrustAnchorCommand), ("ota offer", OtaOfferHex) })
        {
            byte[] good = Hex(hex);
            for (int length = 0; length < good.Length; length++)
            {
                Assert.AreEqual(MessageRejection.Malformed, Assert.ThrowsExactly<MessageRejectedException>(() => DecodeAny(name, good[..length])).Reason, name + " length " + length);
            }
        }
    }

    [TestMethod]
    public void Exception_NamesTheMessageKind()
    {
        var e = Assert.ThrowsExactly<MessageRejectedException>(() => DeviceCommand.Decode(Hex(HeartbeatAckHex), Key));
        Assert.AreEqual(TopicKind.Command, e.Kind);
        StringAssert.StartsWith(e.Message, "down/cmd message refused");
    }

    [TestMethod]
    public void RandomInput_OnlyEverThrowsTheTypedException()
    {
        var random = new Random(99);
        foreach (var (name, hex, label) in new[] { ("hb-ack", HeartbeatAckHex, HeartbeatAck.MacLabel), ("command", TrustAnchorCommand, DeviceCommand.MacLabel), ("ota offer", OtaOfferHex, OtaOffer.MacLabel) })
        {
            byte[] body = OpenWithDotNet(Hex(hex), label);
            for (int i = 0; i < 1500; i++)
            {
                byte[] input = (byte[])body.Clone();
                for (int e = random.Next(1, 4); e > 0; e--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                try
                {
                    DecodeAny(name, Seal(label, input[..random.Next(input.Length + 1)], Key));
                }
                catch (MessageRejectedException)
                {
                }
            }
        }
    }

    internal static object DecodeAny(string name, byte[] bytes) => name switch
    {
        "hb-ack" => HeartbeatAck.Decode(bytes, Key),
        "command" or "reboot command" => DeviceCommand.Decode(bytes, Key),
        _ => OtaOffer.Decode(bytes, Key),
    };

    /// <summary>Checks the envelope and MAC with System.Formats.Cbor and .NET's HMAC, returns the body.</summary>
    private static byte[] OpenWithDotNet(byte[] encoded, string label)
    {
        var reader = new Sfc.CborReader(encoded, Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(2, reader.ReadStartArray());
        byte[] body = reader.ReadByteString();
        byte[] mac = reader.ReadByteString();
        reader.ReadEndArray();
        Assert.AreEqual(0, reader.BytesRemaining);
        byte[] input = [.. System.Text.Encoding.ASCII.GetBytes(label), 0, .. body];
        CollectionAssert.AreEqual(HMACSHA256.HashData(Key, input), mac, label);
        return body;
    }

    private static byte[] Map(params (object Key, object Value)[] pairs) => Build(w =>
    {
        w.WriteStartMap(pairs.Length);
        foreach (var (key, value) in pairs)
        {
            Write(w, key);
            Write(w, value);
        }

        w.WriteEndMap();
    });

    private static void Write(Sfc.CborWriter w, object value)
    {
        switch (value)
        {
            case int i: w.WriteInt32(i); break;
            case ulong u: w.WriteUInt64(u); break;
            case long l: w.WriteInt64(l); break;
            case string s: w.WriteTextString(s); break;
            case byte[] b: w.WriteByteString(b); break;
            default: throw new ArgumentException("unsupported " + value.GetType());
        }
    }

    private static byte[] Build(Action<Sfc.CborWriter> write)
    {
        var w = new Sfc.CborWriter(Sfc.CborConformanceMode.Canonical);
        write(w);
        return w.Encode();
    }
}
