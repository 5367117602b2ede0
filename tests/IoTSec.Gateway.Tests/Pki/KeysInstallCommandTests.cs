using System;
using System.IO;
using System.Linq;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Tests.Backup;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Pki;

/// <summary>`iotsec-gateway keys install`: the ceremony's output is checked at the gateway before it is installed.</summary>
[TestClass]
public sealed class KeysInstallCommandTests
{
    private static BackupFleet _fleet = null!;

    [ClassInitialize]
    public static void CreateFleet(TestContext context) => _fleet = BackupFleet.Create("Install Root");

    [ClassCleanup]
    public static void DisposeFleet() => _fleet.Dispose();

    [TestMethod]
    public void InstallsTheCheckedFilesAtomicallyAndAuditsIt()
    {
        using var gateway = SoftwareGatewayDirectory.Create(_fleet, "gw-install");

        var result = gateway.Install();

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "installed the intermediate");
        Assert.AreEqual(string.Empty, result.Error);
        foreach (var name in new[] { "root.pem", "intermediate.pem", "recovery.pem" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(gateway.Data, "pki", name)), name);
        }

        Assert.IsEmpty(Directory.GetFiles(Path.Combine(gateway.Data, "pki"), "*.tmp-*"), "no temporary files left");
        using var audit = AuditLog.Open(new GatewayDataDirectory(gateway.Data));
        var entry = audit.List().Last();
        Assert.AreEqual(nameof(AuditEventKind.HierarchyInstalled), entry.Kind);
        StringAssert.Contains(entry.Details, Core.Pki.InstalledHierarchy.Fingerprint(gateway.Intermediate));
    }

    [TestMethod]
    public void WarnsWhenTheIntermediateExpiresWithinThirtyDays()
    {
        using var gateway = SoftwareGatewayDirectory.Create(_fleet, "gw-short", TimeSpan.FromDays(10));

        var result = gateway.Install();

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "warning: the intermediate expires");
    }

    [TestMethod]
    public void RefusesAnIntermediateForAnotherGatewaysKey()
    {
        using var gateway = SoftwareGatewayDirectory.Create(_fleet, "gw-mine");
        using var other = SoftwareGatewayDirectory.Create(_fleet, "gw-other");

        var result = gateway.Cli("keys", "install", "--backend", "software", "--root", gateway.RootPem, "--intermediate", other.IntermediatePem);

        AssertRefused(gateway, result, "certifies another key than this gateway's DeviceCa key");
    }

    [TestMethod]
    public void RefusesAnIntermediateTheRootDidNotSign()
    {
        using var gateway = SoftwareGatewayDirectory.Create(_fleet, "gw-wrong-root");
        using var other = BackupFleet.Create("Another Root");
        var otherRoot = gateway.Write("other-root.pem", other.Root.Certificate.ExportCertificatePem());

        var result = gateway.Cli("keys", "install", "--backend", "software", "--root", otherRoot, "--intermediate", gateway.IntermediatePem);

        AssertRefused(gateway, result, "was not signed by the root");
    }

    [TestMethod]
    public void RefusesACertificateThatIsNoGatewayIntermediate()
    {
        using var gateway = SoftwareGatewayDirectory.Create(_fleet, "gw-not-intermediate");

        var result = gateway.Cli("keys", "install", "--backend", "software", "--root", gateway.RootPem, "--intermediate", gateway.RootPem);

        AssertRefused(gateway, result, "lacks the gateway-intermediate policy");
    }

    [TestMethod]
    public void RefusesARecoveryCertificateOfAnotherRoot()
    {
        using var gateway = SoftwareGatewayDirectory.Create(_fleet, "gw-wrong-recovery");
        using var other = BackupFleet.Create("Another Recovery Root");
        var recovery = gateway.Write("other-recovery.pem", other.RecoveryCertificate.ExportCertificatePem());

        var result = gateway.Cli("keys", "install", "--backend", "software", "--root", gateway.RootPem, "--intermediate", gateway.IntermediatePem, "--recovery-cert", recovery);

        AssertRefused(gateway, result, "was not signed by the offline root");
    }

    private static void AssertRefused(SoftwareGatewayDirectory gateway, Inventory.CliResult result, string reason)
    {
        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, reason);
        Assert.IsFalse(File.Exists(Path.Combine(gateway.Data, "pki", "intermediate.pem")), "nothing installed after a refusal");
    }
}
