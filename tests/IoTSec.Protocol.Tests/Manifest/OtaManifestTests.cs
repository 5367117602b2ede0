using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Protocol.Manifest;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Manifest.ManifestTestData;

namespace IoTSec.Protocol.Tests.Manifest;

/// <summary>
/// The manifest payload: known-good bytes checked by an independent decoder
/// (System.Formats.Cbor), round trips, and every structural refusal.
/// </summary>
[TestClass]
public sealed class OtaManifestTests
{
    [TestMethod]
    public void Sample_EncodesToTheKnownGoodBytes()
    {
        CollectionAssert.AreEqual(Convert.FromHexString(SamplePayloadHex), Sample().Encode());
    }

    [TestMethod]
    public void KnownGoodBytes_DecodeIndependently()
    {
        var reader = new System.Formats.Cbor.CborReader(Convert.FromHexString(SamplePayloadHex), CborConformanceMode.Canonical);
        Assert.AreEqual(9, reader.ReadStartMap());
        Assert.AreEqual(1u, reader.ReadUInt32());
        Assert.AreEqual(1u, reader.ReadUInt32());
        Assert.AreEqual(2u, reader.ReadUInt32());
        Assert.AreEqual(7ul, reader.ReadUInt64());
        Assert.AreEqual(3u, reader.ReadUInt32());
        CollectionAssert.AreEqual(VendorId, reader.ReadByteString());
        Assert.AreEqual(4u, reader.ReadUInt32());
        CollectionAssert.AreEqual(ClassId, reader.ReadByteString());
        Assert.AreEqual(5u, reader.ReadUInt32());
        Assert.AreEqual("1.4.0", reader.ReadTextString());
        Assert.AreEqual(6u, reader.ReadUInt32());
        Assert.AreEqual("1.2.0", reader.ReadTextString());
        Assert.AreEqual(7u, reader.ReadUInt32());
        Assert.AreEqual((ulong)Expiry, reader.ReadUInt64());
        Assert.AreEqual(8u, reader.ReadUInt32());
        Assert.AreEqual(1, reader.ReadStartArray());
        Assert.AreEqual(3, reader.ReadStartMap());
        Assert.AreEqual(1u, reader.ReadUInt32());
        Assert.AreEqual(0u, reader.ReadUInt32());
        Assert.AreEqual(2u, reader.ReadUInt32());
        Assert.AreEqual(2, reader.ReadStartArray());
        Assert.AreEqual(-16, reader.ReadInt32());
        CollectionAssert.AreEqual(SHA256.HashData(Image()), reader.ReadByteString());
        reader.ReadEndArray();
        Assert.AreEqual(3u, reader.ReadUInt32());
        Assert.AreEqual(4096u, reader.ReadUInt32());
        reader.ReadEndMap();
        reader.ReadEndArray();
        Assert.AreEqual(9u, reader.ReadUInt32());
        Assert.AreEqual("wave-1", reader.ReadTextString());
        reader.ReadEndMap();
        Assert.AreEqual(CborReaderState.Finished, reader.PeekState());
    }

    [TestMethod]
    public void Decode_RoundTripsEveryField()
    {
        var manifest = OtaManifest.Decode(Convert.FromHexString(SamplePayloadHex));
        Assert.AreEqual(1, manifest.ManifestVersion);
        Assert.AreEqual(Sequence, manifest.SequenceNumber);
        CollectionAssert.AreEqual(VendorId, manifest.GetVendorId());
        CollectionAssert.AreEqual(ClassId, manifest.GetClassId());
        Assert.AreEqual("1.4.0", manifest.FirmwareVersion);
        Assert.AreEqual("1.2.0", manifest.MinimumRunningVersion);
        Assert.AreEqual(Expiry, manifest.ExpiresAt);
        Assert.AreEqual("wave-1", manifest.RolloutId);
        Assert.AreEqual(1, manifest.ComponentCount);
        var component = manifest.GetComponent(0);
        Assert.AreEqual(ManifestComponentIds.ApplicationBundle, component.ComponentId);
        Assert.AreEqual(4096, component.Size);
        CollectionAssert.AreEqual(SHA256.HashData(Image()), component.GetDigest());
        CollectionAssert.AreEqual(Convert.FromHexString(SamplePayloadHex), manifest.Encode());
    }

