using System.Linq;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

/// <summary>Every inventory mutation leaves an audit entry with the particulars and no more.</summary>
[TestClass]
public sealed class InventoryAuditTests
{
    [TestMethod]
    public void Enrolment_quarantine_revocation_and_decommission_are_audited_in_order()
    {
        using var dir = new TemporaryDataDirectory();
        using var ca = new TestCertificates();
        using var audit = AuditLog.Open(dir.Data);
        using var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase, audit: audit);
        InventoryFixture.RegisterWithBirthCertificates(inventory, ca, "pump", "pump-1");
        using var first = ca.Issue("pump-1");
        using var second = ca.Issue("pump-1");
        inventory.RecordIssuedCertificate("pump-1", first, actor: "est");
        inventory.RecordIssuedCertificate("pump-1", second, actor: "est");
        inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.OperatingConfirmed, "broker");
        inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.Quarantine, "policy", "unknown firmware digest");
        inventory.UpdatePosture("pump-1", "suspect");
        inventory.Revoke("pump-1", "compromised", "cli:op");
        inventory.Decommission("pump-1", "cli:op");

        var entries = audit.List();

        CollectionAssert.AreEqual(
            new[] { "DeviceImport", "Enrolment", "Enrolment", "DeviceStateChange", "Quarantine", "Revocation", "Decommission" },
            entries.Select(e => e.Kind).ToArray());
        var renewal = JsonNode.Parse(entries[2].Details)!;
        Assert.AreEqual(inventory.FindCertificate(first)!.SerialHex, (string)renewal["superseded"]![0]!);
        var revocation = JsonNode.Parse(entries[5].Details)!;
        Assert.AreEqual("compromised", (string)revocation["reason"]!);
        Assert.AreEqual(2, revocation["certificates"]!.AsArray().Count, "the active and the superseded operational certificate");
        Assert.IsTrue(audit.Verify().IsIntact);
    }

    [TestMethod]
    public void A_large_registration_is_audited_by_count()
    {
        using var dir = new TemporaryDataDirectory();
        using var audit = AuditLog.Open(dir.Data);
        using var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase, audit: audit);
        var entries = Enumerable.Range(0, 1000)
            .Select(i => new DeviceImportEntry("dev-" + i, "sensor", i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        Assert.AreEqual(1000, inventory.Register(entries, "factory"));

        var details = JsonNode.Parse(audit.List().Single().Details)!;
        Assert.AreEqual(1000, (int)details["count"]!);
        Assert.IsNull(details["devices"]);
    }
}
