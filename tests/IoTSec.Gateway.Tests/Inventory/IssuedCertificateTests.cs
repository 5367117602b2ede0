using System;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

[TestClass]
public sealed class IssuedCertificateTests
{
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
    public void First_operational_certificate_enrols_the_device()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        using var certificate = _gatewayCa.Issue("pump-1");

        var record = _inventory.RecordIssuedCertificate("pump-1", certificate);

        Assert.AreEqual(CertificateStatus.Active, record.Status);
        Assert.AreEqual(CertificateKind.Operational, record.Kind);
        Assert.AreEqual(_gatewayCa.IssuerName, record.Issuer);
        Assert.AreEqual(certificate.SerialNumber.TrimStart('0'), record.SerialHex.TrimStart('0'));
        Assert.AreEqual(TestCertificates.Sha256Of(certificate), record.Sha256);
        Assert.AreEqual(DeviceState.Enrolled, _inventory.Get("pump-1").State);
        Assert.AreEqual(record, _inventory.GetActiveOperationalCertificate("pump-1"));
    }

    [TestMethod]
    public void Renewal_supersedes_the_previous_operational_certificate()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1", "pump-2");
        using var first = _gatewayCa.Issue("pump-1");
        using var second = _gatewayCa.Issue("pump-1");
        using var third = _gatewayCa.Issue("pump-1");
        using var other = _gatewayCa.Issue("pump-2");
        _inventory.RecordIssuedCertificate("pump-1", first);
        _inventory.RecordIssuedCertificate("pump-2", other);
        _inventory.RecordIssuedCertificate("pump-1", second);
        _inventory.RecordIssuedCertificate("pump-1", third);

        var certificates = _inventory.ListCertificates("pump-1");

        Assert.AreEqual(3, certificates.Count);
        Assert.AreEqual(CertificateStatus.Superseded, _inventory.FindCertificate(first)!.Status);
        Assert.AreEqual(CertificateStatus.Superseded, _inventory.FindCertificate(second)!.Status);
        Assert.AreEqual(CertificateStatus.Active, _inventory.FindCertificate(third)!.Status);
        Assert.AreEqual(TestCertificates.Sha256Of(third), _inventory.GetActiveOperationalCertificate("pump-1")!.Sha256);
        Assert.AreEqual(CertificateStatus.Active, _inventory.FindCertificate(other)!.Status, "another device's certificate is untouched");
    }

    [TestMethod]
    public void The_database_itself_refuses_a_second_active_operational_certificate()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        using var certificate = _gatewayCa.Issue("pump-1");
        _inventory.RecordIssuedCertificate("pump-1", certificate);

        // Bypass the inventory's code: the partial unique index must hold on its own.
        using var raw = new SqliteConnection($"Data Source={_dir.Data.InventoryDatabase};Pooling=False");
        raw.Open();
        using var insert = raw.CreateCommand();
        insert.CommandText = """
            INSERT INTO certificates (issuer, serial_hex, device_id, sha256, kind, status, not_before, not_after, recorded_at)
            VALUES ('CN=Other', '01', 'pump-1', printf('%064d', 7), 'operational', 'active', 0, 1, 0);
            """;
        var error = Assert.ThrowsExactly<SqliteException>(() => insert.ExecuteNonQuery());
        StringAssert.Contains(error.Message, "UNIQUE");

        insert.CommandText = insert.CommandText.Replace("'active'", "'superseded'", StringComparison.Ordinal);
        Assert.AreEqual(1, insert.ExecuteNonQuery(), "a superseded one is allowed");
    }

    [TestMethod]
    public void Recording_the_same_certificate_twice_returns_the_same_record()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        using var certificate = _gatewayCa.Issue("pump-1");
        var first = _inventory.RecordIssuedCertificate("pump-1", certificate);
        Assert.AreEqual(first, _inventory.RecordIssuedCertificate("pump-1", certificate));
        Assert.AreEqual(1, _inventory.ListCertificates("pump-1").Count);
    }

    [TestMethod]
    public void A_certificate_recorded_for_one_device_is_refused_for_another()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1", "pump-2");
        using var certificate = _gatewayCa.Issue("pump-1");
        _inventory.RecordIssuedCertificate("pump-1", certificate);

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.RecordIssuedCertificate("pump-2", certificate));
        Assert.AreEqual(InventoryErrorReason.InvalidCertificate, error.Reason);
    }

    [TestMethod]
    public void Birth_certificate_must_match_the_imported_fingerprint()
    {
        var births = InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1", "pump-2");

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.RecordIssuedCertificate("pump-1", births["pump-2"], CertificateKind.Birth));
        Assert.AreEqual(InventoryErrorReason.InvalidCertificate, error.Reason);

        var record = _inventory.RecordIssuedCertificate("pump-1", births["pump-1"], CertificateKind.Birth);
        Assert.AreEqual(CertificateKind.Birth, record.Kind);
        Assert.AreEqual(DeviceState.Registered, _inventory.Get("pump-1").State, "presenting the birth certificate does not enrol");
    }

    [TestMethod]
    public void Serials_are_unique_per_issuer_only()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1", "pump-2");
        using var otherStation = new TestCertificates("CN=Another Station CA");
        using var fromGateway = _gatewayCa.Issue("pump-1", [0x05]);
        using var fromOther = otherStation.Issue("pump-2", [0x05]);
        _inventory.RecordIssuedCertificate("pump-1", fromGateway);
        _inventory.RecordIssuedCertificate("pump-2", fromOther);

        _inventory.Revoke("pump-1", "lost");

        Assert.IsTrue(_inventory.IsRevoked(fromGateway));
        Assert.IsFalse(_inventory.IsRevoked(fromOther), "the same serial from another issuer is another certificate");
    }

    [TestMethod]
    public void Unknown_device_cannot_receive_a_certificate()
    {
        using var certificate = _gatewayCa.Issue("ghost");
        Assert.AreEqual(InventoryErrorReason.UnknownDevice, Assert.ThrowsExactly<InventoryException>(() => _inventory.RecordIssuedCertificate("ghost", certificate)).Reason);
    }

    [TestMethod]
    public void Revoked_device_cannot_receive_a_certificate()
    {
        InventoryFixture.RegisterWithBirthCertificates(_inventory, _manufacturer, "pump", "pump-1");
        _inventory.Revoke("pump-1", "stolen");
        using var certificate = _gatewayCa.Issue("pump-1");

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.RecordIssuedCertificate("pump-1", certificate));
        Assert.AreEqual(InventoryErrorReason.InvalidStateTransition, error.Reason);
        Assert.IsNull(_inventory.GetActiveOperationalCertificate("pump-1"));
    }
}
