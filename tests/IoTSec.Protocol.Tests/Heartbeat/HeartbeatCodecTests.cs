using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Tests.Crypto;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Heartbeat.HeartbeatVectors;
using Sfc = System.Formats.Cbor;

namespace IoTSec.Protocol.Tests.Heartbeat;

[TestClass]
public sealed class HeartbeatCodecTests
{
    [TestMethod]
    public void Encode_ProducesTheKnownGoodBytes()
    {
        CollectionAssert.AreEqual(Hex(HeartbeatBody), HeartbeatEncoder.EncodeBody(SampleFields()));
        CollectionAssert.AreEqual(Hex(HeartbeatHex), HeartbeatEncoder.Encode(SampleFields(), Key));
        CollectionAssert.AreEqual(Hex(GenesisHeartbeat), HeartbeatEncoder.Encode(GenesisFields(), Key));
        CollectionAssert.AreEqual(Hex(HeartbeatHex), HeartbeatEncoder.Encode(SampleFields(), Key, new DotNetDigests()), "through .NET's HMAC");
    }

    // The known-good bytes read by a second CBOR implementation in its strictest mode, and
    // the MAC and link recomputed with .NET's HMAC and SHA-256: the format is what the spec says.
    [TestMethod]
    public void KnownGoodBytes_ReadBySystemFormatsCbor_AndDotNetCrypto()
    {
        byte[] encoded = Hex(HeartbeatHex);
        var outer = new Sfc.CborReader(encoded, Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(2, outer.ReadStartArray());
        byte[] body = outer.ReadByteString();
        byte[] mac = outer.ReadByteString();
        outer.ReadEndArray();
        Assert.AreEqual(0, outer.BytesRemaining);

        byte[] input = [.. HeartbeatFormat.GetMacPrefix(), .. body];
        CollectionAssert.AreEqual("IoTSec heartbeat v1\0"u8.ToArray(), HeartbeatFormat.GetMacPrefix());
        CollectionAssert.AreEqual(HMACSHA256.HashData(Key, input), mac);
        CollectionAssert.AreEqual(Hex(HeartbeatLinkHex), SHA256.HashData(encoded));

        var reader = new Sfc.CborReader(body, Sfc.CborConformanceMode.Ctap2Canonical);
        Assert.AreEqual(12, reader.ReadStartMap());
        var seen = new Dictionary<ulong, object>();
        for (int i = 0; i < 12; i++)
        {
            ulong key = reader.ReadUInt64();
            seen[key] = reader.PeekState() switch
            {
                Sfc.CborReaderState.UnsignedInteger => reader.ReadUInt64(),
                Sfc.CborReaderState.TextString => reader.ReadTextString(),
                Sfc.CborReaderState.ByteString => Convert.ToHexString(reader.ReadByteString()),
                _ => throw new AssertFailedException("unexpected type for key " + key),
            };
        }

        reader.ReadEndMap();
        Assert.AreEqual(1UL, seen[1]);
        Assert.AreEqual(DeviceId, seen[2]);
        Assert.AreEqual(42UL, seen[3]);
        Assert.AreEqual(7UL, seen[4]);
        Assert.AreEqual(3600UL, seen[5]);
        Assert.AreEqual("1.4.2", seen[6]);
        Assert.AreEqual(new string('1', 64), seen[7]);
        Assert.AreEqual(1UL, seen[8]);
        Assert.AreEqual(new string('2', 64), seen[9]);
        Assert.AreEqual(new string('3', 64), seen[10]);
        Assert.AreEqual(0x18UL, seen[11]);
        Assert.AreEqual(0x103UL, seen[12]);
    }

    [TestMethod]
    public void Decode_KnownGoodBytes()
    {
        VerifiedHeartbeat hb = HeartbeatDecoder.Decode(Hex(HeartbeatHex), Key, DeviceId);
        HeartbeatFields f = hb.Fields;
        Assert.AreEqual(DeviceId, f.DeviceId);
        Assert.AreEqual(42UL, f.Sequence);
        Assert.AreEqual(7U, f.BootCount);
        Assert.AreEqual(3600U, f.UptimeSeconds);
        Assert.AreEqual("1.4.2", f.FirmwareVersion);
        CollectionAssert.AreEqual(Filled(0x11, 32), f.FirmwareDigest);
        Assert.AreEqual(FirmwareSlot.B, f.ActiveSlot);
        CollectionAssert.AreEqual(Filled(0x22, 32), f.ConfigurationDigest);
        CollectionAssert.AreEqual(Filled(0x33, 32), f.PreviousDigest);
        Assert.AreEqual(PostureFlags.TrialBootPending | PostureFlags.ClockUnsynchronised, f.PostureFlags);
        Assert.AreEqual(RefusalCode.FromManifestRejection(3), f.LastRefusal);
        Assert.IsFalse(f.IsGenesis);
        CollectionAssert.AreEqual(Hex(HeartbeatLinkHex), hb.GetLink());

        VerifiedHeartbeat genesis = HeartbeatDecoder.Decode(Hex(GenesisHeartbeat), Key);
        Assert.IsTrue(genesis.Fields.IsGenesis);
        CollectionAssert.AreEqual(Hex(GenesisLinkHex), genesis.GetLink());
    }

    [TestMethod]
    public void Decode_FromTheMiddleOfABuffer_WithAnotherProvider()
    {
        byte[] encoded = Hex(HeartbeatHex);
        var buffer = new byte[encoded.Length + 20];
        encoded.CopyTo(buffer, 7);
        var provider = new DotNetDigests();
        VerifiedHeartbeat hb = HeartbeatDecoder.Decode(buffer, 7, encoded.Length, Key, null!, provider);
        CollectionAssert.AreEqual(Hex(HeartbeatLinkHex), hb.GetLink());
        Assert.AreEqual(1, provider.HmacCalls);
        Assert.AreEqual(1, provider.Sha256Created);
    }

    [TestMethod]
    public void RoundTrip_RandomFields()
    {
        var random = new Random(20260101);
        for (int i = 0; i < 200; i++)
        {
            var key = RandomNumberGenerator.GetBytes(32);
            var fields = RandomFields(random);
            byte[] encoded = HeartbeatEncoder.Encode(fields, key);
            Assert.IsLessThanOrEqualTo(HeartbeatFormat.MaxEncodedLength, encoded.Length);
            VerifiedHeartbeat back = HeartbeatDecoder.Decode(encoded, key, fields.DeviceId);
            CollectionAssert.AreEqual(encoded, HeartbeatEncoder.Encode(back.Fields, key), "re-encoding gives the same bytes");
            CollectionAssert.AreEqual(SHA256.HashData(encoded), back.GetLink());
            CollectionAssert.AreEqual(SHA256.HashData(encoded), HeartbeatLink.Compute(encoded));
            Assert.AreEqual(fields.Sequence, back.Fields.Sequence);
            Assert.AreEqual(fields.PostureFlags, back.Fields.PostureFlags);
        }
    }

    // The largest valid heartbeat: every text at its longest, every integer at its widest.
    [TestMethod]
    public void LargestHeartbeat_FitsTheLimit()
    {
        var fields = SampleFields();
        fields.DeviceId = "D" + new string('x', 63);
        fields.FirmwareVersion = new string('~', 64);
        fields.Sequence = ulong.MaxValue;
        fields.BootCount = uint.MaxValue;
        fields.UptimeSeconds = uint.MaxValue;
        fields.PostureFlags = (PostureFlags)uint.MaxValue;
        fields.LastRefusal = uint.MaxValue;
        byte[] encoded = HeartbeatEncoder.Encode(fields, Key);
        Assert.AreEqual(316, encoded.Length);
        Assert.IsLessThan(HeartbeatFormat.MaxEncodedLength, encoded.Length);
        Assert.AreEqual(ulong.MaxValue, HeartbeatDecoder.Decode(encoded, Key).Fields.Sequence);
    }

    // Any single flipped bit anywhere in a MAC'd heartbeat is refused, and only ever with the
    // typed exception: the body and MAC bits by the MAC, the structural bits as malformed.
    [TestMethod]
    [DataRow(HeartbeatHex)]
    [DataRow(GenesisHeartbeat)]
    public void EveryFlippedBit_IsRefused(string hex)
    {
        byte[] good = Hex(hex);
        for (int bit = 0; bit < good.Length * 8; bit++)
        {
            byte[] bad = (byte[])good.Clone();
            int index = bit / 8;
            bad[index] ^= (byte)(1 << (bit % 8));
            var e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(bad, Key), "bit " + bit);

            // The envelope heads (array, body length, MAC length) fail as malformed; every
            // body and MAC bit fails the MAC, before the body is parsed at all.
            bool head = index < 3 || index == good.Length - 34 || index == good.Length - 33;
            Assert.AreEqual(head ? HeartbeatRejection.Malformed : HeartbeatRejection.BadMac, e.Reason, "bit " + bit);
        }
    }

