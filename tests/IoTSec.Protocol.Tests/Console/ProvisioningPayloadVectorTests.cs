using System;
using System.Collections.Generic;
using System.Formats.Cbor;
using System.Security.Cryptography;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// Known-good payload bytes for every provisioning command and answer: the worked example of
/// docs/protocols/console.md. Each vector was generated once by the portable encoder, checked
/// field by field with System.Formats.Cbor in canonical mode (an independent decoder that also
/// refuses non-shortest heads and unsorted keys), and frozen here.
/// </summary>
[TestClass]
public sealed class ProvisioningPayloadVectorTests
{
    public const string HelloRequest = "A10101";
    public const string HelloAnswer = "A30166496F545365630201037245535033322D323436463238413142324334";
    public const string InfoAnswer =
        "AB017245535033322D323436463238413142324334026D65737033322D6465766B6974630365312E342E32"
        + "045820000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"
        + "050006000701080209000A050BF4";
    public const string WriteCertificateRequest = "A3010C0200034C300A3008A003020102020101";
    public const string WriteCertificateAnswer = "A2010C02F5";
    public const string WriteKeyRequest =
        "A30118300200035830302E020100300506032B657004220420D4EE72DBF913584AD5B6D8F1F769F8AD3AFE7C28CBF1D4FBE097A88F44755842";
    public const string TrustAnchorItem =
        "82A30101024C300A3008A003020102020101034967772D726F6F742D31"
        + "A30102025828A301012006215820D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A03456F74612D31";
    public const string WriteTrustAnchorsRequest = "A30118520200035852" + TrustAnchorItem;
    public const string ConfigurationItem = "A5016A656E762D73656E736F720272677730312E706C616E742E6578616D706C65031920FB041922B30519012C";
    public const string WriteConfigurationRequest = "A301182D020003582D" + ConfigurationItem;
    public const string ReadBackAnswer =
        "A4015820E2727866A262994947ECBDD27FC93F3896F455C17D76D31E970CE4E423B9EBDB"
        + "02582080B885D1AF82668AD76D1C5A1A916B5BFC23D247E2F7F450E45B5C1024843E96"
        + "0358200A92CA107FB0F4B26F46C69AF4FF6B8AB3CC333CA4AE116C3433EF76B2EB92B4"
        + "0458202F10B1C815F84E1C020DB89F2F013097BA22C474C3816AD99E09C634D697CD4C";
    public const string ConfirmationRequest = "A1017245535033322D323436463238413142324334";
    public const string NotStagedDiagnostic = "A201782C636F6D6D6974206E65656473206269727468206B65792C20636F6E66696775726174696F6E20737461676564030A";
    public const string SecondChunkRequest = "A301190BB8021907D00343010203";

    [TestMethod]
    public void Hello_Request()
    {
        Assert.AreEqual(HelloRequest, Hex(ProvisioningPayloads.EncodeHello(1)));
        Assert.AreEqual(1, ProvisioningPayloads.DecodeRequest((byte)ConsoleCommand.Hello, Bytes(HelloRequest)).ProtocolVersion);
        var map = Independent(HelloRequest);
        Assert.AreEqual(1UL, map[1]);
    }

    [TestMethod]
    public void Hello_AsWholeFramesOnTheWire()
    {
        // docs/protocols/console.md, worked example: the payload inside the transport's frame
        // (CRC-32 and COBS computed independently with Python's zlib when the doc was written).
        var request = FrameWriter.ToWire(new ConsoleFrame(ConsoleFrameKind.Request, 0x0064, (byte)ConsoleCommand.Hello, Bytes(HelloRequest)));
        Assert.AreEqual("000301010364010903A101010B85353600", Hex(request));
        var answer = ConsoleFrameCodec.Encode(new ConsoleFrame(ConsoleFrameKind.Response, 0x0064, 0, Bytes(HelloAnswer)));
        Assert.AreEqual("0102006400001F" + HelloAnswer + "7F67DB60", Hex(answer));
    }

