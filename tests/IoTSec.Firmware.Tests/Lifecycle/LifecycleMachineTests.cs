using System;
using System.Collections.Generic;
using System.IO;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Storage;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Lifecycle;

/// <summary>The lifecycle's one transition table: allowed and forbidden moves, persistence across reboot and power cuts.</summary>
[TestClass]
public sealed class LifecycleMachineTests
{
    // The table of docs/firmware/lifecycle.md, written out again here so that a change to the
    // code's table without the docs (or the other way round) fails.
    private static readonly string[] Documented =
    [
        "Unprovisioned>Provisioned",
        "Provisioned>Enrolled", "Provisioned>Unprovisioned",
        "Enrolled>Operating", "Enrolled>Provisioned", "Enrolled>Quarantined", "Enrolled>Decommissioned", "Enrolled>Unprovisioned",
        "Operating>Provisioned", "Operating>Updating", "Operating>Quarantined", "Operating>Decommissioned", "Operating>Unprovisioned",
        "Updating>Operating", "Updating>Quarantined", "Updating>Decommissioned", "Updating>Unprovisioned",
        "Quarantined>Operating", "Quarantined>Updating", "Quarantined>Decommissioned", "Quarantined>Unprovisioned",
        "Decommissioned>Unprovisioned",
    ];

    private string _directory = null!;

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("iotsec-life-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    public static IEnumerable<object[]> AllPairs()
    {
        foreach (LifecycleState from in Enum.GetValues<LifecycleState>())
        {
            foreach (LifecycleState to in Enum.GetValues<LifecycleState>())
            {
                yield return [from, to];
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(AllPairs))]
    public void EveryMove_IsAllowedExactlyWhenTheTableHasIt(LifecycleState from, LifecycleState to)
    {
        var flash = new DirectoryFlashStore(_directory, 1 << 20);
        new RecordStore(flash, LifecycleMachine.RecordName).Write([1, (byte)from]);
        var machine = new LifecycleMachine(flash, null);
        Assert.AreEqual(from, machine.Current);
        bool expected = Array.IndexOf(Documented, from + ">" + to) >= 0;

        flash.PowerCut.Disarm();
        Assert.AreEqual(expected, machine.TryMove(to, "test"), $"{from} -> {to}");
        Assert.AreEqual(expected ? to : from, machine.Current);
        Assert.AreEqual(expected ? 1 : 0, flash.PowerCut.WritesSeen, "a refused move must not write");
        Assert.AreEqual(expected ? to : from, new LifecycleMachine(new DirectoryFlashStore(_directory, 1 << 20), null).Current, "not persisted");
    }

    [TestMethod]
    public void TheTable_HasExactlyTheDocumentedRows()
    {
        Assert.AreEqual(Documented.Length, LifecycleTransitions.Count);
        for (int row = 0; row < LifecycleTransitions.Count; row++)
        {
            CollectionAssert.Contains(Documented, LifecycleTransitions.From(row) + ">" + LifecycleTransitions.To(row));
        }
    }

    [TestMethod]
    public void FreshDevice_IsUnprovisioned_AndResumesWhereItWasAfterReboot()
    {
        var machine = new LifecycleMachine(new DirectoryFlashStore(_directory, 1 << 20), null);
        Assert.AreEqual(LifecycleState.Unprovisioned, machine.Current);
        Assert.IsTrue(machine.TryMove(LifecycleState.Provisioned, "console commit"));
        Assert.IsTrue(machine.TryMove(LifecycleState.Enrolled, "EST"));

        var rebooted = new LifecycleMachine(new DirectoryFlashStore(_directory, 1 << 20), null);
        Assert.AreEqual(LifecycleState.Enrolled, rebooted.Current);
        Assert.IsFalse(rebooted.TryMove(LifecycleState.Updating, "an update before the device operates"));
        Assert.IsTrue(rebooted.TryMove(LifecycleState.Operating, "first heartbeat acknowledged"));
    }

    [TestMethod]
    public void Decommissioned_LeavesOnlyByFactoryReset()
    {
        foreach (LifecycleState target in Enum.GetValues<LifecycleState>())
        {
            var flash = new DirectoryFlashStore(Path.Combine(_directory, target.ToString()), 1 << 20);
            new RecordStore(flash, LifecycleMachine.RecordName).Write([1, (byte)LifecycleState.Decommissioned]);
            Assert.AreEqual(target == LifecycleState.Unprovisioned, new LifecycleMachine(flash, null).TryMove(target, "test"), target.ToString());
        }
    }

    [TestMethod]
    public void UnknownPersistedState_ReadsAsQuarantined()
    {
        var flash = new DirectoryFlashStore(_directory, 1 << 20);
        new RecordStore(flash, LifecycleMachine.RecordName).Write([1, 42]);
        Assert.AreEqual(LifecycleState.Quarantined, new LifecycleMachine(flash, null).Current);
    }

    [TestMethod]
    public void PowerCutDuringAMove_LeavesTheOldOrTheNewState()
    {
        for (int tear = 0; tear < 16; tear++)
        {
            string dir = Path.Combine(_directory, "t" + tear);
            var flash = new DirectoryFlashStore(dir, 1 << 20);
            var machine = new LifecycleMachine(flash, null);
            machine.TryMove(LifecycleState.Provisioned, "test");
            flash.PowerCut.Arm(0, tear);
            Assert.ThrowsExactly<DeviceRebootException>(() => machine.TryMove(LifecycleState.Enrolled, "test"));
            Assert.AreEqual(LifecycleState.Provisioned, new LifecycleMachine(new DirectoryFlashStore(dir, 1 << 20), null).Current, "tear after " + tear + " bytes");
        }
    }
}
