using System;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Backup;

/// <summary>`iotsec-gateway backup|restore` as an operator runs them (software backend): output, exit codes and refusals.</summary>
[TestClass]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BackupCommandTests
{
    private const string Passphrase = "recovery passphrase of the fleet";
    private static BackupFleet _fleet = null!;

    [ClassInitialize]
    public static void CreateFleet(TestContext context) => _fleet = BackupFleet.Create("Backup CLI Root");

    [ClassCleanup]
    public static void DisposeFleet() => _fleet.Dispose();

    [TestMethod]
    public void BackupOnOneGatewayAndRestoreOnAnother()
    {
        using var a = SoftwareGatewayDirectory.Create(_fleet, "gw-cli-a");
        using var b = SoftwareGatewayDirectory.Create(_fleet, "gw-cli-b");
        Assert.AreEqual(0, a.Install().ExitCode);
        Assert.AreEqual(0, b.Install().ExitCode);
        a.Populate("dev-c1", "dev-c2");
        var file = Path.Combine(a.Root, "a.backup");
        var key = RecoveryKeyFile(a);
        var passphrase = a.Write("passphrase.txt", Passphrase + "\n");

        var backup = a.Cli("backup", "--backend", "software", "--out", file);
        Assert.AreEqual(0, backup.ExitCode, backup.ToString());
        StringAssert.Contains(backup.Output, "inventory.db");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        var twice = a.Cli("backup", "--backend", "software", "--out", file);
        Assert.AreEqual(1, twice.ExitCode);
        StringAssert.Contains(twice.Error, "refusing to overwrite");

        var wrong = b.Write("wrong.txt", "not the passphrase\n");
        var refused = b.Cli("restore", "--backend", "software", "--in", file, "--recovery-key", key, "--passphrase-file", wrong);
        Assert.AreEqual(1, refused.ExitCode);
        StringAssert.Contains(refused.Error, "cannot decrypt the recovery key");
        Assert.IsFalse(File.Exists(Path.Combine(b.Data, "inventory.db")), "nothing restored after a refusal");

        var restore = b.Cli("restore", "--backend", "software", "--in", file, "--recovery-key", key, "--passphrase-file", passphrase);
        Assert.AreEqual(0, restore.ExitCode, restore.ToString());
        StringAssert.Contains(restore.Output, "restored the backup of 'gw-cli-a Device CA'");
        var serial = new byte[] { 7 };
        CollectionAssert.AreEqual(a.HeartbeatKey("dev-c2", serial), b.HeartbeatKey("dev-c2", serial));
        using (var inventory = DeviceInventory.Open(new GatewayDataDirectory(b.Data).InventoryDatabase))
        {
            Assert.HasCount(2, inventory.List());
        }

        var again = b.Cli("restore", "--backend", "software", "--in", file, "--recovery-key", key, "--passphrase-file", passphrase);
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.Error, "already holds an inventory with 2 devices");
        StringAssert.Contains(again.Error, "[DataDirectoryInUse]");

        var verify = b.Cli("audit", "verify");
        Assert.AreEqual(0, verify.ExitCode, verify.ToString());
    }

    [TestMethod]
    public void ABackupOfAnotherFleetIsRefusedByName()
    {
        using var other = BackupFleet.Create("Other Fleet Root");
        using var stranger = SoftwareGatewayDirectory.Create(other, "gw-stranger");
        using var ours = SoftwareGatewayDirectory.Create(_fleet, "gw-ours");
        Assert.AreEqual(0, stranger.Install().ExitCode);
        Assert.AreEqual(0, ours.Install().ExitCode);
        stranger.Populate("dev-x");
        var file = Path.Combine(stranger.Root, "stranger.backup");
        Assert.AreEqual(0, stranger.Cli("backup", "--backend", "software", "--out", file).ExitCode);
        var key = stranger.Write("key.pem", other.RecoveryKey.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, Pbe));
        var passphrase = stranger.Write("passphrase.txt", Passphrase);

        var refused = ours.Cli("restore", "--backend", "software", "--in", file, "--recovery-key", key, "--passphrase-file", passphrase);

        Assert.AreEqual(1, refused.ExitCode);
        StringAssert.Contains(refused.Error, "does not chain to this gateway's offline root");
        StringAssert.Contains(refused.Error, "[ForeignRoot]");
    }

    [TestMethod]
    public void BackupNeedsARecoveryCertificate()
    {
        using var a = SoftwareGatewayDirectory.Create(_fleet, "gw-no-recovery");
        Assert.AreEqual(0, a.Cli("keys", "install", "--backend", "software", "--root", a.RootPem, "--intermediate", a.IntermediatePem).ExitCode);
        a.Populate("dev-n");

        var result = a.Cli("backup", "--backend", "software", "--out", Path.Combine(a.Root, "x.backup"));

        Assert.AreEqual(1, result.ExitCode);
        StringAssert.Contains(result.Error, "no recovery certificate");
    }

    [TestMethod]
    public void PkiCrlExportsTheCrlOfTheInstalledIntermediate()
    {
        using var a = SoftwareGatewayDirectory.Create(_fleet, "gw-crl");
        Assert.AreEqual(0, a.Install().ExitCode);
        a.Populate("dev-r");
        var crl = Path.Combine(a.Root, "gateway.crl");

        var result = a.Cli("pki", "crl", "--backend", "software", "--out", crl);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "0 revoked certificate(s)");
        var chain = a.Write("chain.pem", _fleet.Root.Certificate.ExportCertificatePem() + "\n" + a.Intermediate.ExportCertificatePem());
        var verify = Pki.OpenSslTool.Run("crl", "-in", crl, "-CAfile", chain, "-noout", "-verify");
        Assert.AreEqual(0, verify.ExitCode, verify.Output);
    }

    private static readonly PbeParameters Pbe = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000);

    private static string RecoveryKeyFile(SoftwareGatewayDirectory gateway) =>
        gateway.Write("recovery-key.pem", _fleet.RecoveryKey.ExportEncryptedPkcs8PrivateKeyPem(Passphrase, Pbe));
}
