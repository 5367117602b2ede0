using System;
using System.Security.Cryptography;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// The technicians' tool (<see cref="ProvisioningConsoleClient"/>) against a simulated device
/// (<see cref="ProvisioningConsoleHandler"/> over <see cref="InMemoryProvisioningTarget"/>)
/// across the in-memory serial line the console transport tests use (<see cref="LossyLine"/>).
/// </summary>
[TestClass]
public sealed class ProvisioningConsoleEndToEndTests
{
    private const string HardwareId = ProvisioningSamples.HardwareId;

    [TestMethod]
    public void ADevice_IsProvisionedVerifiedCommittedAndLocked()
    {
        var target = new InMemoryProvisioningTarget();
        using var line = new LossyLine(new ProvisioningConsoleHandler(target), LossProfile.None, LossProfile.None, seed: 11);
        var tool = new ProvisioningConsoleClient(line.NewClient(100, 2000, 0));
        var (certificate, key) = ProvisioningSamples.P256Identity();
        var anchors = ProvisioningSamples.ExampleAnchors;
        var configuration = ProvisioningSamples.ExampleConfiguration;

        var hello = tool.Hello();
        Assert.AreEqual(HardwareId, hello.HardwareId);
        var before = tool.GetInfo();
        Assert.AreEqual(LifecycleState.Unprovisioned, before.Lifecycle);
        Assert.AreEqual(StagedItems.None, before.Staged);

        var sentCertificate = tool.WriteBirthCertificate(certificate);
        var sentKey = tool.WriteBirthKey(key);
        var sentAnchors = tool.WriteTrustAnchors(anchors);
        var sentConfiguration = tool.WriteConfiguration(configuration);
        Assert.AreEqual(StagedItems.All, tool.GetInfo().Staged);

        // The tool verifies what the device holds without the key ever coming back.
        var readBack = tool.ReadBack();
        CollectionAssert.AreEqual(SHA256.HashData(certificate), readBack.Get(StagedItems.BirthCertificate));
        CollectionAssert.AreEqual(SHA256.HashData(key), readBack.Get(StagedItems.BirthKey));
        CollectionAssert.AreEqual(SHA256.HashData(anchors.Encode()), readBack.Get(StagedItems.TrustAnchors));
        CollectionAssert.AreEqual(SHA256.HashData(configuration.Encode()), readBack.Get(StagedItems.Configuration));
        Assert.IsTrue(readBack.Matches(StagedItems.BirthCertificate, sentCertificate));
        Assert.IsTrue(readBack.Matches(StagedItems.BirthKey, sentKey));
        Assert.IsTrue(readBack.Matches(StagedItems.TrustAnchors, sentAnchors));
        Assert.IsTrue(readBack.Matches(StagedItems.Configuration, sentConfiguration));

        tool.Commit();
        var committed = tool.GetInfo();
        Assert.AreEqual(LifecycleState.Provisioned, committed.Lifecycle);
        Assert.AreEqual(StagedItems.None, committed.Staged);
        CollectionAssert.AreEqual(certificate, target.ActiveCertificate);
        CollectionAssert.AreEqual(key, target.ActiveKey);
        CollectionAssert.AreEqual(anchors.Encode(), target.ActiveAnchors);
        CollectionAssert.AreEqual(configuration.Encode(), target.ActiveConfiguration);

        tool.Lock(committed.HardwareId);
        Assert.AreEqual(ProvisioningLock.Locked, tool.GetInfo().Lock);
        Assert.AreEqual(1, target.Commits);
    }

