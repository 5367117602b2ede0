using System;
using System.IO;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// Power cut at every flash write of a commit (and of a factory reset), as MCUboot's simulator
/// does for an upgrade: after each cut the device boots again from its flash and must hold the
/// old set or the new one, whole, never a mixture.
/// </summary>
[TestClass]
public sealed class CommitPowerCutTests
{
    /// <summary>How many bytes of the cut write reach the flash: none, inside a record's header, inside its payload, all but the last (the CRC incomplete).</summary>
    private static readonly int[] CutPositions = [0, 3, 11, 40, int.MaxValue];

    private string _root = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("iotsec-cut-").FullName;

    [TestCleanup]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    [TestMethod]
    public void ACommitCutOverTheConsoleLeavesTheOldSetOrTheNew()
    {
        var old = ProvisioningSet.Create("dev-0001", "gw01.plant.example");
        var updated = ProvisioningSet.Create("dev-0002", "gw02.plant.example");

        int writes = CountCommitWritesOverSerial(old, updated);
        Assert.IsTrue(writes >= 5, $"a commit writes four bank items and the pointer at least ({writes})");
        int cuts = 0;
        int sawOld = 0;
        int sawNew = 0;
        for (int cutAt = 0; cutAt < writes; cutAt++)
        {
            string flash = Path.Combine(_root, $"serial-{cutAt}");
            using var pty = new SocatPtyPair();
            using var device = new SimulatedConsoleDevice(pty.EndA, flash);
            using var tool = new ConsoleTool(pty.EndB, responseTimeoutMs: 300, retryCount: 3);
            tool.Stage(old);
            tool.Client.Commit();
            tool.Stage(updated);

            device.PowerCut.Arm(cutAt, CutPositions[cutAt % CutPositions.Length]);
            tool.Session.RetryCount = 0;
            var lost = Assert.ThrowsExactly<ConsoleProtocolException>(() => tool.Client.Commit(), $"cut at write {cutAt}: a device that lost power answers nothing");
            Assert.AreEqual(ConsoleProtocolError.Timeout, lost.Reason);
            Assert.IsTrue(device.PowerCut.HasFired, $"cut at write {cutAt} did not happen");
            cuts++;

            // A generous timeout from here on: the machine may be busy while the device boots.
            tool.Session.RetryCount = 3;
            tool.Session.ResponseTimeoutMs = 1000;

            // The device booted again by itself; what it holds now is what its next boot sees.
            DeviceInfo info = tool.Client.GetInfo();
            Assert.AreEqual(2, device.Boots, $"cut at write {cutAt}: one reboot");
            Assert.AreEqual(LifecycleState.Provisioned, info.Lifecycle, $"cut at write {cutAt}");
            ProvisionedIdentity? loaded = device.LoadIdentity();
            Assert.IsNotNull(loaded, $"cut at write {cutAt}: identity lost");
            if (loaded.DeviceId == old.DeviceId)
            {
                ProvisioningAssert.IdentityIs(old, loaded, $"(cut at write {cutAt}: old set)");
                Assert.AreEqual(StagedItems.All, info.Staged, $"cut at write {cutAt}: the new set is still staged");
                sawOld++;
            }
            else
            {
                ProvisioningAssert.IdentityIs(updated, loaded, $"(cut at write {cutAt}: new set)");
                Assert.AreEqual(StagedItems.None, info.Staged, $"cut at write {cutAt}: nothing staged after the switch");
                sawNew++;
            }

            // The tool can always finish: commit again if the switch had not happened.
            if (info.Staged == StagedItems.All)
            {
                tool.Client.Commit();
            }

            ProvisioningAssert.IdentityIs(updated, device.LoadIdentity(), $"(cut at write {cutAt}, after finishing)");
            Assert.IsNull(device.Fault, $"cut at write {cutAt}: {device.Fault}");
        }

        Assert.AreEqual(writes, cuts);

        // On a provisioned device the pointer switch is the commit's last write (the lifecycle
        // is already Provisioned; the tidying after it only deletes, which is atomic), so a cut
        // in any write leaves the old set; the first-commit sweep below reaches past the switch.
        Assert.AreEqual(writes, sawOld + sawNew);
        TestContext.WriteLine($"commit over the console: {cuts} cut points, old set kept {sawOld}, new set in force {sawNew}");
    }