    [TestMethod]
    public void Hello_Answer()
    {
        Assert.AreEqual(HelloAnswer, Hex(new HelloResponse(1, ProvisioningSamples.HardwareId).Encode()));
        var hello = HelloResponse.Decode(Bytes(HelloAnswer));
        Assert.AreEqual(1, hello.ProtocolVersion);
        Assert.AreEqual(ProvisioningSamples.HardwareId, hello.HardwareId);
        var map = Independent(HelloAnswer);
        Assert.AreEqual("IoTSec", map[1]);
        Assert.AreEqual(1UL, map[2]);
        Assert.AreEqual(ProvisioningSamples.HardwareId, map[3]);
    }

    [TestMethod]
    [DataRow(ConsoleCommand.Info)]
    [DataRow(ConsoleCommand.ReadBack)]
    [DataRow(ConsoleCommand.Commit)]
    public void CommandsWithoutArguments_TakeAnEmptyPayload(ConsoleCommand command)
    {
        var request = ProvisioningPayloads.DecodeRequest((byte)command, []);
        Assert.AreEqual(command, request.Command);
        var e = Assert.ThrowsExactly<ProvisioningPayloadException>(() => ProvisioningPayloads.DecodeRequest((byte)command, [0xA0]));
        Assert.AreEqual(ProvisioningPayloadError.UnexpectedPayload, e.Reason);
    }

    [TestMethod]
    public void Info_Answer()
    {
        Assert.AreEqual(InfoAnswer, Hex(ProvisioningSamples.ExampleInfo.Encode()));
        var info = DeviceInfo.Decode(Bytes(InfoAnswer));
        Assert.AreEqual(ProvisioningSamples.HardwareId, info.HardwareId);
        Assert.AreEqual("esp32-devkitc", info.Board);
        Assert.AreEqual("1.4.2", info.FirmwareVersion);
        CollectionAssert.AreEqual(ProvisioningSamples.ExampleFirmwareDigest, info.GetFirmwareDigest());
        Assert.AreEqual(LifecycleState.Unprovisioned, info.Lifecycle);
        Assert.AreEqual(ProvisioningLock.Unlocked, info.Lock);
        Assert.AreEqual(HardeningState.Yes, info.SecureBoot);
        Assert.AreEqual(HardeningState.No, info.FlashEncryption);
        Assert.AreEqual(HardeningState.Unknown, info.DebugPortsDisabled);
        Assert.AreEqual(StagedItems.BirthCertificate | StagedItems.TrustAnchors, info.Staged);
        Assert.IsFalse(info.ReworkMode);

        var map = Independent(InfoAnswer);
        Assert.HasCount(11, map);
        Assert.AreEqual(ProvisioningSamples.HardwareId, map[1]);
        Assert.AreEqual("esp32-devkitc", map[2]);
        Assert.AreEqual("1.4.2", map[3]);
        CollectionAssert.AreEqual(ProvisioningSamples.ExampleFirmwareDigest, (byte[])map[4]);
        Assert.AreEqual(0UL, map[5]);
        Assert.AreEqual(0UL, map[6]);
        Assert.AreEqual(1UL, map[7]);
        Assert.AreEqual(2UL, map[8]);
        Assert.AreEqual(0UL, map[9]);
        Assert.AreEqual(5UL, map[10]);
        Assert.IsFalse((bool)map[11]);
    }

    [TestMethod]
    public void WriteBirthCertificate_Request_AndAnswer()
    {
        var certificate = ProvisioningSamples.ExampleCertificate;
        Assert.AreEqual(WriteCertificateRequest, Hex(new WriteChunk(certificate.Length, 0, certificate).Encode()));
        var request = ProvisioningPayloads.DecodeRequest((byte)ConsoleCommand.WriteBirthCertificate, Bytes(WriteCertificateRequest));
        Assert.AreEqual(StagedItems.BirthCertificate, request.Item);
        Assert.IsTrue(request.Chunk.IsWholeItem);
        CollectionAssert.AreEqual(certificate, request.Chunk.GetData());
        AssertChunk(WriteCertificateRequest, 12, 0, certificate);

        Assert.AreEqual(WriteCertificateAnswer, Hex(new WriteProgress(12, true).Encode()));
        var progress = WriteProgress.Decode(Bytes(WriteCertificateAnswer));
        Assert.AreEqual(12, progress.Received);
        Assert.IsTrue(progress.Staged);
        var map = Independent(WriteCertificateAnswer);
        Assert.AreEqual(12UL, map[1]);
        Assert.IsTrue((bool)map[2]);
    }

