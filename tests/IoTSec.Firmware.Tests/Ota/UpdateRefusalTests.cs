using System;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Manifest;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Ota;

/// <summary>
/// Each way an offer can be wrong is refused with its own reason, persisted for the next
/// heartbeat, and leaves the active slot as it was (and no partial image behind).
/// </summary>
[TestClass]
public sealed class UpdateRefusalTests
{
    private static readonly byte[] FactoryBundle = OtaTestDevice.Bundle(1);
    private static readonly byte[] NewBundle = OtaTestDevice.Bundle(2);

    private string _root = null!;

    [TestInitialize]
    public void CreateRoot() => _root = TempDirectory.Create("iotsec-ota-refuse-");

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public void BadSignature_IsRefused() =>
        ExpectRefused(OtaTestDevice.Sign(Release(), OtaTestDevice.OtherKey), NewBundle, RefusalCode.FromManifestRejection((int)ManifestRejection.BadSignature));

    [TestMethod]
    public void UnknownKey_IsRefused() =>
        ExpectRefused(OtaTestDevice.Sign(Release(), OtaTestDevice.OtherKey, "not-provisioned"u8.ToArray()), NewBundle, RefusalCode.FromManifestRejection((int)ManifestRejection.UnknownKey));

    [TestMethod]
    public void WrongClass_IsRefused() =>
        ExpectRefused(OtaTestDevice.Sign(OtaTestDevice.Manifest(NewBundle, 5, "2.0.0", classId: new byte[16])), NewBundle, RefusalCode.FromManifestRejection((int)ManifestRejection.WrongClass));

    [TestMethod]
    public void ExpiredManifest_IsRefused() =>
        ExpectRefused(OtaTestDevice.Sign(OtaTestDevice.Manifest(NewBundle, 5, "2.0.0", expiry: OtaTestDevice.Now)), NewBundle, RefusalCode.FromManifestRejection((int)ManifestRejection.Expired));

    [TestMethod]
    public void NoTrustedTime_IsRefused() =>
        ExpectRefused(OtaTestDevice.Sign(Release()), NewBundle, RefusalCode.FromManifestRejection((int)ManifestRejection.NoTrustedTime), trustedTime: ManifestDeviceContext.NoTrustedTime);

    [TestMethod]
    public void RunningVersionAgain_IsRefused() =>
        ExpectRefused(OtaTestDevice.Sign(OtaTestDevice.Manifest(FactoryBundle, 9, "1.0.0")), FactoryBundle, RefusalCode.AlreadyRunning);

    [TestMethod]
    public void DigestMismatch_IsRefused_AndThePartialImageIsDropped()
    {
        var tampered = (byte[])NewBundle.Clone();
        tampered[tampered.Length / 2] ^= 0x01;
        ExpectRefused(OtaTestDevice.Sign(Release()), tampered, RefusalCode.ComponentDigestMismatch);
    }

    [TestMethod]
    public void TruncatedImage_IsRefused() =>
        ExpectRefused(OtaTestDevice.Sign(Release()), NewBundle.AsSpan(0, NewBundle.Length - 100).ToArray(), RefusalCode.ComponentSizeMismatch);

    [TestMethod]
    public void ImageLongerThanSigned_IsRefused_BeforeTheSurplusIsWritten()
    {
        var longer = new byte[NewBundle.Length + 5000];
        NewBundle.CopyTo(longer, 0);
        ExpectRefused(OtaTestDevice.Sign(Release()), longer, RefusalCode.ComponentSizeMismatch);
    }

    [TestMethod]
    public void ImageLargerThanTheSlot_IsRefused_BeforeAnyDownload()
    {
        var source = ExpectRefused(
            OtaTestDevice.Sign(OtaTestDevice.Manifest(NewBundle, 5, "2.0.0", size: OtaTestDevice.SlotCapacity + 1)),
            NewBundle,
            RefusalCode.FromManifestRejection((int)ManifestRejection.TooLarge));
        Assert.IsEmpty(source.Positions, "nothing is downloaded for an image that cannot fit");
    }

    [TestMethod]
    public void ImageLargerThanFreeFlash_IsRefused_BeforeAnyDownload()
    {
        // The slot would take it, the medium has not the room (reserve for records included).
        var source = ExpectRefused(OtaTestDevice.Sign(Release()), NewBundle, RefusalCode.FromManifestRejection((int)ManifestRejection.TooLarge), reserve: OtaTestDevice.FlashCapacity);
        Assert.IsEmpty(source.Positions);
    }