    [TestMethod]
    public void AFirstCommitCutAtEveryWriteAndByteLeavesNothingOrTheNewSet()
    {
        var set = ProvisioningSet.Create("dev-0001", "gw01.plant.example");
        int writes = CountWrites(Path.Combine(_root, "count"), target => Stage(target, set), target => target.Commit());
        int cuts = 0;
        int sawNothing = 0;
        int sawNew = 0;
        foreach (int bytes in CutPositions)
        {
            for (int cutAt = 0; cutAt < writes; cutAt++)
            {
                string directory = Path.Combine(_root, $"first-{cutAt}-{bytes}");
                var (flash, target) = Boot(directory);
                Stage(target, set);
                flash.PowerCut.Arm(cutAt, bytes);
                Assert.ThrowsExactly<DeviceRebootException>(target.Commit);
                cuts++;

                var (_, rebooted) = Boot(directory);
                DeviceInfo info = rebooted.GetInfo();
                ProvisionedIdentity? loaded = new ProvisionedStore(new DirectoryFlashStore(directory, SimulatedConsoleDevice.FlashCapacity), PortableDigestsInstance).Load();
                string where = $"cut at write {cutAt} after {bytes} bytes";
                if (loaded is null)
                {
                    sawNothing++;
                    Assert.AreEqual(LifecycleState.Unprovisioned, info.Lifecycle, where);
                    Assert.AreEqual(StagedItems.All, info.Staged, where);
                }
                else
                {
                    sawNew++;
                    ProvisioningAssert.IdentityIs(set, loaded, where);
                    Assert.AreEqual(LifecycleState.Provisioned, info.Lifecycle, where + ": recovery moves the lifecycle");
                    Assert.AreEqual(StagedItems.None, info.Staged, where);
                }
            }
        }

        Assert.AreEqual(writes * CutPositions.Length, cuts);
        Assert.IsTrue(sawNothing > 0 && sawNew > 0, $"the sweep must cut before and after the switch (nothing {sawNothing}, new {sawNew})");
        TestContext.WriteLine($"first commit: {writes} writes x {CutPositions.Length} byte positions = {cuts} cut points");
    }

    [TestMethod]
    public void AFactoryResetCutAtEveryWriteFinishesAtTheNextBoot()
    {
        var set = ProvisioningSet.Create("dev-0001", "gw01.plant.example");
        int writes = CountWrites(Path.Combine(_root, "count"), target => { Stage(target, set); target.Commit(); target.Lock(); }, target => target.FactoryReset());
        int cuts = 0;
        foreach (int bytes in CutPositions)
        {
            for (int cutAt = 0; cutAt < writes; cutAt++)
            {
                string directory = Path.Combine(_root, $"reset-{cutAt}-{bytes}");
                var (flash, target) = Boot(directory);
                Stage(target, set);
                target.Commit();
                target.Lock();
                flash.PowerCut.Arm(cutAt, bytes);
                Assert.ThrowsExactly<DeviceRebootException>(target.FactoryReset);
                cuts++;

                var (_, rebooted) = Boot(directory);
                DeviceInfo info = rebooted.GetInfo();
                bool provisioned = new ProvisionedStore(new DirectoryFlashStore(directory, SimulatedConsoleDevice.FlashCapacity), PortableDigestsInstance).IsProvisioned();
                string where = $"cut at write {cutAt} after {bytes} bytes";
                if (provisioned)
                {
                    // Cut before the pointer switched off: nothing changed, still locked.
                    Assert.AreEqual(ProvisioningLock.Locked, info.Lock, where);
                    Assert.AreEqual(LifecycleState.Provisioned, info.Lifecycle, where);
                }
                else
                {
                    // Cut after: the next boot finished the reset.
                    Assert.AreEqual(ProvisioningLock.Unlocked, info.Lock, where);
                    Assert.AreEqual(LifecycleState.Unprovisioned, info.Lifecycle, where);
                    Assert.AreEqual(0, Directory.GetFiles(directory, "prov-?-*").Length, where + ": items left on flash");
                }
            }
        }

        Assert.AreEqual(writes * CutPositions.Length, cuts);
    }