    [TestMethod]
    public void EveryTruncation_IsRefused()
    {
        byte[] good = Hex(HeartbeatHex);
        for (int length = 0; length < good.Length; length++)
        {
            var e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(good[..length], Key));
            Assert.AreEqual(HeartbeatRejection.Malformed, e.Reason, "length " + length);
        }

        var trailing = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode([.. good, 0x00], Key));
        Assert.AreEqual(HeartbeatRejection.Malformed, trailing.Reason);
    }

    [TestMethod]
    public void AnotherKey_OrAnotherMessageTypesLabel_FailsTheMac()
    {
        byte[] otherKey = (byte[])Key.Clone();
        otherKey[31] ^= 1;
        Assert.AreEqual(HeartbeatRejection.BadMac, Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(Hex(HeartbeatHex), otherKey)).Reason);

        // The same body MAC'd as an acknowledgement or a command does not pass as a heartbeat.
        foreach (string label in new[] { "IoTSec hb-ack v1", "IoTSec command v1", "IoTSec heartbeat v2", "IoTSec heartbeat v1\0" })
        {
            byte[] sealedAsOther = Seal(label, Hex(HeartbeatBody), Key);
            Assert.AreEqual(HeartbeatRejection.BadMac, Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(sealedAsOther, Key)).Reason, label);
        }

        // Without the NUL the label is not the one specified either.
        var input = new List<byte>("IoTSec heartbeat v1"u8.ToArray());
        input.AddRange(Hex(HeartbeatBody));
        byte[] noNul = Envelope(Hex(HeartbeatBody), HMACSHA256.HashData(Key, input.ToArray()));
        Assert.AreEqual(HeartbeatRejection.BadMac, Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(noNul, Key)).Reason);
    }

    public static IEnumerable<object[]> MalformedEnvelopes()
    {
        byte[] body = Hex(HeartbeatBody);
        byte[] mac = Hex(HeartbeatMac);
        yield return ["empty", Array.Empty<byte>()];
        yield return ["a map, not an array", Hex("a0")];
        yield return ["array of one", Lax(w => { w.WriteStartArray(1); w.WriteByteString(body); w.WriteEndArray(); })];
        yield return ["array of three", Lax(w => { w.WriteStartArray(3); w.WriteByteString(body); w.WriteByteString(mac); w.WriteByteString(mac); w.WriteEndArray(); })];
        yield return ["body as a map, not a bstr", Lax(w => { w.WriteStartArray(2); w.WriteEncodedValue(body); w.WriteByteString(mac); w.WriteEndArray(); })];
        yield return ["mac as text", Lax(w => { w.WriteStartArray(2); w.WriteByteString(body); w.WriteTextString("mac"); w.WriteEndArray(); })];
        yield return ["mac of 31 bytes", Envelope(body, mac[..31])];
        yield return ["mac of 33 bytes", Envelope(body, [.. mac, 0])];
        yield return ["indefinite array", (byte[])[0x9f, .. Hex("5893"), .. body, 0x58, 0x20, .. mac, 0xff]];
        yield return ["non-shortest body length", (byte[])[0x82, 0x59, 0x00, 0x93, .. body, 0x58, 0x20, .. mac]];
        yield return ["tagged", (byte[])[0xd8, 0x18, .. Hex(HeartbeatHex)]];
    }

    [TestMethod]
    [DynamicData(nameof(MalformedEnvelopes))]
    public void MalformedEnvelope_IsRefusedAsMalformed(string name, byte[] input)
    {
        var e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(input, Key), name);
        Assert.AreEqual(HeartbeatRejection.Malformed, e.Reason, name);
    }

    [TestMethod]
    public void TooLarge_IsRefusedBeforeParsing()
    {
        var e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(new byte[HeartbeatFormat.MaxEncodedLength + 1], Key));
        Assert.AreEqual(HeartbeatRejection.TooLarge, e.Reason);
    }

    // Bodies with a valid MAC but content version 1 refuses: each with its own reason.
    public static IEnumerable<object[]> BadBodies()
    {
        yield return ["version 2", Body(m => m[1] = 2UL), HeartbeatRejection.UnknownVersion];
        yield return ["version 0", Body(m => m[1] = 0UL), HeartbeatRejection.UnknownVersion];
        yield return ["version as text", Body(m => m[1] = "1"), HeartbeatRejection.UnknownVersion];
        yield return ["version 2 with an extra key", Body(m => { m[1] = 2UL; m[13] = 0UL; }), HeartbeatRejection.UnknownVersion];
        yield return ["no version", Body(m => m.Remove(1)), HeartbeatRejection.FieldMissing];
        yield return ["no device id", Body(m => m.Remove(2)), HeartbeatRejection.FieldMissing];
        yield return ["no sequence", Body(m => m.Remove(3)), HeartbeatRejection.FieldMissing];
        yield return ["no previous digest", Body(m => m.Remove(10)), HeartbeatRejection.FieldMissing];
        yield return ["no last refusal", Body(m => m.Remove(12)), HeartbeatRejection.FieldMissing];
        yield return ["key 13", Body(m => m[13] = 0UL), HeartbeatRejection.UnknownField];
        yield return ["key 0", Body(m => m[0] = 0UL), HeartbeatRejection.UnknownField];
        yield return ["negative key", Body(m => m[-1] = 0UL), HeartbeatRejection.UnknownField];
        yield return ["text key", Body(m => m["seq"] = 0UL), HeartbeatRejection.UnknownField];
        yield return ["firmware digest of 31 bytes", Body(m => m[7] = Filled(0x11, 31)), HeartbeatRejection.FieldInvalid];
        yield return ["firmware digest of 33 bytes", Body(m => m[7] = Filled(0x11, 33)), HeartbeatRejection.FieldInvalid];
        yield return ["configuration digest as text", Body(m => m[9] = "digest"), HeartbeatRejection.FieldInvalid];
        yield return ["previous digest empty", Body(m => m[10] = Array.Empty<byte>()), HeartbeatRejection.FieldInvalid];
        yield return ["slot 2", Body(m => m[8] = 2UL), HeartbeatRejection.FieldInvalid];
        yield return ["negative sequence", Body(m => m[3] = -1L), HeartbeatRejection.FieldInvalid];
        yield return ["boot count 2^32", Body(m => m[4] = 1UL << 32), HeartbeatRejection.FieldInvalid];
        yield return ["uptime as bytes", Body(m => m[5] = new byte[4]), HeartbeatRejection.FieldInvalid];
        yield return ["posture flags 2^32", Body(m => m[11] = 1UL << 32), HeartbeatRejection.FieldInvalid];
        yield return ["device id with '/'", Body(m => m[2] = "esp32/0a1b2c"), HeartbeatRejection.FieldInvalid];
        yield return ["device id with '+'", Body(m => m[2] = "esp32+"), HeartbeatRejection.FieldInvalid];
        yield return ["device id empty", Body(m => m[2] = string.Empty), HeartbeatRejection.FieldInvalid];
        yield return ["device id of 65", Body(m => m[2] = "d" + new string('0', 64)), HeartbeatRejection.FieldInvalid];
        yield return ["device id as bytes", Body(m => m[2] = "esp32"u8.ToArray()), HeartbeatRejection.FieldInvalid];
        yield return ["firmware version with a space", Body(m => m[6] = "1.4 beta"), HeartbeatRejection.FieldInvalid];
        yield return ["firmware version non-ASCII", Body(m => m[6] = "1.4.2-\u00e9"), HeartbeatRejection.FieldInvalid];
        yield return ["firmware version empty", Body(m => m[6] = string.Empty), HeartbeatRejection.FieldInvalid];
        yield return ["sequence 0 with a previous digest", Body(m => m[3] = 0UL), HeartbeatRejection.FieldInvalid];
        yield return ["zero previous digest with sequence 42", Body(m => m[10] = new byte[32]), HeartbeatRejection.FieldInvalid];
    }

    [TestMethod]
    [DynamicData(nameof(BadBodies))]
    public void BodyBreakingVersion1_IsRefusedWithItsReason(string name, byte[] body, HeartbeatRejection expected)
    {
        byte[] encoded = Seal(HeartbeatFormat.MacLabel, body, Key);
        var e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(encoded, Key), name);
        Assert.AreEqual(expected, e.Reason, name + ": " + e.Message);

        var direct = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.ParseBody(body, 0, body.Length), name);
        Assert.AreEqual(expected, direct.Reason, name);
    }

    // A MAC'd body in a non-deterministic encoding: refused, so that one heartbeat has one encoding (and one link).
    [TestMethod]
    public void NonDeterministicBody_IsRefusedAsMalformed()
    {
        var map = SampleMap();
        var w = new Sfc.CborWriter(Sfc.CborConformanceMode.Lax);
        w.WriteStartMap(map.Count);
        foreach (object key in new object[] { 2L, 1L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L })
        {
            WriteValue(w, key);
            WriteValue(w, map[key]);
        }

        w.WriteEndMap();
        var e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(Seal(HeartbeatFormat.MacLabel, w.Encode(), Key), Key));
        Assert.AreEqual(HeartbeatRejection.Malformed, e.Reason);

        byte[] nonShortest = Hex(HeartbeatBody);
        nonShortest = [.. nonShortest[..3], 0x18, 0x01, .. nonShortest[4..]]; // version 1 as 0x18 0x01
        e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(Seal(HeartbeatFormat.MacLabel, nonShortest, Key), Key));
        Assert.AreEqual(HeartbeatRejection.Malformed, e.Reason);
    }

    [TestMethod]
    public void UnknownPostureBits_AreKept_AndReportedAsUnknown()
    {
        var fields = SampleFields();
        fields.PostureFlags = PostureFlags.DebugPortOpen | (PostureFlags)0x8000_0100u;
        var back = HeartbeatDecoder.Decode(HeartbeatEncoder.Encode(fields, Key), Key).Fields;
        Assert.AreEqual(fields.PostureFlags, back.PostureFlags);
        Assert.AreEqual((PostureFlags)0x8000_0100u, PostureFlagsInfo.Unknown(back.PostureFlags));
        Assert.AreEqual(PostureFlags.None, PostureFlagsInfo.Unknown(PostureFlagsInfo.Defined));
    }

    [TestMethod]
    public void ExpectedDeviceId_Mismatch_IsRefused()
    {
        var e = Assert.ThrowsExactly<HeartbeatRejectedException>(() => HeartbeatDecoder.Decode(Hex(HeartbeatHex), Key, "esp32-0a1b2d"));
        Assert.AreEqual(HeartbeatRejection.DeviceIdMismatch, e.Reason);
        StringAssert.Contains(e.Message, "DeviceIdMismatch");
        HeartbeatDecoder.Decode(Hex(HeartbeatHex), Key, string.Empty);
    }

    [TestMethod]
    public void Encoder_RefusesFieldsBreakingVersion1()
    {
        var cases = new (string Name, Action<HeartbeatFields> Break)[]
        {
            ("device id", f => f.DeviceId = "a#b"),
            ("device id leading dot", f => f.DeviceId = ".hidden"),
            ("firmware version", f => f.FirmwareVersion = string.Empty),
            ("firmware digest", f => f.FirmwareDigest = new byte[20]),
            ("configuration digest", f => f.ConfigurationDigest = null!),
            ("previous digest", f => f.PreviousDigest = new byte[64]),
            ("slot", f => f.ActiveSlot = (FirmwareSlot)2),
            ("genesis with previous", f => f.Sequence = 0),
            ("zero previous not genesis", f => f.PreviousDigest = new byte[32]),
        };
        foreach (var (name, breakIt) in cases)
        {
            var fields = SampleFields();
            breakIt(fields);
            Assert.ThrowsExactly<ArgumentException>(() => HeartbeatEncoder.Encode(fields, Key), name);
        }

        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatEncoder.Encode(SampleFields(), new byte[16]));
        Assert.ThrowsExactly<ArgumentNullException>(() => HeartbeatEncoder.Encode(null!, Key));
        Assert.ThrowsExactly<ArgumentNullException>(() => HeartbeatDecoder.Decode(null!, Key));
        Assert.ThrowsExactly<ArgumentException>(() => HeartbeatDecoder.Decode(Hex(HeartbeatHex), new byte[31]));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => HeartbeatDecoder.Decode(new byte[10], 5, 6, Key, null!, new DotNetDigests()));
    }

    [TestMethod]
    public void RefusalCodes_MapManifestReasonsIntoTheirRange()
    {
        Assert.AreEqual(0x0101U, RefusalCode.FromManifestRejection(1));
        Assert.AreEqual(0x01FFU, RefusalCode.FromManifestRejection(255));
        Assert.AreEqual(0x0305U, RefusalCode.FromTrustAnchorRejection(5));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RefusalCode.FromManifestRejection(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => RefusalCode.FromManifestRejection(256));
        Assert.AreEqual(RefusalCategory.None, RefusalCode.CategoryOf(0));
        Assert.AreEqual(RefusalCategory.General, RefusalCode.CategoryOf(RefusalCode.Unspecified));
        Assert.AreEqual(RefusalCategory.Manifest, RefusalCode.CategoryOf(0x0103));
        Assert.AreEqual(RefusalCategory.Install, RefusalCode.CategoryOf(RefusalCode.TrialBootFailed));
        Assert.AreEqual(RefusalCategory.TrustAnchor, RefusalCode.CategoryOf(0x0301));
        Assert.AreEqual(RefusalCategory.Downlink, RefusalCode.CategoryOf(RefusalCode.DownlinkBadMac));
        Assert.AreEqual(RefusalCategory.Enrolment, RefusalCode.CategoryOf(RefusalCode.HeartbeatKeyFetchFailed));
        Assert.AreEqual(RefusalCategory.Vendor, RefusalCode.CategoryOf(0xF123));
        Assert.AreEqual(RefusalCategory.Reserved, RefusalCode.CategoryOf(0x0600));
        Assert.AreEqual(RefusalCategory.Reserved, RefusalCode.CategoryOf(0x10000));
    }

    // Random bytes, and random mutations of a valid heartbeat with a recomputed MAC (so the
    // body parser is reached): only the typed exception ever comes out.
    [TestMethod]
    public void RandomInput_OnlyEverThrowsTheTypedException()
    {
        var random = new Random(1234);
        byte[] body = Hex(HeartbeatBody);
        for (int i = 0; i < 3000; i++)
        {
            byte[] input = (byte[])body.Clone();
            int edits = random.Next(1, 5);
            for (int e = 0; e < edits; e++)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            if (random.Next(4) == 0)
            {
                input = input[..random.Next(input.Length)];
            }

            try
            {
                HeartbeatDecoder.Decode(Seal(HeartbeatFormat.MacLabel, input, Key), Key);
            }
            catch (HeartbeatRejectedException)
            {
            }

            var noise = new byte[random.Next(0, 600)];
            random.NextBytes(noise);
            try
            {
                HeartbeatDecoder.Decode(noise, Key);
            }
            catch (HeartbeatRejectedException)
            {
            }
        }
    }

    internal static HeartbeatFields RandomFields(Random random)
    {
        const string idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-";
        var id = new char[random.Next(1, 65)];
        for (int c = 0; c < id.Length; c++)
        {
            id[c] = idChars[random.Next(c == 0 ? 62 : idChars.Length)];
        }

        var version = new char[random.Next(1, 65)];
        for (int c = 0; c < version.Length; c++)
        {
            version[c] = (char)random.Next('!', '~' + 1);
        }

        bool genesis = random.Next(5) == 0;
        return new HeartbeatFields
        {
            DeviceId = new string(id),
            Sequence = genesis ? 0 : Math.Max(1UL, (ulong)random.NextInt64(1, long.MaxValue) >> random.Next(64)),
            BootCount = (uint)random.NextInt64(0, uint.MaxValue + 1L),
            UptimeSeconds = (uint)random.NextInt64(0, uint.MaxValue + 1L) >> random.Next(32),
            FirmwareVersion = new string(version),
            FirmwareDigest = RandomNumberGenerator.GetBytes(32),
            ActiveSlot = (FirmwareSlot)random.Next(2),
            ConfigurationDigest = RandomNumberGenerator.GetBytes(32),
            PreviousDigest = genesis ? new byte[32] : RandomNumberGenerator.GetBytes(32),
            PostureFlags = (PostureFlags)(uint)random.NextInt64(0, uint.MaxValue + 1L),
            LastRefusal = (uint)random.Next(0, 0x10000),
        };
    }

    /// <summary>The sample body as key/value pairs; keys are long (integers) or string.</summary>
    private static Dictionary<object, object> SampleMap() => new()
    {
        [1L] = 1UL,
        [2L] = DeviceId,
        [3L] = 42UL,
        [4L] = 7UL,
        [5L] = 3600UL,
        [6L] = "1.4.2",
        [7L] = Filled(0x11, 32),
        [8L] = 1UL,
        [9L] = Filled(0x22, 32),
        [10L] = Filled(0x33, 32),
        [11L] = 0x18UL,
        [12L] = 0x103UL,
    };

    /// <summary>The sample body after <paramref name="edit"/>, encoded by System.Formats.Cbor, which sorts the keys.</summary>
    private static byte[] Body(Action<BodyMap> edit)
    {
        var map = new BodyMap(SampleMap());
        edit(map);
        var w = new Sfc.CborWriter(Sfc.CborConformanceMode.Canonical);
        w.WriteStartMap(map.Pairs.Count);
        foreach (var pair in map.Pairs)
        {
            WriteValue(w, pair.Key);
            WriteValue(w, pair.Value);
        }

        w.WriteEndMap();
        return w.Encode();
    }

    /// <summary>Edits a body by integer or text key without boxing surprises (1 and 1L are one key here).</summary>
    internal sealed class BodyMap(Dictionary<object, object> pairs)
    {
        public Dictionary<object, object> Pairs { get; } = pairs;

        public object this[long key]
        {
            set => Pairs[key] = value;
        }

        public object this[string key]
        {
            set => Pairs[key] = value;
        }

        public void Remove(long key) => Pairs.Remove(key);
    }

    private static void WriteValue(Sfc.CborWriter w, object value)
    {
        switch (value)
        {
            case ulong u: w.WriteUInt64(u); break;
            case long l: w.WriteInt64(l); break;
            case string s: w.WriteTextString(s); break;
            case byte[] b: w.WriteByteString(b); break;
            default: throw new ArgumentException("unsupported " + value.GetType());
        }
    }

    private static byte[] Envelope(byte[] body, byte[] mac) => Lax(w =>
    {
        w.WriteStartArray(2);
        w.WriteByteString(body);
        w.WriteByteString(mac);
        w.WriteEndArray();
    });

    private static byte[] Lax(Action<Sfc.CborWriter> write)
    {
        var w = new Sfc.CborWriter(Sfc.CborConformanceMode.Lax);
        write(w);
        return w.Encode();
    }
}
