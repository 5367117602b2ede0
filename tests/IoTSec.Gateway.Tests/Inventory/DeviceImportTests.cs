using System;
using System.Linq;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

[TestClass]
public sealed class DeviceImportTests
{
    private const string Fp1 = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string Fp2 = "2222222222222222222222222222222222222222222222222222222222222222";
    private const string Fp3 = "3333333333333333333333333333333333333333333333333333333333333333";

    private TemporaryDataDirectory _dir = null!;
    private DeviceInventory _inventory = null!;

    [TestInitialize]
    public void Open()
    {
        _dir = new TemporaryDataDirectory();
        _inventory = DeviceInventory.Open(_dir.Data.InventoryDatabase);
    }

    [TestCleanup]
    public void Close()
    {
        _inventory.Dispose();
        _dir.Dispose();
    }

    [TestMethod]
    public void Csv_with_comments_blank_lines_and_colon_fingerprints_registers_every_device()
    {
        var colons = string.Join(':', Enumerable.Range(0, 32).Select(_ => "AB"));
        var file = _dir.Write("devices.csv", $"""
            # from the factory line, batch 7
            deviceId,deviceClass,birthCertificateSha256

            pump-0001,infusion-pump,{Fp1}
            pump-0002,infusion-pump,{colons}
            sensor_a.1,temp-sensor,{Fp3}
            """);

        Assert.AreEqual(3, _inventory.Import(file, "test"));

        var pump = _inventory.Get("pump-0002");
        Assert.AreEqual(DeviceState.Registered, pump.State);
        Assert.AreEqual("infusion-pump", pump.DeviceClass);
        Assert.AreEqual(string.Concat(Enumerable.Repeat("ab", 32)), pump.BirthCertificateSha256);
        Assert.AreEqual(2, _inventory.List(deviceClass: "infusion-pump").Count);
        Assert.AreEqual(3, _inventory.List(DeviceState.Registered).Count);
        Assert.AreEqual(0, _inventory.List(DeviceState.Operating).Count);
        Assert.AreEqual("pump-0001", _inventory.FindByBirthCertificate(Fp1.ToUpperInvariant())?.DeviceId);
    }

    [TestMethod]
    public void Csv_columns_may_come_in_any_order()
    {
        var file = _dir.Write("devices.csv", $"deviceClass,birthCertificateSha256,deviceId\ncam,{Fp1},cam-1\n");
        Assert.AreEqual(1, _inventory.Import(file, "test"));
        Assert.AreEqual("cam", _inventory.Get("cam-1").DeviceClass);
    }

    [TestMethod]
    public void Json_array_registers_every_device()
    {
        var file = _dir.Write("devices.json", $$"""
            [
              { "deviceId": "pump-1", "deviceClass": "pump", "birthCertificateSha256": "{{Fp1}}" },
              { "deviceId": "pump-2", "deviceClass": "pump", "birthCertificateSha256": "{{Fp2}}" }
            ]
            """);

        Assert.AreEqual(2, _inventory.Import(file, "test"));
        Assert.AreEqual(2, _inventory.List().Count);
    }

    [TestMethod]
    public void Duplicate_within_the_file_names_the_second_line_and_imports_nothing()
    {
        var file = _dir.Write("devices.csv", $"deviceId,deviceClass,birthCertificateSha256\npump-1,pump,{Fp1}\npump-2,pump,{Fp2}\npump-1,pump,{Fp3}\n");

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(file, "test"));

