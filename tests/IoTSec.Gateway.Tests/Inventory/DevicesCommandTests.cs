using System;
using System.Linq;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

[TestClass]
public sealed class DevicesCommandTests
{
    private TemporaryDataDirectory _dir = null!;

    [TestInitialize]
    public void Create() => _dir = new TemporaryDataDirectory();

    [TestCleanup]
    public void Remove() => _dir.Dispose();

    [TestMethod]
    public void Import_then_list_as_table_and_as_json()
    {
        var file = ImportFile();

        var import = GatewayCli.Run(_dir.Path, "devices", "import", file);
        Assert.AreEqual(0, import.ExitCode, import.ToString());
        StringAssert.Contains(import.Output, "imported 3 device(s)");

        var table = GatewayCli.Run(_dir.Path, "devices", "list", "--class", "pump");
        Assert.AreEqual(0, table.ExitCode, table.ToString());
        StringAssert.Contains(table.Output, "pump-1");
        StringAssert.Contains(table.Output, "registered");
        Assert.IsFalse(table.Output.Contains("cam-1", StringComparison.Ordinal));
        StringAssert.Contains(table.Output, "2 device(s)");

        var json = GatewayCli.Run(_dir.Path, "devices", "list", "--state", "Registered", "--json");
        Assert.AreEqual(0, json.ExitCode, json.ToString());
        var devices = JsonNode.Parse(json.Output)!.AsArray();
        CollectionAssert.AreEqual(new[] { "cam-1", "pump-1", "pump-2" }, devices.Select(d => (string)d!["deviceId"]!).ToArray());
        Assert.AreEqual("registered", (string)devices[0]!["state"]!);
    }

    [TestMethod]
    public void Import_of_a_malformed_file_names_the_line_and_fails()
    {
        var file = _dir.Write("bad.csv", "deviceId,deviceClass,birthCertificateSha256\npump-1,pump," + new string('1', 64) + "\npump-2,pump\n");

        var result = GatewayCli.Run(_dir.Path, "devices", "import", file);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.StartsWith(result.Error, "error: bad.csv line 3: ");
        Assert.AreEqual(string.Empty, result.Output);
        Assert.IsFalse(result.Error.Contains("   at ", StringComparison.Ordinal), "no stack trace for a user error");
    }

    [TestMethod]
    public void Release_takes_a_quarantined_device_back_to_operating_and_refuses_any_other()
    {
        GatewayCli.Run(_dir.Path, "devices", "import", ImportFile());
        using (var ca = new TestCertificates())
        using (var audit = AuditLog.Open(_dir.Data))
        using (var inventory = DeviceInventory.Open(_dir.Data.InventoryDatabase, audit: audit))
        using (var certificate = ca.Issue("pump-1"))
        {
            inventory.RecordIssuedCertificate("pump-1", certificate);
            inventory.ApplyLifecycleEvent("pump-1", DeviceLifecycleEvent.Quarantine, "posture", "unknown firmware");
        }

        var notQuarantined = GatewayCli.Run(_dir.Path, "devices", "release", "pump-2", "--reason", "inspected");
        Assert.AreEqual(1, notQuarantined.ExitCode, notQuarantined.ToString());
        Assert.IsFalse(notQuarantined.Error.Contains("   at ", StringComparison.Ordinal), "no stack trace for a user error");

        var release = GatewayCli.Run(_dir.Path, "devices", "release", "pump-1", "--reason", "reflashed and inspected");
        Assert.AreEqual(0, release.ExitCode, release.ToString());
        StringAssert.Contains(release.Output, "released pump-1: operating");

        using var log = AuditLog.Open(_dir.Data);
        var entry = log.List(kind: nameof(AuditEventKind.QuarantineRelease)).Single();
        Assert.AreEqual("pump-1", entry.Subject);
        StringAssert.Contains(entry.Details, "reflashed and inspected");
    }

    [TestMethod]
    public void Revoke_then_show_and_the_audit_log_records_it()
    {
        GatewayCli.Run(_dir.Path, "devices", "import", ImportFile());
        using (var ca = new TestCertificates())
        using (var inventory = DeviceInventory.Open(_dir.Data.InventoryDatabase))
        using (var certificate = ca.Issue("pump-1"))
        {
            inventory.RecordIssuedCertificate("pump-1", certificate);
        }

        var revoke = GatewayCli.Run(_dir.Path, "devices", "revoke", "pump-1", "--reason", "reported stolen");
        Assert.AreEqual(0, revoke.ExitCode, revoke.ToString());
        StringAssert.Contains(revoke.Output, "revoked pump-1: 1 certificate(s) revoked");

        var show = GatewayCli.Run(_dir.Path, "devices", "show", "pump-1", "--json");
        Assert.AreEqual(0, show.ExitCode, show.ToString());
        var device = JsonNode.Parse(show.Output)!;
        Assert.AreEqual("revoked", (string)device["state"]!);
        Assert.AreEqual("reported stolen", (string)device["certificates"]![0]!["revocationReason"]!);

        var table = GatewayCli.Run(_dir.Path, "devices", "show", "pump-1");
        StringAssert.Contains(table.Output, "revoked");

        using var audit = AuditLog.Open(_dir.Data);
        var entry = audit.List(kind: "Revocation").Single();
        Assert.AreEqual("pump-1", entry.Subject);
        StringAssert.StartsWith(entry.Actor, "cli:");
        StringAssert.Contains(entry.Details, "reported stolen");
    }

