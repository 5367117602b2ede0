using System;
using System.IO;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Ota;

/// <summary>The trial boot: attempts are spent before the image runs, an unconfirmed image is reverted, confirm advances the counter.</summary>
[TestClass]
public sealed class TrialBootTests
{
    private static readonly byte[] FactoryBundle = OtaTestDevice.Bundle(1);
    private static readonly byte[] NewBundle = OtaTestDevice.Bundle(2);

    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = TempDirectory.Create("iotsec-ota-trial-");

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestMethod]
    public void TrialThatNeverConfirms_IsRevertedAfterItsAttempts()
    {
        var device = OfferedAndRebooted(trialAttempts: 3);
        for (int attempt = 1; attempt <= 3; attempt++)
        {
            var trial = device.Decide();
            Assert.AreEqual(BootAction.RunTrial, trial.Action, "attempt " + attempt);
            Assert.AreEqual(FirmwareSlot.B, trial.Slot);
            Assert.IsTrue(device.Status().TrialBootPending);
            Assert.AreEqual(PostureFlags.TrialBootPending, device.Status().PostureFlags);

            // The new image hangs or crashes before it confirms.
            device.Boot();
        }

        var revert = device.Decide();
        Assert.AreEqual(BootAction.RevertAndRunActive, revert.Action);
        Assert.AreEqual(FirmwareSlot.A, revert.Slot);
        var status = device.Status();
        Assert.AreEqual(RefusalCode.TrialBootFailed, status.LastRefusal);
        Assert.IsTrue(status.UpdateReverted);
        Assert.IsFalse(status.TrialBootPending);
        Assert.AreEqual(0UL, status.SecurityCounter, "a reverted update must not advance the counter");
        Assert.AreEqual("1.0.0", status.RunningImage!.Version);

        Assert.AreEqual(LifecycleState.Updating, device.Lifecycle().Current);
        Assert.AreEqual(OfferOutcome.Idle, device.Agent(new ArrayFirmwareSource(NewBundle)).ResumeAfterBoot(OtaTestDevice.Now));
        Assert.AreEqual(LifecycleState.Operating, device.Lifecycle().Current, "after a revert the device operates again");

        device.Boot();
        Assert.AreEqual(BootAction.RunActive, device.Decide().Action);
        CollectionAssert.AreEqual(FactoryBundle, device.ReadSlot(SlotNames.SlotA));
        Assert.IsFalse(device.Agent(new ArrayFirmwareSource(NewBundle)).Confirm(), "the reverted image can no longer confirm");
    }

    [TestMethod]
    public void ConfirmedTrial_BecomesActive_AndAdvancesTheCounter()
    {
        var device = OfferedAndRebooted(trialAttempts: 2);
        Assert.AreEqual(BootAction.RunTrial, device.Decide().Action);
        var lifecycle = device.Lifecycle();
        Assert.AreEqual(LifecycleState.Updating, lifecycle.Current);
        Assert.IsTrue(device.Agent(new ArrayFirmwareSource(NewBundle)).Confirm());
        Assert.AreEqual(LifecycleState.Operating, device.Lifecycle().Current);

        device.Boot();
        var decision = device.Decide();
        Assert.AreEqual(BootAction.RunActive, decision.Action);
        Assert.AreEqual(FirmwareSlot.B, decision.Slot);
        var status = device.Status();
        Assert.AreEqual(5UL, status.SecurityCounter);
        Assert.AreEqual("2.0.0", status.RunningImage!.Version);
        Assert.AreEqual(FirmwareSlot.B, status.RunningSlot);
        Assert.AreEqual(PostureFlags.None, status.PostureFlags);
    }

    [TestMethod]
    public void OfferDuringATrial_WaitsUntilItIsDecided()
    {
        var device = OfferedAndRebooted(trialAttempts: 2);
        device.Decide();
        var other = OtaTestDevice.Bundle(7);
        var outcome = device.Agent(new ArrayFirmwareSource(other)).Offer(OtaTestDevice.Sign(OtaTestDevice.Manifest(other, 6, "3.0.0")), OtaTestDevice.Resource, OtaTestDevice.Now);
        Assert.AreEqual(OfferOutcome.Busy, outcome);
        CollectionAssert.AreEqual(NewBundle, device.ReadSlot(SlotNames.SlotB), "the running trial image was overwritten");
    }

    [TestMethod]
    public void TrialPastItsConfirmDeadline_Reboots()
    {
        var device = OfferedAndRebooted(trialAttempts: 2);
        device.Decide();
        var agent = device.Agent(new ArrayFirmwareSource(NewBundle));
        device.Clock.MillisecondsSinceBoot = UpdateAgentSettings.DefaultConfirmDeadlineMs - 1;
        Assert.IsFalse(agent.CheckTrialDeadline());
        device.Clock.MillisecondsSinceBoot = UpdateAgentSettings.DefaultConfirmDeadlineMs;
        Assert.ThrowsExactly<DeviceRebootException>(() => agent.CheckTrialDeadline());
    }

    [TestMethod]
    public void ConfirmWithoutATrial_ChangesNothing()
    {
        var device = new OtaTestDevice(_directory);
        FactoryImage.Install(device.Flash, FactoryBundle, "1.0.0", device.Platform.Digests);
        device.PowerCut.Disarm();
        Assert.IsFalse(device.Agent(new ArrayFirmwareSource(NewBundle)).Confirm());
        Assert.AreEqual(0, device.PowerCut.WritesSeen);
    }

    [TestMethod]
    public void NetworkFailure_IsResumedFromThePersistedLength()
    {
        var device = new OtaTestDevice(_directory);
        FactoryImage.Install(device.Flash, FactoryBundle, "1.0.0", device.Platform.Digests);
        var envelope = OtaTestDevice.Sign(OtaTestDevice.Manifest(NewBundle, 5, "2.0.0"));
        var first = new ArrayFirmwareSource(NewBundle) { FailAtOrAfter = 10_000 };
        Assert.AreEqual(OfferOutcome.Interrupted, device.Agent(first).Offer(envelope, OtaTestDevice.Resource, OtaTestDevice.Now));
        long kept = device.Flash.GetLength(SlotNames.SlotB);
        Assert.IsGreaterThanOrEqualTo(10_000L, kept);
        Assert.AreEqual(RefusalCode.DownloadFailed, device.Status().LastRefusal);

        // Right after the reboot the device has no trusted time yet: refused for now, progress kept.
        device.Boot();
        Assert.AreEqual(OfferOutcome.Refused, device.Agent(new ArrayFirmwareSource(NewBundle)).ResumeAfterBoot(ManifestDeviceContext.NoTrustedTime));
        Assert.AreEqual(kept, device.Flash.GetLength(SlotNames.SlotB), "a transient refusal dropped the partial download");

        device.Boot();
        var second = new ArrayFirmwareSource(NewBundle);
        Assert.ThrowsExactly<DeviceRebootException>(() => device.Agent(second).ResumeAfterBoot(OtaTestDevice.Now));
        Assert.AreEqual(kept, second.Positions[0], "the download restarted instead of resuming");
        device.Boot();
        Assert.AreEqual(BootAction.RunTrial, device.Decide().Action);
        CollectionAssert.AreEqual(NewBundle, device.ReadSlot(SlotNames.SlotB));
    }

    [TestMethod]
    public void DamagedActiveSlot_IsNeverRun()
    {
        var device = new OtaTestDevice(_directory);
        FactoryImage.Install(device.Flash, FactoryBundle, "1.0.0", device.Platform.Digests);
        device.Flash.Write(SlotNames.SlotA, 100, [(byte)(FactoryBundle[100] ^ 0xFF)], 0, 1);
        var decision = device.Decide();
        Assert.AreEqual(BootAction.NoImage, decision.Action);
        Assert.AreEqual(5, decision.Row);
    }

    [TestMethod]
    public void DamagedPendingSlot_IsRevertedWithoutATrial()
    {
        var device = OfferedAndRebooted(trialAttempts: 2);
        device.Flash.Write(SlotNames.SlotB, 10, [(byte)(NewBundle[10] ^ 0xFF)], 0, 1);
        var decision = device.Decide();
        Assert.AreEqual(BootAction.RevertAndRunActive, decision.Action);
        Assert.AreEqual(FirmwareSlot.A, decision.Slot);
        Assert.AreEqual(RefusalCode.TrialBootFailed, device.Status().LastRefusal);
    }

    [TestMethod]
    public void UnreadableSlotState_DecidesNoImage()
    {
        var device = new OtaTestDevice(_directory);
        FactoryImage.Install(device.Flash, FactoryBundle, "1.0.0", device.Platform.Digests);
        new IoTSec.Firmware.Storage.RecordStore(device.Flash, SlotState.RecordName).Write([1, 0, 7, 0, 0]);
        var decision = device.Decide();
        Assert.AreEqual(BootAction.NoImage, decision.Action);
        Assert.AreEqual(1, decision.Row);
        StringAssert.Contains(decision.Reason, "ota-state");
        var status = device.Status();
        Assert.IsTrue(status.StateUnreadable);
        Assert.AreEqual(PostureFlags.StorageDegraded, status.PostureFlags);
    }

    [TestMethod]
    public void NoInstalledImage_DecidesNoImage()
    {
        var device = new OtaTestDevice(_directory);
        Assert.AreEqual(BootAction.NoImage, BootSelector.Decide(device.Flash).Action);
        Assert.AreEqual(OfferOutcome.NoInstalledImage, device.Agent(new ArrayFirmwareSource(NewBundle)).Offer(OtaTestDevice.Sign(OtaTestDevice.Manifest(NewBundle, 5, "2.0.0")), OtaTestDevice.Resource, OtaTestDevice.Now));
    }

    private OtaTestDevice OfferedAndRebooted(int trialAttempts)
    {
        var device = new OtaTestDevice(_directory);
        FactoryImage.Install(device.Flash, FactoryBundle, "1.0.0", device.Platform.Digests);
        var lifecycle = device.Lifecycle();
        lifecycle.TryMove(LifecycleState.Provisioned, "test");
        lifecycle.TryMove(LifecycleState.Enrolled, "test");
        lifecycle.TryMove(LifecycleState.Operating, "test");
        var agent = device.Agent(new ArrayFirmwareSource(NewBundle), trialAttempts: trialAttempts);
        Assert.ThrowsExactly<DeviceRebootException>(() => agent.Offer(OtaTestDevice.Sign(OtaTestDevice.Manifest(NewBundle, 5, "2.0.0")), OtaTestDevice.Resource, OtaTestDevice.Now));
        Assert.AreEqual(1, device.Platform.Reboots);
        device.Boot();
        return device;
    }
}
