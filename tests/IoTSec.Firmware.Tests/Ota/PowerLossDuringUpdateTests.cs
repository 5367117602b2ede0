using System;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Ota;

/// <summary>
/// MCUboot's simulator, for the A/B update: power is cut at every flash write call an update
/// makes, from the offer through the trial boot's confirm (or through the revert of a trial
/// that never confirms), torn at a byte inside that write; then the device boots again from
/// the same flash and carries on. At every boot the device must run a verified image and the
/// anti-rollback counter must not pass the confirmed image.
/// </summary>
[TestClass]
public sealed class PowerLossDuringUpdateTests
{
    private const ulong NewSequence = 5;
    private const int MaxBoots = 12;
    private static readonly byte[] OldImage = OtaTestDevice.Bundle(1);
    private static readonly byte[] NewImage = OtaTestDevice.Bundle(2);
    private static readonly byte[] OldDigest = SHA256.HashData(OldImage);
    private static readonly byte[] NewDigest = SHA256.HashData(NewImage);
    private static readonly byte[] Envelope = OtaTestDevice.Sign(OtaTestDevice.Manifest(NewImage, NewSequence, "2.0.0"));

    private string _root = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateRoot() => _root = TempDirectory.Create("iotsec-ota-cut-");

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    [DataRow(true, DisplayName = "update confirmed")]
    [DataRow(false, DisplayName = "trial never confirms, reverted")]
    public void PowerCutAtEveryWrite_AlwaysBootsAVerifiedImage_AndTheCounterNeverPassesTheConfirmedImage(bool newImageConfirms)
    {
        // The clean run counts the write calls the whole scenario makes.
        var clean = NewDevice("clean");
        var cleanRun = Run(clean, newImageConfirms);
        long totalWrites = clean.PowerCut.WritesSeen;
        Assert.AreEqual(0, cleanRun.Resumed, "a clean update resumes nothing");
        Assert.IsGreaterThan(10L, totalWrites, "the image is written in many chunks");

        int cuts = 0;
        int resumedDownloads = 0;
        int boots = 0;
        for (long write = 0; write < totalWrites; write++)
        {
            // Three tears per write call: none of its bytes, 400 bytes in (all but the last
            // byte of a shorter write), all but its last byte.
            foreach (int bytesBeforeCut in new[] { 0, 400, int.MaxValue })
            {
                var device = NewDevice($"w{write}-t{bytesBeforeCut}");
                device.PowerCut.Arm(write, bytesBeforeCut);
                var run = Run(device, newImageConfirms);
                Assert.IsTrue(device.PowerCut.HasFired, $"the cut at write {write} did not happen");
                cuts++;
                resumedDownloads += run.Resumed;
                boots += run.Boots;
            }
        }

        TestContext.WriteLine($"{(newImageConfirms ? "confirm" : "revert")}: {cuts} cut points over {totalWrites} write calls; {resumedDownloads} downloads resumed from the persisted length; {boots} boots in all");
        Assert.AreEqual(3 * totalWrites, cuts);
        Assert.IsGreaterThan(0, resumedDownloads, "recovery (a resumed download) never ran");
    }

    private OtaTestDevice NewDevice(string name)
    {
        var device = new OtaTestDevice(Path.Combine(_root, name), new PowerCut());
        FactoryImage.Install(device.Flash, OldImage, "1.0.0", device.Platform.Digests);
        var lifecycle = device.Lifecycle();
        Assert.IsTrue(lifecycle.TryMove(LifecycleState.Provisioned, "test"));
        Assert.IsTrue(lifecycle.TryMove(LifecycleState.Enrolled, "test"));
        Assert.IsTrue(lifecycle.TryMove(LifecycleState.Operating, "test"));
        device.PowerCut.Disarm();
        return device;
    }

