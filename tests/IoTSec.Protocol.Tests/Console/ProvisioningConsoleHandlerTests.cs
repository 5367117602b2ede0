using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Console.CborBuilder;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// The device's handler called directly, request by request: chunk reassembly, the order in
/// which rules refuse, and what each refusal says.
/// </summary>
[TestClass]
public sealed class ProvisioningConsoleHandlerTests
{
    private readonly InMemoryProvisioningTarget _target = new();
    private readonly ProvisioningConsoleHandler _handler;

    public ProvisioningConsoleHandlerTests()
    {
        _handler = new ProvisioningConsoleHandler(_target);
    }

    [TestMethod]
    public void Chunks_AreReassembled_AndTheItemIsStagedWhenComplete()
    {
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        int total = certificate.Length;

        var first = Ok(ConsoleCommand.WriteBirthCertificate, Chunk(total, 0, certificate[..1500]));
        Assert.AreEqual(1500, WriteProgress.Decode(first).Received);
        Assert.IsFalse(WriteProgress.Decode(first).Staged);
        Assert.AreEqual(StagedItems.BirthCertificate, _handler.TransferInProgress);
        Assert.AreEqual(StagedItems.None, _target.Staged, "nothing is staged until the item is complete");

        var last = WriteProgress.Decode(Ok(ConsoleCommand.WriteBirthCertificate, Chunk(total, 1500, certificate[1500..])));
        Assert.AreEqual(total, last.Received);
        Assert.IsTrue(last.Staged);
        Assert.AreEqual(StagedItems.None, _handler.TransferInProgress);
        CollectionAssert.AreEqual(SHA256.HashData(certificate), _target.GetStagedDigests().Get(StagedItems.BirthCertificate));
    }

