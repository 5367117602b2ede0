using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

[TestClass]
public sealed class RevocationTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private TemporaryDataDirectory _dir = null!;
    private TestCertificates _manufacturer = null!;
    private TestCertificates _gatewayCa = null!;
    private DeviceInventory _inventory = null!;

    [TestInitialize]
    public void Open()
    {
        _dir = new TemporaryDataDirectory();
        _manufacturer = new TestCertificates("CN=Test Manufacturer Station CA");
        _gatewayCa = new TestCertificates("CN=Test Gateway Device CA");
        _inventory = DeviceInventory.Open(_dir.Data.InventoryDatabase);
    }

    [TestCleanup]
    public void Close()
    {
        _inventory.Dispose();
        _manufacturer.Dispose();
        _gatewayCa.Dispose();
        _dir.Dispose();
    }

    [TestMethod]
    public async Task Revoke_revokes_every_certificate_and_a_subscriber_sees_it_within_a_second()
    {
        var births = InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1", "pump-2");
        using var old = _gatewayCa.Issue("pump-1");
        using var current = _gatewayCa.Issue("pump-1");
        using var bystander = _gatewayCa.Issue("pump-2");
        _inventory.RecordIssuedCertificate("pump-1", births["pump-1"], CertificateKind.Birth);
        _inventory.RecordIssuedCertificate("pump-1", old);
        _inventory.RecordIssuedCertificate("pump-1", current);
        _inventory.RecordIssuedCertificate("pump-2", bystander);
        Assert.IsFalse(_inventory.IsRevoked(current));

        using var subscription = _inventory.Revocations.Subscribe();
        // The subscriber runs on its own task, as a broker session would.
        var received = Task.Run(async () => await subscription.Reader.ReadAsync().ConfigureAwait(false));

        var returned = _inventory.Revoke("pump-1", "reported stolen", "test");
        var clock = Stopwatch.StartNew();
        var revocation = await received.WaitAsync(Budget).ConfigureAwait(false);
        clock.Stop();

        Assert.IsTrue(clock.Elapsed < Budget, $"event after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.AreEqual("pump-1", revocation.DeviceId);
        Assert.AreEqual("reported stolen", revocation.Reason);
        Assert.IsFalse(revocation.Decommissioned);
        Assert.AreEqual(returned, revocation);
        CollectionAssert.AreEquivalent(
            new[] { births["pump-1"], old, current }.Select(c => c.SerialNumber.TrimStart('0')).ToArray(),
            revocation.Certificates.Select(c => c.SerialHex.TrimStart('0')).ToArray());

        Assert.IsTrue(_inventory.IsRevoked(current), "the active operational certificate");
        Assert.IsTrue(_inventory.IsRevoked(old), "a superseded certificate that has not expired");
        Assert.IsTrue(_inventory.IsRevoked(births["pump-1"]), "the birth certificate: no second enrolment");
        Assert.IsFalse(_inventory.IsRevoked(bystander));
        Assert.IsTrue(_inventory.IsDeviceRevoked("pump-1"));
        Assert.IsFalse(_inventory.IsDeviceRevoked("pump-2"));
        Assert.AreEqual(DeviceState.Revoked, _inventory.Get("pump-1").State);
        Assert.IsTrue(_inventory.ListCertificates("pump-1").All(c => c.Status == CertificateStatus.Revoked && c.RevocationReason == "reported stolen" && c.RevokedAt is not null));
    }

    [TestMethod]
    public void IsRevoked_accepts_serials_in_any_common_spelling()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        using var certificate = _gatewayCa.Issue("pump-1", [0x00, 0x8A, 0x1B, 0x2C]);
        _inventory.RecordIssuedCertificate("pump-1", certificate);
        _inventory.Revoke("pump-1", "test");

        Assert.IsTrue(_inventory.IsRevoked(_gatewayCa.IssuerName, "008A1B2C"));
        Assert.IsTrue(_inventory.IsRevoked(_gatewayCa.IssuerName, "8a:1b:2c"));
        Assert.IsFalse(_inventory.IsRevoked(_gatewayCa.IssuerName, "not hex"));
        Assert.IsFalse(_inventory.IsRevoked("CN=Someone Else", "8A1B2C"));
    }

    [TestMethod]
    public void Revoking_twice_or_an_unknown_device_is_refused()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        _inventory.Revoke("pump-1", "first");

        Assert.AreEqual(InventoryErrorReason.InvalidStateTransition, Assert.ThrowsExactly<InventoryException>(() => _inventory.Revoke("pump-1", "again")).Reason);
        Assert.AreEqual(InventoryErrorReason.UnknownDevice, Assert.ThrowsExactly<InventoryException>(() => _inventory.Revoke("pump-9", "x")).Reason);
        Assert.AreEqual(InventoryErrorReason.InvalidText, Assert.ThrowsExactly<InventoryException>(() => _inventory.Revoke("pump-1", "  ")).Reason);
        Assert.AreEqual(InventoryErrorReason.InvalidText, Assert.ThrowsExactly<InventoryException>(() => _inventory.Decommission("pump-1", "test", "line1\nline2")).Reason);
    }

    [TestMethod]
    public async Task Decommission_revokes_and_closes_the_entry()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        using var certificate = _gatewayCa.Issue("pump-1");
        _inventory.RecordIssuedCertificate("pump-1", certificate);
        using var subscription = _inventory.Revocations.Subscribe();

        _inventory.Decommission("pump-1", "test");

        var revocation = await subscription.Reader.ReadAsync().AsTask().WaitAsync(Budget).ConfigureAwait(false);
        Assert.IsTrue(revocation.Decommissioned);
        Assert.AreEqual(1, revocation.Certificates.Count);
        var device = _inventory.Get("pump-1");
        Assert.AreEqual(DeviceState.Decommissioned, device.State);
        Assert.IsNotNull(device.ClosedAt);
        Assert.IsTrue(_inventory.IsRevoked(certificate));
        Assert.AreEqual(InventoryErrorReason.InvalidStateTransition, Assert.ThrowsExactly<InventoryException>(() => _inventory.Decommission("pump-1", "test")).Reason);
        Assert.AreEqual(InventoryErrorReason.InvalidStateTransition, Assert.ThrowsExactly<InventoryException>(() => _inventory.Revoke("pump-1", "x")).Reason);
    }

    [TestMethod]
    public void A_revoked_device_can_be_decommissioned_later()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        using var certificate = _gatewayCa.Issue("pump-1");
        _inventory.RecordIssuedCertificate("pump-1", certificate);
        _inventory.Revoke("pump-1", "compromised");

        var closing = _inventory.Decommission("pump-1", "test");

        Assert.AreEqual(0, closing.Certificates.Count, "nothing left to revoke");
        Assert.AreEqual(DeviceState.Decommissioned, _inventory.Get("pump-1").State);
        Assert.AreEqual("compromised", _inventory.FindCertificate(certificate)!.RevocationReason, "the original reason is kept");
    }

    [TestMethod]
    public void Revoked_set_and_states_survive_reopening()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1", "pump-2", "pump-3");
        using var revoked = _gatewayCa.Issue("pump-1");
        using var retired = _gatewayCa.Issue("pump-2");
        using var fine = _gatewayCa.Issue("pump-3");
        _inventory.RecordIssuedCertificate("pump-1", revoked);
        _inventory.RecordIssuedCertificate("pump-2", retired);
        _inventory.RecordIssuedCertificate("pump-3", fine);
        _inventory.Revoke("pump-1", "stolen");
        _inventory.Decommission("pump-2", "test");
        _inventory.Dispose();

        using var reopened = DeviceInventory.Open(_dir.Data.InventoryDatabase);

        Assert.IsTrue(reopened.IsRevoked(revoked));
        Assert.IsTrue(reopened.IsRevoked(retired));
        Assert.IsFalse(reopened.IsRevoked(fine));
        Assert.AreEqual(2, reopened.RevokedCertificateCount);
        Assert.IsTrue(reopened.IsDeviceRevoked("pump-1"));
        Assert.IsTrue(reopened.IsDeviceRevoked("pump-2"));
        Assert.AreEqual(DeviceState.Revoked, reopened.Get("pump-1").State);
        Assert.AreEqual(DeviceState.Decommissioned, reopened.Get("pump-2").State);
        Assert.AreEqual(DeviceState.Enrolled, reopened.Get("pump-3").State);
        Assert.AreEqual(0, reopened.PollRevocations().Count, "old revocations are not published again");
    }

    // A one-second budget measured on a timer-driven poll: run it alone, after the parallel
    // tests, so that daemons other tests start on the same two cores cannot starve the timer.
    [TestMethod]
    [DoNotParallelize]
    public async Task A_revocation_committed_by_another_process_reaches_subscribers_within_a_second()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        using var certificate = _gatewayCa.Issue("pump-1");
        _inventory.RecordIssuedCertificate("pump-1", certificate);
        using var subscription = _inventory.Revocations.Subscribe();
        using var poller = new RevocationPoller(_inventory, TimeSpan.FromMilliseconds(100));

        // A second connection to the same file stands for the `devices revoke` verb's process.
        using (var cli = DeviceInventory.Open(_dir.Data.InventoryDatabase))
        {
            cli.Revoke("pump-1", "revoked from the CLI", "cli:test");
        }

        var clock = Stopwatch.StartNew();
        var revocation = await subscription.Reader.ReadAsync().AsTask().WaitAsync(Budget).ConfigureAwait(false);
        Assert.IsTrue(clock.Elapsed < Budget);
        Assert.AreEqual("pump-1", revocation.DeviceId);
        Assert.AreEqual(1, revocation.Certificates.Count);
        Assert.IsTrue(_inventory.IsRevoked(certificate));
    }

    [TestMethod]
    public async Task Unsubscribing_completes_the_reader_and_stops_delivery()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1", "pump-2");
        var gone = _inventory.Revocations.Subscribe();
        using var staying = _inventory.Revocations.Subscribe();
        Assert.AreEqual(2, _inventory.Revocations.SubscriberCount);

        gone.Dispose();
        _inventory.Revoke("pump-1", "x");

        Assert.AreEqual(1, _inventory.Revocations.SubscriberCount);
        Assert.IsFalse(gone.Reader.TryRead(out _));
        await gone.Reader.Completion.WaitAsync(Budget).ConfigureAwait(false);
        Assert.IsTrue(staying.Reader.TryRead(out var seen));
        Assert.AreEqual("pump-1", seen.DeviceId);
    }

    [TestMethod]
    public void Subscribing_and_unsubscribing_while_revoking_from_other_threads_is_safe()
    {
        var ids = Enumerable.Range(0, 40).Select(i => "dev-" + i).ToArray();
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", ids);
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var s = _inventory.Revocations.Subscribe();
                s.Reader.TryRead(out _);
            }
        });
        using var steady = _inventory.Revocations.Subscribe();

        Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, id => _inventory.Revoke(id, "bulk"));
        stop.Cancel();
        churn.Wait();

        var seen = 0;
        while (steady.Reader.TryRead(out _))
        {
            seen++;
        }

        Assert.AreEqual(ids.Length, seen);
        Assert.AreEqual(1, _inventory.Revocations.SubscriberCount);
    }
}