    [TestMethod]
    public void WriteBirthKey_Request_CarriesTheRfc8410Key()
    {
        var key = ProvisioningSamples.ExampleKey;
        Assert.AreEqual(WriteKeyRequest, Hex(new WriteChunk(key.Length, 0, key).Encode()));
        AssertChunk(WriteKeyRequest, 48, 0, key);

        // Independently: System.Formats.Asn1 reads it as PKCS#8 (RFC 5208 §5) for id-Ed25519.
        var outer = new System.Formats.Asn1.AsnReader(key, System.Formats.Asn1.AsnEncodingRules.DER);
        var info = outer.ReadSequence();
        Assert.IsFalse(outer.HasData);
        Assert.AreEqual(System.Numerics.BigInteger.Zero, info.ReadInteger());
        var algorithm = info.ReadSequence();
        Assert.AreEqual("1.3.101.112", algorithm.ReadObjectIdentifier(), "id-Ed25519 (RFC 8410)");
        Assert.HasCount(34, info.ReadOctetString());
    }

    [TestMethod]
    public void WriteTrustAnchors_Item_AndRequest()
    {
        var anchors = ProvisioningSamples.ExampleAnchors;
        Assert.AreEqual(TrustAnchorItem, Hex(anchors.Encode()));
        Assert.AreEqual(WriteTrustAnchorsRequest, Hex(new WriteChunk(82, 0, anchors.Encode()).Encode()));
        var request = ProvisioningPayloads.DecodeRequest((byte)ConsoleCommand.WriteTrustAnchors, Bytes(WriteTrustAnchorsRequest));
        Assert.IsNotNull(request.TrustAnchors);
        Assert.AreEqual(2, request.TrustAnchors.Count);
        Assert.AreEqual(TrustAnchorKind.GatewayRoot, request.TrustAnchors.Get(0).Kind);
        CollectionAssert.AreEqual("gw-root-1"u8.ToArray(), request.TrustAnchors.Get(0).GetKeyId());
        Assert.AreEqual(TrustAnchorKind.OtaSigningKey, request.TrustAnchors.Get(1).Kind);
        CollectionAssert.AreEqual(ProvisioningSamples.ExampleCoseKey, request.TrustAnchors.Get(1).GetValue());

        var reader = new CborReader(Bytes(TrustAnchorItem), CborConformanceMode.Canonical);
        Assert.AreEqual(2, reader.ReadStartArray());
        var first = ReadMap(reader);
        Assert.AreEqual(1UL, first[1]);
        CollectionAssert.AreEqual(ProvisioningSamples.ExampleCertificate, (byte[])first[2]);
        CollectionAssert.AreEqual("gw-root-1"u8.ToArray(), (byte[])first[3]);
        var second = ReadMap(reader);
        Assert.AreEqual(2UL, second[1]);
        CollectionAssert.AreEqual(ProvisioningSamples.ExampleCoseKey, (byte[])second[2]);
        CollectionAssert.AreEqual("ota-1"u8.ToArray(), (byte[])second[3]);
        reader.ReadEndArray();
        Assert.AreEqual(0, reader.BytesRemaining);
    }

    [TestMethod]
    public void WriteConfiguration_Item_AndRequest()
    {
        var configuration = ProvisioningSamples.ExampleConfiguration;
        Assert.AreEqual(ConfigurationItem, Hex(configuration.Encode()));
        Assert.AreEqual(WriteConfigurationRequest, Hex(new WriteChunk(45, 0, configuration.Encode()).Encode()));
        var request = ProvisioningPayloads.DecodeRequest((byte)ConsoleCommand.WriteConfiguration, Bytes(WriteConfigurationRequest));
        Assert.IsNotNull(request.Configuration);
        Assert.AreEqual("env-sensor", request.Configuration.DeviceClass);
        Assert.AreEqual("gw01.plant.example", request.Configuration.GatewayHost);
        Assert.AreEqual(8443, request.Configuration.GatewayPort);
        Assert.AreEqual(8883, request.Configuration.MqttPort);
        Assert.AreEqual(300, request.Configuration.HeartbeatIntervalSeconds);

        var map = Independent(ConfigurationItem);
        Assert.AreEqual("env-sensor", map[1]);
        Assert.AreEqual("gw01.plant.example", map[2]);
        Assert.AreEqual(8443UL, map[3]);
        Assert.AreEqual(8883UL, map[4]);
        Assert.AreEqual(300UL, map[5]);
    }