    [TestMethod]
    [DataRow(ProvisioningLimits.MaxChunkLength)]
    [DataRow(700)]
    public void A3KBCertificate_IsWrittenInChunks_AndReadBackMatches(int chunkLength)
    {
        var target = new InMemoryProvisioningTarget();
        var handler = new ProvisioningConsoleHandler(target);
        using var line = new LossyLine(handler, LossProfile.None, LossProfile.None, seed: 12);
        var session = line.NewClient(200, 2000, 0);
        var tool = new ProvisioningConsoleClient(session) { ChunkLength = chunkLength };
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        Assert.IsTrue(certificate.Length is > ConsoleFrame.MaxPayloadLength and <= ProvisioningLimits.MaxBirthCertificateLength, certificate.Length.ToString());

        ushort first = session.NextSequence;
        var digest = tool.WriteBirthCertificate(certificate);

        int chunks = (certificate.Length + chunkLength - 1) / chunkLength;
        Assert.AreEqual(chunks, (ushort)(session.NextSequence - first), "one request per chunk");
        CollectionAssert.AreEqual(SHA256.HashData(certificate), digest);
        CollectionAssert.AreEqual(SHA256.HashData(certificate), tool.ReadBack().Get(StagedItems.BirthCertificate));
        Assert.AreEqual(StagedItems.None, handler.TransferInProgress);
    }

    [TestMethod]
    public void ALockedDevice_RefusesWritesCommitLockAndReset_ButStillAnswersHelloAndInfo()
    {
        var target = new InMemoryProvisioningTarget();
        using var line = new LossyLine(new ProvisioningConsoleHandler(target), LossProfile.None, LossProfile.None, seed: 13);
        var tool = new ProvisioningConsoleClient(line.NewClient(300, 2000, 0));
        ProvisionAndLock(tool);

        var certificate = ProvisioningSamples.P256Identity().Certificate;
        AssertRefused(ConsoleStatus.Locked, () => tool.WriteBirthCertificate(certificate));
        AssertRefused(ConsoleStatus.Locked, () => tool.WriteBirthKey(ProvisioningSamples.ExampleKey));
        AssertRefused(ConsoleStatus.Locked, () => tool.WriteTrustAnchors(ProvisioningSamples.ExampleAnchors));
        AssertRefused(ConsoleStatus.Locked, () => tool.WriteConfiguration(ProvisioningSamples.ExampleConfiguration));
        AssertRefused(ConsoleStatus.Locked, tool.Commit);
        AssertRefused(ConsoleStatus.Locked, () => tool.Lock(HardwareId));
        var reset = AssertRefused(ConsoleStatus.Locked, () => tool.FactoryReset(HardwareId));
        StringAssert.Contains(reset.DeviceMessage, "rework strap");

        Assert.AreEqual(HardwareId, tool.Hello().HardwareId);
        var info = tool.GetInfo();
        Assert.AreEqual(ProvisioningLock.Locked, info.Lock);
        Assert.AreEqual(LifecycleState.Provisioned, info.Lifecycle);
        AssertRefused(ConsoleStatus.NotStaged, () => tool.ReadBack());
        Assert.AreEqual(0, target.FactoryResets);
        Assert.AreEqual(1, target.Commits);
    }

    [TestMethod]
    public void TheReworkStrap_IsThePhysicalWayBack_FromALockedDevice()
    {
        var target = new InMemoryProvisioningTarget();
        using var line = new LossyLine(new ProvisioningConsoleHandler(target), LossProfile.None, LossProfile.None, seed: 14);
        var tool = new ProvisioningConsoleClient(line.NewClient(400, 2000, 0));
        ProvisionAndLock(tool);

        // The board rebooted with its rework strap held: the firmware reports it in Info.
        target.ReworkStrapHeld = true;
        Assert.IsTrue(tool.GetInfo().ReworkMode);
        AssertRefused(ConsoleStatus.Locked, () => tool.WriteConfiguration(ProvisioningSamples.ExampleConfiguration));
        var wrongDevice = AssertRefused(ConsoleStatus.BadPayload, () => tool.FactoryReset("STM32-0000"));
        Assert.AreEqual(ProvisioningPayloadError.HardwareIdMismatch, wrongDevice.PayloadError);

        tool.FactoryReset(HardwareId);

        var info = tool.GetInfo();
        Assert.AreEqual(ProvisioningLock.Unlocked, info.Lock);
        Assert.AreEqual(LifecycleState.Unprovisioned, info.Lifecycle);
        Assert.IsEmpty(target.ActiveKey);
        Assert.AreEqual(1, target.FactoryResets);
    }