    [TestMethod]
    public void ACutDuringTheRecoveryOfACutFactoryResetIsRecoveredAtTheBootAfter()
    {
        var set = ProvisioningSet.Create("dev-0001", "gw01.plant.example");
        int resetWrites = CountWrites(Path.Combine(_root, "count"), target => { Stage(target, set); target.Commit(); target.Lock(); }, target => target.FactoryReset());
        int cuts = 0;

        // Write 0 of the reset is the pointer switch; a cut in any later write leaves "reset
        // pending", which the next boot finishes. Cut that recovery too, at each of its writes.
        for (int resetCut = 1; resetCut < resetWrites; resetCut++)
        {
            for (int recoveryCut = 0; ; recoveryCut++)
            {
                string directory = Path.Combine(_root, $"nested-{resetCut}-{recoveryCut}");
                var (flash, target) = Boot(directory);
                Stage(target, set);
                target.Commit();
                target.Lock();
                flash.PowerCut.Arm(resetCut, 5);
                Assert.ThrowsExactly<DeviceRebootException>(target.FactoryReset);

                var recovering = new DirectoryFlashStore(directory, SimulatedConsoleDevice.FlashCapacity);
                recovering.PowerCut.Arm(recoveryCut, 5);
                var again = new FlashProvisioningTarget(recovering, new TestPlatform(), new TestLifecycle(recovering), SimulatedConsoleDevice.Facts(reworkMode: false), new TestLog());
                bool recoveryCutFired;
                try
                {
                    again.RecoverAfterBoot();
                    recoveryCutFired = false;
                }
                catch (DeviceRebootException)
                {
                    recoveryCutFired = true;
                    cuts++;
                }

                var (_, rebooted) = Boot(directory);
                DeviceInfo info = rebooted.GetInfo();
                string where = $"reset cut at write {resetCut}, recovery cut at write {recoveryCut}";
                Assert.AreEqual(ProvisioningLock.Unlocked, info.Lock, where);
                Assert.AreEqual(LifecycleState.Unprovisioned, info.Lifecycle, where);
                Assert.AreEqual(0, Directory.GetFiles(directory, "prov-?-*").Length, where + ": items left on flash");
                if (!recoveryCutFired)
                {
                    break;
                }
            }
        }

        Assert.IsTrue(cuts > 0, "no recovery was cut");
        TestContext.WriteLine($"factory reset: {cuts} cut points inside the recovery of a cut reset");
    }

    [TestMethod]
    public void ADamagedBankIsReportedNotLoaded()
    {
        string directory = Path.Combine(_root, "damaged");
        var (_, target) = Boot(directory);
        Stage(target, ProvisioningSet.Create("dev-0001", "gw01.plant.example"));
        target.Commit();

        // Replace one committed item behind the store's back with another intact record.
        var flash = new DirectoryFlashStore(directory, SimulatedConsoleDevice.FlashCapacity);
        new IoTSec.Firmware.Storage.RecordStore(flash, "prov-a-config").Write(new ProvisioningConfiguration("other", "gw.example", 1, 2, 60).Encode());
        var error = Assert.ThrowsExactly<ProvisionedStoreException>(() => new ProvisionedStore(flash, PortableDigestsInstance).Load());
        Assert.AreEqual(ProvisionedStoreError.BankItemMismatch, error.Reason);
        StringAssert.Contains(error.Message, "prov-a-config");
    }

    private static IoTSec.Protocol.Crypto.IDigestProvider PortableDigestsInstance => IoTSec.Protocol.Crypto.PortableDigests.Instance;

    private static (DirectoryFlashStore Flash, FlashProvisioningTarget Target) Boot(string directory)
    {
        var flash = new DirectoryFlashStore(directory, SimulatedConsoleDevice.FlashCapacity);
        var target = new FlashProvisioningTarget(flash, new TestPlatform(), new TestLifecycle(flash), SimulatedConsoleDevice.Facts(reworkMode: false), new TestLog());
        target.RecoverAfterBoot();
        return (flash, target);
    }

    private static void Stage(FlashProvisioningTarget target, ProvisioningSet set)
    {
        target.StageBirthCertificate((byte[])set.Certificate.Clone());
        target.StageBirthKey((byte[])set.Key.Clone());
        target.StageTrustAnchors(set.Anchors);
        target.StageConfiguration(set.Configuration);
    }

    private static int CountWrites(string directory, Action<FlashProvisioningTarget> prepare, Action<FlashProvisioningTarget> operation)
    {
        var (flash, target) = Boot(directory);
        prepare(target);
        flash.PowerCut.Disarm();
        operation(target);
        return (int)flash.PowerCut.WritesSeen;
    }

    private int CountCommitWritesOverSerial(ProvisioningSet old, ProvisioningSet updated)
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, Path.Combine(_root, "serial-count"));
        using var tool = new ConsoleTool(pty.EndB);
        tool.Stage(old);
        tool.Client.Commit();
        tool.Stage(updated);
        device.PowerCut.Disarm();
        tool.Client.Commit();
        return (int)device.PowerCut.WritesSeen;
    }
}