    [TestMethod]
    public void ReadBack_Answer_HoldsTheSha256OfEachExampleItem()
    {
        var digests = new StagedDigests(
            SHA256.HashData(ProvisioningSamples.ExampleCertificate),
            SHA256.HashData(ProvisioningSamples.ExampleKey),
            SHA256.HashData(Bytes(TrustAnchorItem)),
            SHA256.HashData(Bytes(ConfigurationItem)));
        Assert.AreEqual(ReadBackAnswer, Hex(digests.Encode()));

        var decoded = StagedDigests.Decode(Bytes(ReadBackAnswer));
        Assert.AreEqual(StagedItems.All, decoded.Present);
        Assert.IsTrue(decoded.Matches(StagedItems.BirthKey, SHA256.HashData(ProvisioningSamples.ExampleKey)));
        Assert.IsFalse(decoded.Matches(StagedItems.BirthKey, SHA256.HashData(ProvisioningSamples.ExampleCertificate)));

        var map = Independent(ReadBackAnswer);
        CollectionAssert.AreEqual(SHA256.HashData(ProvisioningSamples.ExampleCertificate), (byte[])map[1]);
        CollectionAssert.AreEqual(SHA256.HashData(ProvisioningSamples.ExampleKey), (byte[])map[2]);
        CollectionAssert.AreEqual(SHA256.HashData(Bytes(TrustAnchorItem)), (byte[])map[3]);
        CollectionAssert.AreEqual(SHA256.HashData(Bytes(ConfigurationItem)), (byte[])map[4]);
    }

    [TestMethod]
    public void ReadBack_Answer_LeavesOutItemsNotStaged()
    {
        var digests = new StagedDigests([], SHA256.HashData(ProvisioningSamples.ExampleKey), [], []);
        var decoded = StagedDigests.Decode(digests.Encode());
        Assert.AreEqual(StagedItems.BirthKey, decoded.Present);
        Assert.IsEmpty(decoded.Get(StagedItems.BirthCertificate));
        Assert.HasCount(1, Independent(Hex(digests.Encode())));
    }

    [TestMethod]
    [DataRow(ConsoleCommand.Lock)]
    [DataRow(ConsoleCommand.FactoryReset)]
    public void LockAndFactoryReset_Requests_NameTheDevice(ConsoleCommand command)
    {
        Assert.AreEqual(ConfirmationRequest, Hex(ProvisioningPayloads.EncodeConfirmation(ProvisioningSamples.HardwareId)));
        Assert.AreEqual(ProvisioningSamples.HardwareId, ProvisioningPayloads.DecodeRequest((byte)command, Bytes(ConfirmationRequest)).HardwareId);
        Assert.AreEqual(ProvisioningSamples.HardwareId, Independent(ConfirmationRequest)[1]);
    }

    [TestMethod]
    public void NotStaged_Diagnostic()
    {
        var diagnostic = new ProvisioningDiagnostic("commit needs birth key, configuration staged", ProvisioningPayloadError.None, StagedItems.BirthKey | StagedItems.Configuration);
        Assert.AreEqual(NotStagedDiagnostic, Hex(diagnostic.Encode()));
        var decoded = ProvisioningDiagnostic.Decode(Bytes(NotStagedDiagnostic));
        Assert.AreEqual(StagedItems.BirthKey | StagedItems.Configuration, decoded.Missing);
        Assert.AreEqual(ProvisioningPayloadError.None, decoded.PayloadError);
        var map = Independent(NotStagedDiagnostic);
        Assert.AreEqual("commit needs birth key, configuration staged", map[1]);
        Assert.AreEqual(10UL, map[3]);
    }