    [TestMethod]
    public void Commit_IsRefused_WhileAnItemIsMissing_AndNamesWhatIsMissing()
    {
        var target = new InMemoryProvisioningTarget();
        using var line = new LossyLine(new ProvisioningConsoleHandler(target), LossProfile.None, LossProfile.None, seed: 15);
        var tool = new ProvisioningConsoleClient(line.NewClient(500, 2000, 0));

        var none = AssertRefused(ConsoleStatus.NotStaged, tool.Commit);
        Assert.AreEqual(StagedItems.All, none.MissingItems);

        tool.WriteBirthCertificate(ProvisioningSamples.P256Identity().Certificate);
        tool.WriteConfiguration(ProvisioningSamples.ExampleConfiguration);
        var some = AssertRefused(ConsoleStatus.NotStaged, tool.Commit);
        Assert.AreEqual(StagedItems.BirthKey | StagedItems.TrustAnchors, some.MissingItems);
        StringAssert.Contains(some.Message, "birth key, trust anchors");

        AssertRefused(ConsoleStatus.NotStaged, () => tool.Lock(HardwareId));
        Assert.AreEqual(0, target.Commits);
        Assert.AreEqual(LifecycleState.Unprovisioned, tool.GetInfo().Lifecycle);
    }

    [TestMethod]
    public void ARestagedItem_ReplacesTheEarlierOne()
    {
        var target = new InMemoryProvisioningTarget();
        using var line = new LossyLine(new ProvisioningConsoleHandler(target), LossProfile.None, LossProfile.None, seed: 16);
        var tool = new ProvisioningConsoleClient(line.NewClient(600, 2000, 0));
        var first = ProvisioningSamples.P256Identity("CN=first").Certificate;
        var second = ProvisioningSamples.P256Identity("CN=second").Certificate;

        tool.WriteBirthCertificate(first);
        tool.WriteBirthCertificate(second);

        CollectionAssert.AreEqual(SHA256.HashData(second), tool.ReadBack().Get(StagedItems.BirthCertificate));
    }

    [TestMethod]
    public void AStorageFault_IsReportedAsTransient_AndTheWriteSucceedsWhenRepeated()
    {
        var target = new InMemoryProvisioningTarget { FailNextStage = true };
        using var line = new LossyLine(new ProvisioningConsoleHandler(target), LossProfile.None, LossProfile.None, seed: 17);
        var tool = new ProvisioningConsoleClient(line.NewClient(700, 2000, 0));
        var key = ProvisioningSamples.P256Identity().Key;

        var fault = AssertRefused(ConsoleStatus.InternalError, () => tool.WriteBirthKey(key));
        Assert.IsTrue(fault.IsTransient);

        tool.WriteBirthKey(key);
        CollectionAssert.AreEqual(SHA256.HashData(key), tool.ReadBack().Get(StagedItems.BirthKey));
        Assert.AreEqual(1, line.Server.HandlerFaults);
    }