    [TestMethod]
    public void OlderSequence_IsRefused_AfterAConfirmedUpdate()
    {
        // A genuine, signed, older release replayed after the device moved on: a rollback attack.
        var device = NewDevice();
        Install(device, NewBundle, 5, "2.0.0");
        var older = OtaTestDevice.Bundle(3);
        byte[] activeBefore = device.ReadSlot(SlotNames.SlotB);
        var source = new ArrayFirmwareSource(older);
        Assert.AreEqual(OfferOutcome.Refused, device.Agent(source).Offer(OtaTestDevice.Sign(OtaTestDevice.Manifest(older, 4, "1.5.0")), OtaTestDevice.Resource, OtaTestDevice.Now));
        device.Boot();
        Assert.AreEqual(RefusalCode.FromManifestRejection((int)ManifestRejection.SequenceTooOld), device.Status().LastRefusal);
        Assert.AreEqual(5UL, device.Status().SecurityCounter);
        CollectionAssert.AreEqual(activeBefore, device.ReadSlot(SlotNames.SlotB));
        Assert.IsEmpty(source.Positions);
    }

    [TestMethod]
    public void RefusalCode_IsStickyUntilTheNextRefusal()
    {
        var device = NewDevice();
        var agent = device.Agent(new ArrayFirmwareSource(NewBundle));
        agent.Offer(OtaTestDevice.Sign(Release(), OtaTestDevice.OtherKey), OtaTestDevice.Resource, OtaTestDevice.Now);
        agent.Offer(OtaTestDevice.Sign(OtaTestDevice.Manifest(NewBundle, 5, "2.0.0", expiry: 1)), OtaTestDevice.Resource, OtaTestDevice.Now);
        device.Boot();
        Assert.AreEqual(RefusalCode.FromManifestRejection((int)ManifestRejection.Expired), device.Status().LastRefusal);
    }

    private static OtaManifest Release() => OtaTestDevice.Manifest(NewBundle, 5, "2.0.0");

    private OtaTestDevice NewDevice()
    {
        var device = new OtaTestDevice(Path.Combine(_root, Guid.NewGuid().ToString("N")));
        FactoryImage.Install(device.Flash, FactoryBundle, "1.0.0", device.Platform.Digests);
        return device;
    }

    private static void Install(OtaTestDevice device, byte[] bundle, ulong sequence, string version)
    {
        Assert.ThrowsExactly<DeviceRebootException>(() => device.Agent(new ArrayFirmwareSource(bundle)).Offer(OtaTestDevice.Sign(OtaTestDevice.Manifest(bundle, sequence, version)), OtaTestDevice.Resource, OtaTestDevice.Now));
        device.Boot();
        Assert.AreEqual(BootAction.RunTrial, device.Decide().Action);
        Assert.IsTrue(device.Agent(new ArrayFirmwareSource(bundle)).Confirm());
        device.Boot();
    }

    private ArrayFirmwareSource ExpectRefused(byte[] envelope, byte[] served, uint code, long trustedTime = OtaTestDevice.Now, long reserve = 16 * 1024)
    {
        var device = NewDevice();
        var source = new ArrayFirmwareSource(served);
        var outcome = device.Agent(source, reserve: reserve).Offer(envelope, OtaTestDevice.Resource, trustedTime);
        Assert.AreEqual(OfferOutcome.Refused, outcome);
        Assert.AreEqual(0, device.Platform.Reboots, "a refused offer must not reboot");

        // After a reboot: the reason is still there for the heartbeat, and nothing changed.
        device.Boot();
        var status = device.Status();
        Assert.AreEqual(code, status.LastRefusal, $"expected refusal 0x{code:X4}, got 0x{status.LastRefusal:X4}");
        Assert.AreEqual(0UL, status.SecurityCounter);
        CollectionAssert.AreEqual(FactoryBundle, device.ReadSlot(SlotNames.SlotA), "the active slot changed");
        Assert.AreEqual(-1, device.Flash.GetLength(SlotNames.SlotB), "a partial image was left in the inactive slot");
        var decision = device.Decide();
        Assert.AreEqual(BootAction.RunActive, decision.Action);
        Assert.AreEqual(FirmwareSlot.A, decision.Slot);
        Assert.AreEqual(OfferOutcome.Idle, device.Agent(new ArrayFirmwareSource(served)).ResumeAfterBoot(OtaTestDevice.Now), "a refused download must not resume");
        CollectionAssert.AreEqual(SHA256.HashData(FactoryBundle), decision.Image!.GetDigest());
        return source;
    }
}