        Assert.AreEqual(InventoryErrorReason.AlreadyExists, error.Reason);
        Assert.AreEqual(4, error.LineNumber);
        StringAssert.Contains(error.Message, "devices.csv line 4");
        StringAssert.Contains(error.Message, "first on line 2");
        Assert.AreEqual(0, _inventory.List().Count);
    }

    [TestMethod]
    public void Device_already_in_the_inventory_names_the_line_and_the_import_is_all_or_nothing()
    {
        _inventory.Import(_dir.Write("first.csv", $"deviceId,deviceClass,birthCertificateSha256\npump-1,pump,{Fp1}\n"), "test");
        var second = _dir.Write("second.csv", $"deviceId,deviceClass,birthCertificateSha256\npump-2,pump,{Fp2}\npump-1,pump,{Fp3}\n");

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(second, "test"));

        Assert.AreEqual(InventoryErrorReason.AlreadyExists, error.Reason);
        Assert.AreEqual(3, error.LineNumber);
        Assert.IsNull(_inventory.Find("pump-2"), "the device on line 2 must not be imported when line 3 fails");
    }

    [TestMethod]
    public void Birth_certificate_registered_to_another_device_is_refused()
    {
        _inventory.Import(_dir.Write("first.csv", $"deviceId,deviceClass,birthCertificateSha256\npump-1,pump,{Fp1}\n"), "test");
        var clone = _dir.Write("clone.csv", $"deviceId,deviceClass,birthCertificateSha256\npump-9,pump,{Fp1}\n");

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(clone, "test"));

        Assert.AreEqual(InventoryErrorReason.AlreadyExists, error.Reason);
        Assert.AreEqual(2, error.LineNumber);
        StringAssert.Contains(error.Message, "already registered to device 'pump-1'");
    }

    [TestMethod]
    [DataRow("pump-1,pump\n", InventoryErrorReason.InvalidImportFile, DisplayName = "two fields")]
    [DataRow("pump-1,pump," + Fp2 + ",extra\n", InventoryErrorReason.InvalidImportFile, DisplayName = "four fields")]
    [DataRow("pump/1,pump," + Fp2 + "\n", InventoryErrorReason.InvalidDeviceId, DisplayName = "slash in the id")]
    [DataRow(",pump," + Fp2 + "\n", InventoryErrorReason.InvalidDeviceId, DisplayName = "empty id")]
    [DataRow("pump-2,pump class," + Fp2 + "\n", InventoryErrorReason.InvalidDeviceClass, DisplayName = "space in the class")]
    [DataRow("pump-2,pump,abcd\n", InventoryErrorReason.InvalidFingerprint, DisplayName = "short fingerprint")]
    [DataRow("pump-2,pump," + "zz22222222222222222222222222222222222222222222222222222222222222" + "\n", InventoryErrorReason.InvalidFingerprint, DisplayName = "not hex")]
    public void Malformed_csv_line_is_named(string badLine, InventoryErrorReason reason)
    {
        var file = _dir.Write("bad.csv", $"deviceId,deviceClass,birthCertificateSha256\n# comment\npump-1,pump,{Fp1}\n{badLine}pump-3,pump,{Fp3}\n");

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(file, "test"));

        Assert.AreEqual(reason, error.Reason);
        Assert.AreEqual(4, error.LineNumber);
        StringAssert.StartsWith(error.Message, "bad.csv line 4: ");
        Assert.AreEqual(0, _inventory.List().Count);
    }

    [TestMethod]
    public void Device_id_longer_than_64_is_refused()
    {
        var file = _dir.Write("long.csv", $"deviceId,deviceClass,birthCertificateSha256\n{new string('a', 65)},pump,{Fp1}\n");
        Assert.AreEqual(InventoryErrorReason.InvalidDeviceId, Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(file, "test")).Reason);
    }

    [TestMethod]
    public void Missing_header_is_named()
    {
        var file = _dir.Write("noheader.csv", $"\npump-1,pump,{Fp1}\n");
        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(file, "test"));
        Assert.AreEqual(InventoryErrorReason.InvalidImportFile, error.Reason);
        Assert.AreEqual(2, error.LineNumber);
    }

    [TestMethod]
    public void Malformed_json_names_the_line()
    {
        var file = _dir.Write("bad.json", $$"""
            [
              { "deviceId": "pump-1", "deviceClass": "pump", "birthCertificateSha256": "{{Fp1}}" },
              { "deviceId": "pump-2", "deviceClass": "pump", "birthCertificateSha256": "{{Fp2}}" }
              { "deviceId": "pump-3", "deviceClass": "pump", "birthCertificateSha256": "{{Fp3}}" }
            ]
            """);

        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(file, "test"));

        Assert.AreEqual(InventoryErrorReason.InvalidImportFile, error.Reason);
        Assert.AreEqual(4, error.LineNumber);
    }

    [TestMethod]
    public void Json_with_an_unknown_property_or_bad_id_names_the_line()
    {
        var unknown = _dir.Write("unknown.json", $$"""
            [
              { "deviceId": "pump-1", "deviceClass": "pump",
                "birthCertificateSha256": "{{Fp1}}", "privateKey": "x" }
            ]
            """);
        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(unknown, "test"));
        Assert.AreEqual(InventoryErrorReason.InvalidImportFile, error.Reason);
        Assert.AreEqual(3, error.LineNumber);

        var badId = _dir.Write("badid.json", $$"""
            [
              { "deviceId": "pump-1", "deviceClass": "pump", "birthCertificateSha256": "{{Fp1}}" },
              { "deviceId": "pump 2", "deviceClass": "pump", "birthCertificateSha256": "{{Fp2}}" }
            ]
            """);
        error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(badId, "test"));
        Assert.AreEqual(InventoryErrorReason.InvalidDeviceId, error.Reason);
        Assert.AreEqual(3, error.LineNumber);
    }

    [TestMethod]
    public void Missing_file_is_an_import_error()
    {
        var error = Assert.ThrowsExactly<InventoryException>(() => _inventory.Import(_dir.File("nope.csv"), "test"));
        Assert.AreEqual(InventoryErrorReason.InvalidImportFile, error.Reason);
    }

    [TestMethod]
    public void Unknown_and_invalid_device_ids_have_their_own_reasons()
    {
        Assert.AreEqual(InventoryErrorReason.UnknownDevice, Assert.ThrowsExactly<InventoryException>(() => _inventory.Get("nobody")).Reason);
        Assert.AreEqual(InventoryErrorReason.InvalidDeviceId, Assert.ThrowsExactly<InventoryException>(() => _inventory.Get("../etc/passwd")).Reason);
        Assert.AreEqual(InventoryErrorReason.InvalidDeviceId, Assert.ThrowsExactly<InventoryException>(() => _inventory.Get(string.Empty)).Reason);
    }
}