    /// <summary>
    /// Runs the device (boot, resume, the gateway's re-offer, trial, confirm or crash) until the
    /// new image is confirmed, or until the unconfirmed trial was reverted.
    /// </summary>
    private static (int Resumed, int Boots) Run(OtaTestDevice device, bool newImageConfirms)
    {
        int resumed = 0;
        for (int boot = 1; boot <= MaxBoots; boot++)
        {
            var source = new ArrayFirmwareSource(NewImage);
            try
            {
                var decision = device.Decide();
                CheckInvariants(device, decision, newImageConfirms);
                var status = device.Status();
                bool done = newImageConfirms
                    ? decision.Action == BootAction.RunActive && status.SecurityCounter == NewSequence
                    : decision.Action == BootAction.RevertAndRunActive || (decision.Action == BootAction.RunActive && status.UpdateReverted);
                if (done)
                {
                    return (resumed, boot);
                }

                var agent = device.Agent(source, chunkSize: 2048);
                var outcome = agent.ResumeAfterBoot(OtaTestDevice.Now);
                if (decision.Action == BootAction.RunTrial)
                {
                    if (newImageConfirms)
                    {
                        // The new firmware enrolled and had a heartbeat acknowledged.
                        Assert.IsTrue(agent.Confirm(), "the trial image could not confirm");
                    }
                    else
                    {
                        // The new firmware never reaches its gateway: the deadline reboots it.
                        device.Clock.MillisecondsSinceBoot = UpdateAgentSettings.DefaultConfirmDeadlineMs;
                        agent.CheckTrialDeadline();
                        Assert.Fail("the confirm deadline did not reboot the trial");
                    }
                }
                else if (outcome == OfferOutcome.Idle)
                {
                    // The gateway offers the release again at the next heartbeat.
                    agent.Offer(Envelope, OtaTestDevice.Resource, OtaTestDevice.Now);
                }
            }
            catch (DeviceRebootException)
            {
                // Power cut, the reboot into the trial, or the deadline: the device starts again from flash.
            }

            if (source.Positions.Count > 0 && source.Positions[0] > 0)
            {
                // This boot's download started where the persisted slot length said, not at 0.
                resumed++;
            }

            device.Boot();
        }

        Assert.Fail($"the scenario did not complete within {MaxBoots} boots");
        return (resumed, 0);
    }

    private static void CheckInvariants(OtaTestDevice device, BootDecision decision, bool newImageConfirms)
    {
        Assert.IsTrue(decision.HasImage, "no bootable image: " + decision.Reason);
        byte[] running = device.ReadSlot(decision.SlotFile!);
        byte[] digest = SHA256.HashData(running);
        bool isOld = digest.AsSpan().SequenceEqual(OldDigest);
        bool isNew = digest.AsSpan().SequenceEqual(NewDigest);
        Assert.IsTrue(isOld || isNew, "the selected slot holds neither released image");
        Assert.AreEqual("Vendor.Sensor.Program", ApplicationBundle.Parse(running).EntryTypeName, "the loader could not parse the selected slot");

        var state = SlotState.Read(device.Flash)!;
        Assert.IsTrue(state.SecurityCounter == 0 || state.SecurityCounter == NewSequence, "counter " + state.SecurityCounter);
        Assert.IsLessThanOrEqualTo(state.ActiveImage!.SequenceNumber, state.SecurityCounter, "the counter passed the confirmed image");
        if (state.SecurityCounter == NewSequence)
        {
            Assert.IsTrue(newImageConfirms, "the counter advanced for an image that never confirmed");
            Assert.IsTrue(isNew, "the counter advanced but the device runs the old image");
            Assert.AreEqual(BootAction.RunActive, decision.Action);
        }

        if (isOld)
        {
            Assert.AreEqual(0UL, state.SecurityCounter, "running the old image with an advanced counter");
        }

        if (decision.Action == BootAction.RevertAndRunActive)
        {
            Assert.AreEqual(RefusalCode.TrialBootFailed, device.Status().LastRefusal);
        }
    }
}