    [TestMethod]
    public void Provisioning_SurvivesALossyLine_AndCommitsOnce()
    {
        var target = new InMemoryProvisioningTarget();
        using var line = new LossyLine(new ProvisioningConsoleHandler(target), LossProfile.Moderate, LossProfile.Moderate, seed: 18);
        var tool = new ProvisioningConsoleClient(line.NewClient(800, 250, 12)) { ChunkLength = 600 };
        var certificate = ProvisioningSamples.LargeCertificate(3000);
        var key = ProvisioningSamples.P256Identity().Key;

        Assert.AreEqual(HardwareId, tool.Hello().HardwareId);
        tool.WriteBirthCertificate(certificate);
        tool.WriteBirthKey(key);
        tool.WriteTrustAnchors(ProvisioningSamples.ExampleAnchors);
        tool.WriteConfiguration(ProvisioningSamples.ExampleConfiguration);
        var readBack = tool.ReadBack();
        Assert.IsTrue(readBack.Matches(StagedItems.BirthCertificate, SHA256.HashData(certificate)));
        Assert.IsTrue(readBack.Matches(StagedItems.BirthKey, SHA256.HashData(key)));
        tool.Commit();
        tool.Lock(HardwareId);

        Assert.AreEqual(1, target.Commits, "a retransmitted Commit is answered from the replay cache");
        CollectionAssert.AreEqual(certificate, target.ActiveCertificate);
        Assert.AreEqual(ProvisioningLock.Locked, target.GetInfo().Lock);
        Assert.IsGreaterThan(0, line.ToDevice.Dropped + line.ToDevice.Corrupted + line.ToTool.Dropped + line.ToTool.Corrupted, "the line did lose frames");
    }

    [TestMethod]
    public void ThePortScan_TellsAnIoTSecDevice_FromSomethingElse()
    {
        using var line = new LossyLine(new ForeignDevice(), LossProfile.None, LossProfile.None, seed: 19);
        var tool = new ProvisioningConsoleClient(line.NewClient(900, 1000, 0));
        var e = Assert.ThrowsExactly<ProvisioningPayloadException>(() => tool.Hello());
        Assert.AreEqual(ProvisioningPayloadError.BadMagic, e.Reason);
    }

    [TestMethod]
    public void TheClient_RefusesWhatTheDeviceWouldRefuse_BeforeSendingIt()
    {
        using var line = new LossyLine(new ProvisioningConsoleHandler(new InMemoryProvisioningTarget()), LossProfile.None, LossProfile.None, seed: 20);
        var session = line.NewClient(1000, 1000, 0);
        var tool = new ProvisioningConsoleClient(session);
        var pem = System.Text.Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        using var rsa = RSA.Create(2048);

        Assert.AreEqual(ProvisioningPayloadError.NotDer, Assert.ThrowsExactly<ProvisioningPayloadException>(() => tool.WriteBirthCertificate(pem)).Reason);
        Assert.AreEqual(ProvisioningPayloadError.NotPkcs8, Assert.ThrowsExactly<ProvisioningPayloadException>(() => tool.WriteBirthKey(rsa.ExportRSAPrivateKey())).Reason);
        Assert.AreEqual(ProvisioningPayloadError.ItemTooLarge, Assert.ThrowsExactly<ProvisioningPayloadException>(() => tool.WriteBirthCertificate(ProvisioningSamples.LargeCertificate(5000))).Reason);
        Assert.AreEqual(1000, session.NextSequence, "nothing was sent");
    }

    private static void ProvisionAndLock(ProvisioningConsoleClient tool)
    {
        var (certificate, key) = ProvisioningSamples.P256Identity();
        tool.WriteBirthCertificate(certificate);
        tool.WriteBirthKey(key);
        tool.WriteTrustAnchors(ProvisioningSamples.ExampleAnchors);
        tool.WriteConfiguration(ProvisioningSamples.ExampleConfiguration);
        tool.Commit();
        tool.Lock(HardwareId);
    }

    private static ProvisioningRefusedException AssertRefused(ConsoleStatus status, Action action)
    {
        var e = Assert.ThrowsExactly<ProvisioningRefusedException>(action);
        Assert.AreEqual(status, e.Status, e.Message);
        Assert.IsInstanceOfType<ConsoleProtocolException>(e.InnerException);
        return e;
    }

    /// <summary>Something else on a serial port that speaks the framing but is no IoTSec device.</summary>
    private sealed class ForeignDevice : IConsoleCommandHandler
    {
        public byte Handle(byte command, byte[] payload, out byte[] response)
        {
            response = [0xA2, 0x01, 0x65, (byte)'O', (byte)'t', (byte)'h', (byte)'e', (byte)'r', 0x02, 0x01];
            return (byte)ConsoleStatus.Ok;
        }
    }
}
