using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

/// <summary>
/// Enrolments recorded at the same time share one inventory commit and one audit batch (group
/// commit); each must still be durable, audited once, in commit order, and answered with its
/// own outcome.
/// </summary>
[TestClass]
public sealed class EnrolmentGroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [TestMethod]
    public void Concurrent_enrolments_are_all_durable_and_audited_in_commit_order()
    {
        using var dir = new TemporaryDataDirectory();
        using var manufacturer = new TestCertificates("CN=Test Manufacturer Station CA");
        using var gatewayCa = new TestCertificates("CN=Test Gateway Device CA");
        var ids = Enumerable.Range(0, 48).Select(i => "pump-" + i).ToArray();
        var issued = ids.ToDictionary(id => id, id => gatewayCa.Issue(id));
        using (var audit = AuditLog.Open(dir.Data))
        using (var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase, audit: audit))
        {
            var births = InventoryFixture.RegisterWithBirthCertificates(inventory, manufacturer, "pump", ids);
            using var start = new Barrier(ids.Length);
            var records = new IssuedCertificateRecord[ids.Length];
            var threads = ids.Select((id, i) => new Thread(() =>
            {
                start.SignalAndWait(Patience);
                records[i] = inventory.RecordEnrolment(id, issued[id], births[id], "est");
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => Assert.IsTrue(t.Join(Patience)));

            for (var i = 0; i < ids.Length; i++)
            {
                Assert.AreEqual(ids[i], records[i].DeviceId, "each caller gets its own record");
                Assert.AreEqual(TestCertificates.Sha256Of(issued[ids[i]]), records[i].Sha256);
            }

            foreach (var birth in births.Values)
            {
                birth.Dispose();
            }
        }

        // Reopened from the files: what was acknowledged is on disk.
        using var reopenedAudit = AuditLog.Open(dir.Data);
        using var reopened = DeviceInventory.Open(dir.Data.InventoryDatabase, audit: reopenedAudit);
        foreach (var id in ids)
        {
            Assert.AreEqual(DeviceState.Enrolled, reopened.Get(id).State);
            var certificates = reopened.ListCertificates(id);
            Assert.AreEqual(2, certificates.Count, $"{id}: its birth and its operational certificate");
            Assert.AreEqual(TestCertificates.Sha256Of(issued[id]), reopened.GetActiveOperationalCertificate(id)!.Sha256);
        }

        var enrolments = reopenedAudit.List(kind: nameof(AuditEventKind.Enrolment));
        Assert.AreEqual(ids.Length, enrolments.Count, "one audit entry per enrolment");
        CollectionAssert.AreEqual(OperationalSerialsInCommitOrder(dir), enrolments.Select(e => (string)JsonNode.Parse(e.Details)!["serial"]!).ToArray(), "audited in the order committed");
        foreach (var entry in enrolments)
        {
            var serial = (string)JsonNode.Parse(entry.Details)!["serial"]!;
            Assert.AreEqual(entry.Subject, reopened.FindCertificate(gatewayCa.IssuerName, serial)!.DeviceId, "the entry names the device the certificate belongs to");
        }

        Assert.IsTrue(reopenedAudit.Verify().IsIntact);
        foreach (var certificate in issued.Values)
        {
            certificate.Dispose();
        }
    }

    [TestMethod]
    public void A_refused_enrolment_in_a_batch_neither_loses_nor_takes_the_others_records()
    {
        using var dir = new TemporaryDataDirectory();
        using var manufacturer = new TestCertificates("CN=Test Manufacturer Station CA");
        using var gatewayCa = new TestCertificates("CN=Test Gateway Device CA");
        using var audit = AuditLog.Open(dir.Data);
        using var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase, audit: audit);
        string[] good = ["pump-1", "pump-2", "pump-3", "pump-4"];
        var births = InventoryFixture.RegisterWithBirthCertificates(inventory, manufacturer, "pump", [.. good, "pump-revoked", "pump-reused"]);
        inventory.Revoke("pump-revoked", "stolen", "cli:op");
        using var earlier = gatewayCa.Issue("pump-1", serial: [0x01, 0x02, 0x03]);
        inventory.RecordEnrolment("pump-1", earlier, births["pump-1"]);
        var issued = good.ToDictionary(id => id, id => gatewayCa.Issue(id));
        using var forRevoked = gatewayCa.Issue("pump-revoked");
        using var reusedSerial = gatewayCa.Issue("pump-reused", serial: [0x01, 0x02, 0x03]);

        // Hold SQLite's write lock from another connection, so the first writer waits in
        // BEGIN IMMEDIATE while every other enrolment queues behind it: they then commit as one batch.
        Task<IssuedCertificateRecord>[] tasks;
        using (var blocker = SqliteDatabase.OpenConnection(dir.Data.InventoryDatabase, readOnly: false))
        {
            var hold = blocker.BeginTransaction(deferred: false);
            var taken = inventory.EnrolmentsTaken;
            var first = Task.Run(() => inventory.RecordEnrolment("pump-2", issued["pump-2"], births["pump-2"]));
            WaitFor(() => inventory.EnrolmentsTaken == taken + 1);
            tasks =
            [
                first,
                Task.Run(() => inventory.RecordEnrolment("pump-1", issued["pump-1"])),
                Task.Run(() => inventory.RecordEnrolment("pump-revoked", forRevoked, births["pump-revoked"])),
                Task.Run(() => inventory.RecordEnrolment("pump-3", issued["pump-3"], births["pump-3"])),
                Task.Run(() => inventory.RecordEnrolment("pump-reused", reusedSerial, births["pump-reused"])),
                Task.Run(() => inventory.RecordEnrolment("pump-4", issued["pump-4"], births["pump-4"])),
            ];
            WaitFor(() => inventory.QueuedEnrolments == tasks.Length - 1);
            hold.Rollback();
            hold.Dispose();
        }

        Assert.IsTrue(Task.WhenAll(tasks).ContinueWith(_ => { }, TaskScheduler.Default).Wait(Patience));
        var revoked = Assert.ThrowsExactly<InventoryException>(() => tasks[2].GetAwaiter().GetResult());
        Assert.AreEqual(InventoryErrorReason.InvalidStateTransition, revoked.Reason);
        var reused = Assert.ThrowsExactly<InventoryException>(() => tasks[4].GetAwaiter().GetResult());
        Assert.AreEqual(InventoryErrorReason.InvalidCertificate, reused.Reason);
        StringAssert.Contains(reused.Message, "pump-1", "the refusal names the device that holds the serial");

        foreach (var (task, id) in new[] { (tasks[0], "pump-2"), (tasks[1], "pump-1"), (tasks[3], "pump-3"), (tasks[5], "pump-4") })
        {
            Assert.AreEqual(id, task.Result.DeviceId);
            Assert.AreEqual(TestCertificates.Sha256Of(issued[id]), inventory.GetActiveOperationalCertificate(id)!.Sha256, $"{id} holds its own certificate");
        }

        Assert.AreEqual(CertificateStatus.Superseded, inventory.FindCertificate(earlier)!.Status, "pump-1's renewal superseded its earlier certificate");
        Assert.AreEqual(0, inventory.ListCertificates("pump-reused").Count, "the refused enrolment's birth certificate was rolled back with it");
        Assert.AreEqual(DeviceState.Registered, inventory.Get("pump-reused").State);
        Assert.AreEqual(DeviceState.Revoked, inventory.Get("pump-revoked").State);

        var audited = audit.List(kind: nameof(AuditEventKind.Enrolment));
        CollectionAssert.AreEquivalent(new[] { "pump-1", "pump-2", "pump-1", "pump-3", "pump-4" }, audited.Select(e => e.Subject).ToArray(), "the refused ones are not audited");
        CollectionAssert.AreEqual(OperationalSerialsInCommitOrder(dir), audited.Select(e => (string)JsonNode.Parse(e.Details)!["serial"]!).ToArray(), "audited in the order committed");
        Assert.AreEqual(1, audited.Skip(2).Select(e => e.Time).Distinct().Count(), "the batch's three good enrolments were audited in one append");
        Assert.IsTrue(audit.Verify().IsIntact);
        foreach (var certificate in issued.Values.Concat(births.Values))
        {
            certificate.Dispose();
        }
    }

    [TestMethod]
    public void Recording_the_same_enrolment_again_returns_its_record_and_audits_nothing_more()
    {
        using var dir = new TemporaryDataDirectory();
        using var manufacturer = new TestCertificates("CN=Test Manufacturer Station CA");
        using var gatewayCa = new TestCertificates("CN=Test Gateway Device CA");
        using var audit = AuditLog.Open(dir.Data);
        using var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase, audit: audit);
        var births = InventoryFixture.RegisterWithBirthCertificates(inventory, manufacturer, "pump", "pump-1");
        using var certificate = gatewayCa.Issue("pump-1");

        var first = inventory.RecordEnrolment("pump-1", certificate, births["pump-1"]);
        var again = inventory.RecordEnrolment("pump-1", certificate, births["pump-1"]);

        Assert.AreEqual(first, again);
        Assert.AreEqual(1, audit.List(kind: nameof(AuditEventKind.Enrolment)).Count);
        births["pump-1"].Dispose();
    }

    [TestMethod]
    public void A_birth_certificate_that_is_not_the_devices_refuses_the_enrolment()
    {
        using var dir = new TemporaryDataDirectory();
        using var manufacturer = new TestCertificates("CN=Test Manufacturer Station CA");
        using var gatewayCa = new TestCertificates("CN=Test Gateway Device CA");
        using var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase);
        var births = InventoryFixture.RegisterWithBirthCertificates(inventory, manufacturer, "pump", "pump-1", "pump-2");
        using var certificate = gatewayCa.Issue("pump-1");

        var e = Assert.ThrowsExactly<InventoryException>(() => inventory.RecordEnrolment("pump-1", certificate, births["pump-2"]));

        Assert.AreEqual(InventoryErrorReason.InvalidCertificate, e.Reason);
        Assert.AreEqual(DeviceState.Registered, inventory.Get("pump-1").State);
        Assert.IsNull(inventory.GetActiveOperationalCertificate("pump-1"));
        foreach (var birth in births.Values)
        {
            birth.Dispose();
        }
    }

    [TestMethod]
    public void Enrolments_queued_when_the_inventory_closes_are_answered_not_left_waiting()
    {
        using var dir = new TemporaryDataDirectory();
        using var manufacturer = new TestCertificates("CN=Test Manufacturer Station CA");
        using var gatewayCa = new TestCertificates("CN=Test Gateway Device CA");
        var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase);
        var births = InventoryFixture.RegisterWithBirthCertificates(inventory, manufacturer, "pump", "pump-1", "pump-2");
        using var first = gatewayCa.Issue("pump-1");
        using var second = gatewayCa.Issue("pump-2");
        Task<IssuedCertificateRecord> queued;
        using (var blocker = SqliteDatabase.OpenConnection(dir.Data.InventoryDatabase, readOnly: false))
        {
            using var hold = blocker.BeginTransaction(deferred: false);
            var taken = inventory.EnrolmentsTaken;
            var writing = inventory.RecordEnrolmentAsync("pump-1", first, births["pump-1"]);
            WaitFor(() => inventory.EnrolmentsTaken == taken + 1);
            queued = inventory.RecordEnrolmentAsync("pump-2", second, births["pump-2"]);
            var closing = Task.Run(inventory.Dispose);
            hold.Rollback();
            Assert.IsTrue(closing.Wait(Patience));
            Assert.IsTrue(writing.ContinueWith(_ => { }, TaskScheduler.Default).Wait(Patience), "the enrolment being written is answered");
        }

        Assert.IsTrue(queued.ContinueWith(_ => { }, TaskScheduler.Default).Wait(Patience), "the queued enrolment is answered");
        if (queued.IsFaulted)
        {
            Assert.AreEqual(InventoryErrorReason.WriteFailed, ((InventoryException)queued.Exception!.InnerException!).Reason);
        }

        Assert.ThrowsExactly<ObjectDisposedException>(() => inventory.RecordEnrolmentAsync("pump-2", second, births["pump-2"]));
        foreach (var birth in births.Values)
        {
            birth.Dispose();
        }
    }

    private static string[] OperationalSerialsInCommitOrder(TemporaryDataDirectory dir)
    {
        using var connection = SqliteDatabase.OpenConnection(dir.Data.InventoryDatabase, readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT serial_hex FROM certificates WHERE kind = 'operational' ORDER BY rowid;";
        using var reader = command.ExecuteReader();
        var serials = new List<string>();
        while (reader.Read())
        {
            serials.Add(reader.GetString(0));
        }

        return [.. serials];
    }

    private static void WaitFor(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.IsTrue(clock.Elapsed < Patience, "timed out waiting for the enrolments to queue");
            Thread.Yield();
        }
    }
}
