using System;
using System.IO;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// The provisioning console end to end: a simulated device (ConsoleService over
/// FlashProvisioningTarget, on a DirectoryFlashStore) on one end of a real socat
/// pseudo-terminal pair, the protocol's ProvisioningConsoleClient on the other, System.IO.Ports
/// on both.
/// </summary>
[TestClass]
public sealed class ConsoleOverSerialTests
{
    private string _flash = null!;

    [TestInitialize]
    public void CreateFlash() => _flash = Directory.CreateTempSubdirectory("iotsec-console-").FullName;

    [TestCleanup]
    public void DeleteFlash() => Directory.Delete(_flash, recursive: true);

    [TestMethod]
    public void ProvisionCommitAndReadBackTheIdentity()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _flash);
        using var tool = new ConsoleTool(pty.EndB);
        var set = ProvisioningSet.Create("dev-0001", "gw01.plant.example");

        // Small chunks, so the certificate and the anchors travel as several frames each.
        tool.Client.ChunkLength = 128;
        Assert.AreEqual(TestPlatform.HardwareIdText, tool.Client.Hello().HardwareId);
        DeviceInfo fresh = tool.Client.GetInfo();
        Assert.AreEqual(LifecycleState.Unprovisioned, fresh.Lifecycle);
        Assert.AreEqual(ProvisioningLock.Unlocked, fresh.Lock);
        Assert.AreEqual(StagedItems.None, fresh.Staged);
        Assert.AreEqual("esp32-devkitc", fresh.Board);

        tool.Stage(set);
        Assert.AreEqual(StagedItems.All, tool.Client.GetInfo().Staged);
        Assert.IsNull(device.LoadIdentity(), "staged items are not in force before the commit");

        tool.Client.Commit();
        DeviceInfo committed = tool.Client.GetInfo();
        Assert.AreEqual(LifecycleState.Provisioned, committed.Lifecycle);
        Assert.AreEqual(StagedItems.None, committed.Staged);
        ProvisioningAssert.IdentityIs(set, device.LoadIdentity());

        var refused = Assert.ThrowsExactly<ProvisioningRefusedException>(() => tool.Client.ReadBack());
        Assert.AreEqual(ConsoleStatus.NotStaged, refused.Status, "the staging area is empty after a commit");

        string log = device.Log.Text;
        StringAssert.Contains(log, "console: Commit (0x30) -> Ok (0x00)");
        Assert.IsFalse(log.Contains(Convert.ToHexString(set.Key), StringComparison.OrdinalIgnoreCase), "the birth key reached the log");
        Assert.IsFalse(log.Contains(Convert.ToBase64String(set.Key), StringComparison.Ordinal), "the birth key reached the log");
        Assert.IsNull(device.Fault);
    }

    [TestMethod]
    public void ASecondCommitReplacesTheWholeSet()
    {
        using var pty = new SocatPtyPair();
        using var device = new SimulatedConsoleDevice(pty.EndA, _flash);
        using var tool = new ConsoleTool(pty.EndB);
        var first = ProvisioningSet.Create("dev-0001", "gw01.plant.example");
        var second = ProvisioningSet.Create("dev-0002", "gw02.plant.example");

        tool.Stage(first);
        tool.Client.Commit();
        tool.Stage(second);
        ProvisioningAssert.IdentityIs(first, device.LoadIdentity(), "while the second set is only staged");
        tool.Client.Commit();
        ProvisioningAssert.IdentityIs(second, device.LoadIdentity());

        // The first set's bank was wiped (it held the first birth key).
        Assert.AreEqual(0, Directory.GetFiles(_flash, "prov-s-*").Length, "staging area left behind");
        Assert.AreEqual(4, Directory.GetFiles(_flash, "prov-a-*").Length + Directory.GetFiles(_flash, "prov-b-*").Length, "exactly one bank of four items remains");
    }

    [TestMethod]
    public void LockRefusesEveryWriteUntilAFactoryResetAtTheReworkBench()
    {
        using var pty = new SocatPtyPair();
        using var tool = new ConsoleTool(pty.EndB);
        var set = ProvisioningSet.Create("dev-0001", "gw01.plant.example");
        var intruder = ProvisioningSet.Create("dev-evil", "gw.attacker.example");

        using (var device = new SimulatedConsoleDevice(pty.EndA, _flash))
        {
            tool.Stage(set);
            tool.Client.Commit();
            tool.Client.Lock(TestPlatform.HardwareIdText);
            Assert.AreEqual(ProvisioningLock.Locked, tool.Client.GetInfo().Lock);
        }

        // The lock is on flash: a reboot does not lift it.
        using (var rebooted = new SimulatedConsoleDevice(pty.EndA, _flash))
        {
            Assert.AreEqual(ProvisioningLock.Locked, tool.Client.GetInfo().Lock);
            AssertLocked(() => tool.Client.WriteBirthKey(intruder.Key));
            AssertLocked(() => tool.Client.WriteTrustAnchors(intruder.Anchors));
            AssertLocked(() => tool.Client.WriteConfiguration(intruder.Configuration));
            AssertLocked(() => tool.Client.Commit());
            AssertLocked(() => tool.Client.FactoryReset(TestPlatform.HardwareIdText));
            ProvisioningAssert.IdentityIs(set, rebooted.LoadIdentity(), "after refused writes");
            StringAssert.Contains(rebooted.Log.Text, "console: refused: provisioning is locked");
        }

        // Booted with the rework strap held: the one way back, which erases the identity.
        using (var rework = new SimulatedConsoleDevice(pty.EndA, _flash, reworkMode: true))
        {
            Assert.IsTrue(tool.Client.GetInfo().ReworkMode);
            tool.Client.FactoryReset(TestPlatform.HardwareIdText);
            DeviceInfo reset = tool.Client.GetInfo();
            Assert.AreEqual(ProvisioningLock.Unlocked, reset.Lock);
            Assert.AreEqual(LifecycleState.Unprovisioned, reset.Lifecycle);
            Assert.IsNull(rework.LoadIdentity());
            Assert.AreEqual(0, Directory.GetFiles(_flash, "prov-?-*").Length, "a factory reset leaves no item on flash");
        }
    }

    private static void AssertLocked(Action write)
    {
        var refused = Assert.ThrowsExactly<ProvisioningRefusedException>(write);
        Assert.AreEqual(ConsoleStatus.Locked, refused.Status, refused.DeviceMessage);
    }
}