    [TestMethod]
    public void ManifestWithoutRolloutId_AndSeveralComponents_RoundTrips()
    {
        var components = new[]
        {
            new ManifestComponent(ManifestComponentIds.ApplicationBundle, new byte[32], 0),
            new ManifestComponent(ManifestComponentIds.NativeImage, RandomNumberGenerator.GetBytes(32), ManifestComponent.MaxSize),
        };
        var manifest = Sample(sequence: ulong.MaxValue, rolloutId: string.Empty, components: components, firmwareVersion: "2.0.0-rc.1+build.5");
        var decoded = OtaManifest.Decode(manifest.Encode());
        Assert.AreEqual(ulong.MaxValue, decoded.SequenceNumber);
        Assert.AreEqual(string.Empty, decoded.RolloutId);
        Assert.AreEqual(2, decoded.ComponentCount);
        Assert.AreEqual(ManifestComponent.MaxSize, decoded.GetComponent(1).Size);
        Assert.AreEqual("2.0.0-rc.1+build.5", decoded.FirmwareVersion);
        CollectionAssert.AreEqual(manifest.Encode(), decoded.Encode());
    }

    [TestMethod]
    public void EveryTruncation_AndTrailingBytes_AreMalformed()
    {
        var payload = Convert.FromHexString(SamplePayloadHex);
        for (int length = 0; length < payload.Length; length++)
        {
            ExpectDecode(ManifestRejection.Malformed, payload[..length]);
        }

        ExpectDecode(ManifestRejection.Malformed, [.. payload, 0x00]);
    }

    [TestMethod]
    public void UnsupportedVersion_IsRefused_BeforeTheRestIsRead()
    {
        // Version 2 followed by nothing this decoder would understand.
        ExpectDecode(ManifestRejection.UnsupportedManifestVersion, Payload([(1, w => w.WriteUInt32(2)), (2, w => w.WriteTextString("?"))]));
    }

    [TestMethod]
    public void StructuralFaults_AreMalformed()
    {
        // Each row replaces (or, with a null writer, removes) one field of an otherwise valid manifest.
        var faults = new (int Key, Action<CborWriter>? Write)[]
        {
            (1, null),
            (2, null),
            (2, w => w.WriteInt32(-1)),
            (3, w => w.WriteByteString(new byte[15])),
            (4, w => w.WriteByteString(new byte[17])),
            (4, w => w.WriteTextString("class")),
            (5, w => w.WriteTextString("v1.4.0")),
            (5, w => w.WriteTextString("1.4")),
            (6, w => w.WriteTextString("01.2.0")),
            (6, w => w.WriteByteString([1])),
            (7, w => w.WriteInt32(-5)),
            (7, null),
            (8, w => { w.WriteStartArray(0); w.WriteEndArray(); }),
            (8, w => { w.WriteStartArray(5); for (int i = 0; i < 5; i++) { WriteComponent(w, i); } w.WriteEndArray(); }),
            (8, w => { w.WriteStartArray(2); WriteComponent(w, 0); WriteComponent(w, 0); w.WriteEndArray(); }),
            (8, w => { w.WriteStartArray(1); WriteComponent(w, 70000); w.WriteEndArray(); }),
            (8, w => { w.WriteStartArray(1); WriteComponent(w, 0, size: 0x1_0000_0000UL); w.WriteEndArray(); }),
            (8, w => { w.WriteStartArray(1); WriteComponent(w, 0, digestLength: 31); w.WriteEndArray(); }),
            (8, w => { w.WriteStartMap(0); w.WriteEndMap(); }),
            (9, w => w.WriteTextString(string.Empty)),
            (9, w => w.WriteTextString(new string('r', 65))),
            (10, w => w.WriteUInt32(0)),
            (-1, w => w.WriteUInt32(0)),
        };

        foreach (var (key, write) in faults)
        {
            var fields = Fields();
            if (write is null)
            {
                fields.Remove(key);
            }
            else
            {
                fields[key] = write;
            }

            ExpectDecode(ManifestRejection.Malformed, Payload(fields), "fault in key " + key);
        }
    }

