using System;
using System.Collections.Generic;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

[TestClass]
public sealed class DeviceLifecycleTests
{
    public static IEnumerable<object[]> AllowedTransitions =>
    [
        [DeviceState.Registered, DeviceLifecycleEvent.CertificateIssued, DeviceState.Enrolled],
        [DeviceState.Enrolled, DeviceLifecycleEvent.OperatingConfirmed, DeviceState.Operating],
        [DeviceState.Operating, DeviceLifecycleEvent.Quarantine, DeviceState.Quarantined],
        [DeviceState.Quarantined, DeviceLifecycleEvent.Release, DeviceState.Operating],
        [DeviceState.Operating, DeviceLifecycleEvent.Revoke, DeviceState.Revoked],
        [DeviceState.Revoked, DeviceLifecycleEvent.Decommission, DeviceState.Decommissioned],
    ];

    public static IEnumerable<object[]> RefusedTransitions =>
    [
        [DeviceState.Registered, DeviceLifecycleEvent.OperatingConfirmed],
        [DeviceState.Registered, DeviceLifecycleEvent.Quarantine],
        [DeviceState.Operating, DeviceLifecycleEvent.Release],
        [DeviceState.Revoked, DeviceLifecycleEvent.Revoke],
        [DeviceState.Revoked, DeviceLifecycleEvent.CertificateIssued],
        [DeviceState.Revoked, DeviceLifecycleEvent.Release],
        [DeviceState.Decommissioned, DeviceLifecycleEvent.Decommission],
        [DeviceState.Decommissioned, DeviceLifecycleEvent.CertificateIssued],
    ];

    [TestMethod]
    [DynamicData(nameof(AllowedTransitions))]
    public void Table_allows(DeviceState from, DeviceLifecycleEvent lifecycleEvent, DeviceState to)
    {
        Assert.IsTrue(DeviceLifecycle.TryNext(from, lifecycleEvent, out var next));
        Assert.AreEqual(to, next);
    }

    [TestMethod]
    [DynamicData(nameof(RefusedTransitions))]
    public void Table_refuses(DeviceState from, DeviceLifecycleEvent lifecycleEvent) =>
        Assert.IsFalse(DeviceLifecycle.TryNext(from, lifecycleEvent, out _));

    [TestMethod]
    public void Quarantine_release_and_posture_are_stored()
    {
        using var dir = new TemporaryDataDirectory();
        using var manufacturer = new TestCertificates();
        using var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase);
        InventoryFixture.RegisterWithBirthCertificates(inventory, manufacturer, "pump", "pump-1");
        using var certificate = manufacturer.Issue("pump-1");
        inventory.RecordIssuedCertificate("pump-1", certificate);

        inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.OperatingConfirmed, "broker");
        inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.Quarantine, "policy", "firmware digest unknown");
        Assert.AreEqual(DeviceState.Quarantined, inventory.Get("pump-1").State);
        Assert.AreEqual(InventoryErrorReason.InvalidStateTransition, Assert.ThrowsExactly<InventoryException>(
            () => inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.Quarantine, "policy")).Reason);
        inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.Release, "operator");

        var at = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var device = inventory.UpdatePosture("pump-1", "healthy", at);

        Assert.AreEqual(DeviceState.Operating, device.State);
        Assert.AreEqual("healthy", device.LastPostureVerdict);
        Assert.AreEqual(at, device.LastPostureAt);
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.Revoke, "x"));
    }
}