    [TestMethod]
    public void SecondChunk_OfA3000ByteItem()
    {
        Assert.AreEqual(SecondChunkRequest, Hex(new WriteChunk(3000, 2000, [1, 2, 3]).Encode()));
        AssertChunk(SecondChunkRequest, 3000, 2000, [1, 2, 3]);
        var request = ProvisioningPayloads.DecodeRequest((byte)ConsoleCommand.WriteBirthCertificate, Bytes(SecondChunkRequest));
        Assert.AreEqual(2000, request.Chunk.Offset);
        Assert.IsFalse(request.Chunk.IsWholeItem);
    }

    [TestMethod]
    public void ALargestChunk_FitsOneFrame()
    {
        var chunk = new WriteChunk(ProvisioningLimits.MaxTrustAnchorListLength, ProvisioningLimits.MaxTrustAnchorListLength - ProvisioningLimits.MaxChunkLength, new byte[ProvisioningLimits.MaxChunkLength]);
        Assert.IsLessThanOrEqualTo(ConsoleFrame.MaxPayloadLength, chunk.Encode().Length);
    }

    [TestMethod]
    public void DecodedItems_ReEncodeToTheSameBytes_SoTheDeviceHashesWhatTheToolSent()
    {
        CollectionAssert.AreEqual(Bytes(TrustAnchorItem), TrustAnchorList.Decode(Bytes(TrustAnchorItem)).Encode());
        CollectionAssert.AreEqual(Bytes(ConfigurationItem), ProvisioningConfiguration.Decode(Bytes(ConfigurationItem)).Encode());
        CollectionAssert.AreEqual(Bytes(InfoAnswer), DeviceInfo.Decode(Bytes(InfoAnswer)).Encode());
    }

    [TestMethod]
    public void Answers_SkipKeysANewerDeviceAdds()
    {
        // { 1: "IoTSec", 2: 1, 3: hardware id, 20: "extra" }
        var writer = new CborWriter(CborConformanceMode.Canonical);
        writer.WriteStartMap(4);
        writer.WriteInt32(1);
        writer.WriteTextString("IoTSec");
        writer.WriteInt32(2);
        writer.WriteInt32(1);
        writer.WriteInt32(3);
        writer.WriteTextString(ProvisioningSamples.HardwareId);
        writer.WriteInt32(20);
        writer.WriteTextString("extra");
        writer.WriteEndMap();
        Assert.AreEqual(ProvisioningSamples.HardwareId, HelloResponse.Decode(writer.Encode()).HardwareId);
    }

    internal static byte[] Bytes(string hex) => Convert.FromHexString(hex);

    internal static string Hex(byte[] bytes) => Convert.ToHexString(bytes);

    private static void AssertChunk(string hex, int total, int offset, byte[] data)
    {
        var map = Independent(hex);
        Assert.HasCount(3, map);
        Assert.AreEqual((ulong)total, map[1]);
        Assert.AreEqual((ulong)offset, map[2]);
        CollectionAssert.AreEqual(data, (byte[])map[3]);
    }

    /// <summary>Reads a map with unsigned keys by System.Formats.Cbor in canonical mode.</summary>
    private static Dictionary<ulong, object> Independent(string hex)
    {
        var reader = new CborReader(Bytes(hex), CborConformanceMode.Canonical);
        var map = ReadMap(reader);
        Assert.AreEqual(0, reader.BytesRemaining, "one item, nothing after it");
        return map;
    }

    private static Dictionary<ulong, object> ReadMap(CborReader reader)
    {
        var map = new Dictionary<ulong, object>();
        int? count = reader.ReadStartMap();
        for (int i = 0; i < count; i++)
        {
            ulong key = reader.ReadUInt64();
            map[key] = reader.PeekState() switch
            {
                CborReaderState.UnsignedInteger => reader.ReadUInt64(),
                CborReaderState.TextString => reader.ReadTextString(),
                CborReaderState.ByteString => reader.ReadByteString(),
                CborReaderState.Boolean => reader.ReadBoolean(),
                var other => throw new AssertFailedException("unexpected " + other),
            };
        }

        reader.ReadEndMap();
        return map;
    }
}
