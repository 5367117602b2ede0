using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

[TestClass]
public sealed class InventoryDatabaseTests
{
    [TestMethod]
    public void The_file_uses_wal_and_records_its_schema_version()
    {
        using var dir = new TemporaryDataDirectory();
        DeviceInventory.Open(dir.Data.InventoryDatabase).Dispose();

        using var raw = new SqliteConnection($"Data Source={dir.Data.InventoryDatabase};Pooling=False");
        raw.Open();
        Assert.AreEqual("wal", Scalar(raw, "PRAGMA journal_mode;"));
        Assert.AreEqual(1L, Scalar(raw, "SELECT max(version) FROM schema_version;"));
        Assert.AreEqual("inventory", Scalar(raw, "SELECT schema_name FROM schema_version WHERE version = 1;"));
    }

    [TestMethod]
    public void Reopening_does_not_migrate_again()
    {
        using var dir = new TemporaryDataDirectory();
        DeviceInventory.Open(dir.Data.InventoryDatabase).Dispose();
        DeviceInventory.Open(dir.Data.InventoryDatabase).Dispose();

        using var raw = new SqliteConnection($"Data Source={dir.Data.InventoryDatabase};Pooling=False");
        raw.Open();
        Assert.AreEqual(1L, Scalar(raw, "SELECT count(*) FROM schema_version;"));
    }

    [TestMethod]
    public void A_newer_schema_is_refused_not_downgraded()
    {
        using var dir = new TemporaryDataDirectory();
        DeviceInventory.Open(dir.Data.InventoryDatabase).Dispose();
        using (var raw = new SqliteConnection($"Data Source={dir.Data.InventoryDatabase};Pooling=False"))
        {
            raw.Open();
            Scalar(raw, "INSERT INTO schema_version VALUES (99, 'inventory', 'from the future', '2030-01-01');");
        }

        var error = Assert.ThrowsExactly<InventoryException>(() => DeviceInventory.Open(dir.Data.InventoryDatabase));
        Assert.AreEqual(InventoryErrorReason.UnsupportedDatabase, error.Reason);
        StringAssert.Contains(error.Message, "version 99");
    }

    [TestMethod]
    public void An_audit_file_is_not_opened_as_an_inventory()
    {
        using var dir = new TemporaryDataDirectory();
        AuditLog.Open(dir.Data).Dispose();

        var error = Assert.ThrowsExactly<InventoryException>(() => DeviceInventory.Open(dir.Data.AuditDatabase));
        Assert.AreEqual(InventoryErrorReason.UnsupportedDatabase, error.Reason);
    }

    [TestMethod]
    public void Foreign_keys_are_enforced()
    {
        using var dir = new TemporaryDataDirectory();
        using var inventory = DeviceInventory.Open(dir.Data.InventoryDatabase);
        using var raw = Core.Storage.SqliteDatabase.OpenConnection(dir.Data.InventoryDatabase, readOnly: false);
        var error = Assert.ThrowsExactly<SqliteException>(() => Scalar(raw, "INSERT INTO revocations (device_id, reason, revoked_at, decommissioned) VALUES ('nobody', 'x', 0, 0);"));
        StringAssert.Contains(error.Message, "FOREIGN KEY");
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