    [TestMethod]
    [DataRow(1800, DisplayName = "a gap")]
    [DataRow(1000, DisplayName = "an overlap")]
    [DataRow(1499, DisplayName = "one byte back")]
    [DataRow(1501, DisplayName = "one byte ahead")]
    public void AChunkNotWhereTheLastEnded_IsRefused_AndAbandonsTheTransfer(int offset)
    {
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 0, certificate[..1500]));

        AssertBadPayload(ProvisioningPayloadError.ChunkOutOfOrder, ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, offset, certificate[offset..]));
        Assert.AreEqual(StagedItems.None, _handler.TransferInProgress);

        // The chunk that would have been right is refused too now: start again at 0.
        AssertBadPayload(ProvisioningPayloadError.ChunkOutOfOrder, ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 1500, certificate[1500..]));
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 0, certificate[..1500]));
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 1500, certificate[1500..]));
        CollectionAssert.AreEqual(SHA256.HashData(certificate), _target.GetStagedDigests().Get(StagedItems.BirthCertificate));
    }

    [TestMethod]
    public void AChunkWithoutATransfer_IsRefused()
    {
        AssertBadPayload(ProvisioningPayloadError.ChunkOutOfOrder, ConsoleCommand.WriteBirthKey, Chunk(100, 50, new byte[50]));
    }

    [TestMethod]
    public void AChunkOfAnotherItem_WhileOneIsInProgress_IsRefused()
    {
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 0, certificate[..1500]));
        AssertBadPayload(ProvisioningPayloadError.ChunkOutOfOrder, ConsoleCommand.WriteBirthKey, Chunk(certificate.Length, 1500, certificate[1500..]));
        Assert.AreEqual(StagedItems.None, _handler.TransferInProgress);
    }

    [TestMethod]
    public void AChangedTotal_IsRefused()
    {
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 0, certificate[..1500]));
        AssertBadPayload(ProvisioningPayloadError.TotalLengthChanged, ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length + 1, 1500, certificate[1500..]));
    }

    [TestMethod]
    public void AChunkAtOffsetZero_RestartsTheTransfer()
    {
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 0, new byte[1500]));
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 0, certificate[..1500]));
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 1500, certificate[1500..]));
        CollectionAssert.AreEqual(SHA256.HashData(certificate), _target.GetStagedDigests().Get(StagedItems.BirthCertificate));
    }

    [TestMethod]
    [DataRow(ConsoleCommand.WriteBirthCertificate, ProvisioningLimits.MaxBirthCertificateLength)]
    [DataRow(ConsoleCommand.WriteBirthKey, ProvisioningLimits.MaxBirthKeyLength)]
    [DataRow(ConsoleCommand.WriteTrustAnchors, ProvisioningLimits.MaxTrustAnchorListLength)]
    [DataRow(ConsoleCommand.WriteConfiguration, ProvisioningLimits.MaxConfigurationLength)]
    public void ATotalOverTheItemsLimit_IsRefused_BeforeAnythingIsAllocated(ConsoleCommand command, int limit)
    {
        Ok(command, Chunk(limit, 0, new byte[1]));
        AssertBadPayload(ProvisioningPayloadError.ItemTooLarge, command, Chunk(limit + 1, 0, new byte[1]));
        AssertBadPayload(ProvisioningPayloadError.ItemTooLarge, command, Map((1, ulong.MaxValue), (2, 0), (3, new byte[1])));
    }

    [TestMethod]
    public void AnInvalidItem_IsRefusedWhenComplete_AndNotStaged()
    {
        var pem = System.Text.Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n");
        AssertBadPayload(ProvisioningPayloadError.NotDer, ConsoleCommand.WriteBirthCertificate, WholeChunk(pem));
        Assert.AreEqual(StagedItems.None, _target.Staged);
    }

    [TestMethod]
    public void BirthKeys_MustBePkcs8()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        AssertBadPayload(ProvisioningPayloadError.NotPkcs8, ConsoleCommand.WriteBirthKey, WholeChunk(rsa.ExportRSAPrivateKey()));
        AssertBadPayload(ProvisioningPayloadError.NotPkcs8, ConsoleCommand.WriteBirthKey, WholeChunk(ec.ExportECPrivateKey()));
        AssertBadPayload(ProvisioningPayloadError.NotDer, ConsoleCommand.WriteBirthKey, WholeChunk(ec.ExportEncryptedPkcs8PrivateKey("x"u8, new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1))[..^1]));

        Ok(ConsoleCommand.WriteBirthKey, WholeChunk(rsa.ExportPkcs8PrivateKey()));
        Ok(ConsoleCommand.WriteBirthKey, WholeChunk(ec.ExportPkcs8PrivateKey()));
        CollectionAssert.AreEqual(SHA256.HashData(ec.ExportPkcs8PrivateKey()), _target.GetStagedDigests().Get(StagedItems.BirthKey));
    }

    [TestMethod]
    public void TheKeyBuffer_IsHandedToTheTarget_AndWipedByIt()
    {
        // The reference target clears the array it was given, as IProvisioningTarget asks.
        var key = ProvisioningSamples.P256Identity().Key;
        Ok(ConsoleCommand.WriteBirthKey, WholeChunk(key));
        Assert.AreEqual(StagedItems.BirthKey, _target.Staged);
    }

    [TestMethod]
    public void Commit_IsRefused_WhileAChunkedWriteIsIncomplete()
    {
        StageAll();
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        Ok(ConsoleCommand.WriteBirthCertificate, Chunk(certificate.Length, 0, certificate[..1500]));

        var diagnostic = Refused(ConsoleStatus.NotStaged, ConsoleCommand.Commit, []);
        StringAssert.Contains(diagnostic.Message, "birth certificate is incomplete");
        Assert.AreEqual(0, _target.Commits);
    }

    [TestMethod]
    public void Lock_NeedsACommittedIdentity_AndNothingStaged()
    {
        var confirmation = ProvisioningPayloads.EncodeConfirmation(_target.HardwareId);
        StringAssert.Contains(Refused(ConsoleStatus.NotStaged, ConsoleCommand.Lock, confirmation).Message, "nothing is committed");
        StageAll();
        Ok(ConsoleCommand.Commit, []);
        Ok(ConsoleCommand.WriteConfiguration, WholeChunk(ProvisioningSamples.ExampleConfiguration.Encode()));
        StringAssert.Contains(Refused(ConsoleStatus.NotStaged, ConsoleCommand.Lock, confirmation).Message, "configuration staged but not committed");
        Ok(ConsoleCommand.FactoryReset, confirmation);
        Assert.AreEqual(LifecycleState.Unprovisioned, _target.Lifecycle);
    }

    [TestMethod]
    public void TheLockGate_ComesBeforeThePayload()
    {
        StageAll();
        Ok(ConsoleCommand.Commit, []);
        Ok(ConsoleCommand.Lock, ProvisioningPayloads.EncodeConfirmation(_target.HardwareId));

        // Garbage to a locked device is answered Locked, not BadPayload: the lock is what matters.
        Refused(ConsoleStatus.Locked, ConsoleCommand.WriteBirthKey, [0xFF, 0x00]);
        Refused(ConsoleStatus.Locked, ConsoleCommand.FactoryReset, [0xFF]);
        Assert.AreEqual(0, _handler.PayloadsRefused);
        Assert.AreEqual(ConsoleStatus.Locked, _handler.LastRefusalStatus);
    }

    [TestMethod]
    public void LockAndReset_OfAnotherDevice_AreRefused()
    {
        StageAll();
        Ok(ConsoleCommand.Commit, []);
        var other = ProvisioningPayloads.EncodeConfirmation("STM32-0042");
        Assert.AreEqual(ProvisioningPayloadError.HardwareIdMismatch, Refused(ConsoleStatus.BadPayload, ConsoleCommand.Lock, other).PayloadError);
        Assert.AreEqual(ProvisioningPayloadError.HardwareIdMismatch, Refused(ConsoleStatus.BadPayload, ConsoleCommand.FactoryReset, other).PayloadError);
        Assert.AreEqual(ProvisioningLock.Unlocked, _target.Lock);
        Assert.AreEqual(0, _target.FactoryResets);
    }

    [TestMethod]
    public void ReadBack_WithNothingStaged_IsRefused()
    {
        StringAssert.Contains(Refused(ConsoleStatus.NotStaged, ConsoleCommand.ReadBack, []).Message, "nothing is staged");
    }

    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(7, 1)]
    [DataRow(255, 1)]
    public void Hello_AnswersTheLowerVersion(int toolVersion, int answered)
    {
        var hello = HelloResponse.Decode(Ok(ConsoleCommand.Hello, ProvisioningPayloads.EncodeHello(toolVersion)));
        Assert.AreEqual(answered, hello.ProtocolVersion);
        Assert.AreEqual(_target.HardwareId, hello.HardwareId);
    }

    [TestMethod]
    public void AnUnknownCommand_IsAnsweredUnknownCommand()
    {
        Assert.AreEqual((byte)ConsoleStatus.UnknownCommand, _handler.Handle(0x7E, [], out var response));
        StringAssert.Contains(ProvisioningDiagnostic.Decode(response).Message, "0x7E");
    }

    [TestMethod]
    public void FactoryReset_AbandonsATransferInProgress()
    {
        Ok(ConsoleCommand.WriteTrustAnchors, Chunk(3000, 0, new byte[100]));
        Ok(ConsoleCommand.FactoryReset, ProvisioningPayloads.EncodeConfirmation(_target.HardwareId));
        Assert.AreEqual(StagedItems.None, _handler.TransferInProgress);
    }

    private static byte[] Chunk(int total, int offset, byte[] data) => Map((1, total), (2, offset), (3, data));

    private void StageAll()
    {
        var (certificate, key) = ProvisioningSamples.P256Identity();
        Ok(ConsoleCommand.WriteBirthCertificate, WholeChunk(certificate));
        Ok(ConsoleCommand.WriteBirthKey, WholeChunk(key));
        Ok(ConsoleCommand.WriteTrustAnchors, WholeChunk(ProvisioningSamples.ExampleAnchors.Encode()));
        Ok(ConsoleCommand.WriteConfiguration, WholeChunk(ProvisioningSamples.ExampleConfiguration.Encode()));
    }

    private byte[] Ok(ConsoleCommand command, byte[] payload)
    {
        byte status = _handler.Handle((byte)command, payload, out var response);
        Assert.AreEqual((byte)ConsoleStatus.Ok, status, ConsoleNames.Status(status) + ": " + (status == 0 ? string.Empty : ProvisioningDiagnostic.Decode(response).Message));
        return response;
    }

    private ProvisioningDiagnostic Refused(ConsoleStatus expected, ConsoleCommand command, byte[] payload)
    {
        byte status = _handler.Handle((byte)command, payload, out var response);
        var diagnostic = ProvisioningDiagnostic.Decode(response);
        Assert.AreEqual((byte)expected, status, diagnostic.Message);
        Assert.AreEqual(diagnostic.Message, _handler.LastRefusal);
        return diagnostic;
    }

    private void AssertBadPayload(ProvisioningPayloadError reason, ConsoleCommand command, byte[] payload)
    {
        var diagnostic = Refused(ConsoleStatus.BadPayload, command, payload);
        Assert.AreEqual(reason, diagnostic.PayloadError, diagnostic.Message);
        Assert.AreEqual(reason, _handler.LastPayloadError);
    }
}