    [TestMethod]
    public void ComponentFaults_AreMalformed_OrUnsupportedDigest()
    {
        var badShapes = new Action<CborWriter>[]
        {
            // Keys out of order within a component.
            w => { w.WriteStartMap(3); w.WriteUInt32(2); WriteDigest(w, -16, 32); w.WriteUInt32(1); w.WriteUInt32(0); w.WriteUInt32(3); w.WriteUInt32(1); w.WriteEndMap(); },

            // A fourth entry.
            w => { w.WriteStartMap(4); w.WriteUInt32(1); w.WriteUInt32(0); w.WriteUInt32(2); WriteDigest(w, -16, 32); w.WriteUInt32(3); w.WriteUInt32(1); w.WriteUInt32(4); w.WriteUInt32(1); w.WriteEndMap(); },

            // The digest as a bare byte string instead of a SUIT_Digest.
            w => { w.WriteStartMap(3); w.WriteUInt32(1); w.WriteUInt32(0); w.WriteUInt32(2); w.WriteByteString(new byte[32]); w.WriteUInt32(3); w.WriteUInt32(1); w.WriteEndMap(); },
        };
        foreach (var shape in badShapes)
        {
            var fields = Fields();
            fields[8] = w => { w.WriteStartArray(1); shape(w); w.WriteEndArray(); };
            ExpectDecode(ManifestRejection.Malformed, Payload(fields));
        }

        var sha512 = Fields();
        sha512[8] = w => { w.WriteStartArray(1); w.WriteStartMap(3); w.WriteUInt32(1); w.WriteUInt32(0); w.WriteUInt32(2); WriteDigest(w, -44, 32); w.WriteUInt32(3); w.WriteUInt32(1); w.WriteEndMap(); w.WriteEndArray(); };
        ExpectDecode(ManifestRejection.UnsupportedDigestAlgorithm, Payload(sha512));
    }

    [TestMethod]
    public void NonDeterministicEncodings_AreMalformed()
    {
        // The same manifest with keys out of order, or with a non-shortest integer, has
        // another encoding: refused, so that the signed bytes have one reading only.
        var fields = Fields();
        var swapped = new List<(int, Action<CborWriter>)>();
        foreach (var pair in fields)
        {
            swapped.Add((pair.Key, pair.Value));
        }

        (swapped[2], swapped[3]) = (swapped[3], swapped[2]);
        ExpectDecode(ManifestRejection.Malformed, Payload(swapped.ToArray()));

        var canonical = Sample().Encode();
        Assert.AreEqual(0x07, canonical[4], "sequence 7 as a one-byte head");
        byte[] nonShortest = [.. canonical[..4], 0x18, 0x07, .. canonical[5..]];
        ExpectDecode(ManifestRejection.Malformed, nonShortest);

        ExpectDecode(ManifestRejection.Malformed, [0x80]);
        ExpectDecode(ManifestRejection.Malformed, [0xA0]);
        ExpectDecode(ManifestRejection.Malformed, [0xF9, 0x3C, 0x00]);
    }