    [TestMethod]
    public void Refusals_exit_non_zero_with_one_line()
    {
        GatewayCli.Run(_dir.Path, "devices", "import", ImportFile());

        var unknown = GatewayCli.Run(_dir.Path, "devices", "revoke", "pump-9", "--reason", "x");
        Assert.AreEqual(1, unknown.ExitCode);
        Assert.AreEqual("error: no device 'pump-9' in the inventory", unknown.Error.Trim());

        var noReason = GatewayCli.Run(_dir.Path, "devices", "revoke", "pump-1");
        Assert.AreNotEqual(0, noReason.ExitCode, "--reason is required");

        var badState = GatewayCli.Run(_dir.Path, "devices", "list", "--state", "7");
        Assert.AreNotEqual(0, badState.ExitCode);

        Assert.AreEqual(0, GatewayCli.Run(_dir.Path, "devices", "decommission", "pump-2").ExitCode);
        var again = GatewayCli.Run(_dir.Path, "devices", "decommission", "pump-2");
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.Error, "decommissioned");

        var badId = GatewayCli.Run(_dir.Path, "devices", "show", "../x");
        Assert.AreEqual(1, badId.ExitCode);
        StringAssert.Contains(badId.Error, "invalid device id");
    }

    [TestMethod]
    public void Every_mutating_verb_writes_an_audit_entry()
    {
        GatewayCli.Run(_dir.Path, "devices", "import", ImportFile());
        GatewayCli.Run(_dir.Path, "devices", "revoke", "pump-1", "--reason", "lost");
        GatewayCli.Run(_dir.Path, "devices", "decommission", "pump-2", "--reason", "end of life");
        GatewayCli.Run(_dir.Path, "devices", "list");
        GatewayCli.Run(_dir.Path, "devices", "show", "cam-1");

        using var audit = AuditLog.Open(_dir.Data);
        CollectionAssert.AreEqual(
            new[] { "DeviceImport", "Revocation", "Decommission" },
            audit.List().Select(e => e.Kind).ToArray());
    }

    [TestMethod]
    public void A_missing_data_directory_is_reported_by_verbs_that_only_read_or_change_state()
    {
        var missing = _dir.File("typo");

        var list = GatewayCli.Run(missing, "devices", "list");
        var verify = GatewayCli.Run(missing, "audit", "verify");

        Assert.AreEqual(1, list.ExitCode);
        StringAssert.Contains(list.Error, "does not exist");
        Assert.AreEqual(1, verify.ExitCode);
        Assert.IsFalse(System.IO.Directory.Exists(missing));
        Assert.AreEqual(0, GatewayCli.Run(missing, "devices", "import", ImportFile()).ExitCode, "import creates it");
        Assert.IsTrue(System.IO.Directory.Exists(missing));
    }

    [TestMethod]
    public void Data_directory_comes_from_the_option_then_the_environment()
    {
        Assert.AreEqual(_dir.Path, GatewayDataDirectory.Resolve(_dir.Path).Root);
        var saved = Environment.GetEnvironmentVariable(GatewayDataDirectory.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(GatewayDataDirectory.EnvironmentVariable, _dir.File("from-env"));
            Assert.AreEqual(_dir.File("from-env"), GatewayDataDirectory.Resolve(null).Root);
            Assert.AreEqual(_dir.Path, GatewayDataDirectory.Resolve(_dir.Path).Root, "the option wins");
            Environment.SetEnvironmentVariable(GatewayDataDirectory.EnvironmentVariable, null);
            Assert.AreEqual(System.IO.Path.GetFullPath("iotsec-data"), GatewayDataDirectory.Resolve(null).Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(GatewayDataDirectory.EnvironmentVariable, saved);
        }
    }

    private string ImportFile() => _dir.Write("devices.csv", $"""
        deviceId,deviceClass,birthCertificateSha256
        pump-1,pump,{new string('1', 64)}
        pump-2,pump,{new string('2', 64)}
        cam-1,camera,{new string('3', 64)}
        """);
}