    [TestMethod]
    public void Constructor_RefusesInvalidReleases()
    {
        var component = new ManifestComponent(0, new byte[32], 1);
        Assert.ThrowsExactly<ArgumentException>(() => new OtaManifest(1, new byte[15], ClassId, "1.0.0", "1.0.0", Expiry, [component], string.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => new OtaManifest(1, VendorId, ClassId, "1.0", "1.0.0", Expiry, [component], string.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => new OtaManifest(1, VendorId, ClassId, "1.0.0", "1.0.0", Expiry, [], string.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => new OtaManifest(1, VendorId, ClassId, "1.0.0", "1.0.0", Expiry, [component, component], string.Empty));
        Assert.ThrowsExactly<ArgumentException>(() => new OtaManifest(1, VendorId, ClassId, "1.0.0", "1.0.0", Expiry, [component], new string('x', 65)));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new OtaManifest(1, VendorId, ClassId, "1.0.0", "1.0.0", -1, [component], string.Empty));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ManifestComponent(0, new byte[32], -1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new ManifestComponent(0x10000, new byte[32], 1));
        Assert.ThrowsExactly<ArgumentException>(() => new ManifestComponent(0, new byte[20], 1));
    }

    [TestMethod]
    public void ProtocolDocument_WorkedExample_IsTheKnownGoodVector()
    {
        // docs/protocols/ota-manifest.md shows these bytes as hex wrapped over lines.
        var document = File.ReadAllText(RepositoryPaths.Combine("docs", "protocols", "ota-manifest.md"));
        var compact = document.Replace("\n", string.Empty, StringComparison.Ordinal);
        foreach (var hex in new[] { SamplePayloadHex, SignedManifestHex, AnchorUpdatePayloadHex, SignedAnchorUpdateHex })
        {
            StringAssert.Contains(compact, hex);
        }
    }

    [TestMethod]
    public void ReasonNames_AreDistinct()
    {
        foreach (ManifestRejection reason in Enum.GetValues<ManifestRejection>())
        {
            Assert.AreEqual(reason.ToString(), ManifestRejectedException.ReasonName(reason));
        }
    }

    internal static void ExpectDecode(ManifestRejection reason, byte[] payload, string? because = null)
    {
        var ex = Assert.ThrowsExactly<ManifestRejectedException>(() => OtaManifest.Decode(payload), because ?? string.Empty);
        Assert.AreEqual(reason, ex.Reason, (because ?? string.Empty) + " " + ex.Message);
    }

    /// <summary>The sample's fields in key order, each as a writer action, for editing.</summary>
    private static SortedDictionary<int, Action<CborWriter>> Fields() => new()
    {
        [1] = w => w.WriteUInt32(1),
        [2] = w => w.WriteUInt64(Sequence),
        [3] = w => w.WriteByteString(VendorId),
        [4] = w => w.WriteByteString(ClassId),
        [5] = w => w.WriteTextString("1.4.0"),
        [6] = w => w.WriteTextString("1.2.0"),
        [7] = w => w.WriteUInt64((ulong)Expiry),
        [8] = w => { w.WriteStartArray(1); WriteComponent(w, 0); w.WriteEndArray(); },
        [9] = w => w.WriteTextString("wave-1"),
    };

    private static byte[] Payload(SortedDictionary<int, Action<CborWriter>> fields)
    {
        var list = new List<(int, Action<CborWriter>)>();
        foreach (var pair in fields)
        {
            list.Add((pair.Key, pair.Value));
        }

        return Payload(list.ToArray());
    }

    private static byte[] Payload((int Key, Action<CborWriter> Write)[] fields)
    {
        var writer = new CborWriter(CborConformanceMode.Lax);
        writer.WriteStartMap(fields.Length);
        foreach (var (key, write) in fields)
        {
            writer.WriteInt32(key);
            write(writer);
        }

        writer.WriteEndMap();
        return writer.Encode();
    }

    private static void WriteComponent(CborWriter w, int id, ulong size = 4096, int digestLength = 32)
    {
        w.WriteStartMap(3);
        w.WriteUInt32(1);
        w.WriteInt32(id);
        w.WriteUInt32(2);
        WriteDigest(w, -16, digestLength);
        w.WriteUInt32(3);
        w.WriteUInt64(size);
        w.WriteEndMap();
    }

    private static void WriteDigest(CborWriter w, int algorithm, int length)
    {
        w.WriteStartArray(2);
        w.WriteInt32(algorithm);
        w.WriteByteString(new byte[length]);
        w.WriteEndArray();
    }
}
