using System;
using System.Formats.Tar;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Backup;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Backup;

/// <summary>
/// Backup and restore between two software gateways of one fleet, and every refusal a
/// restore makes: each refusal names its reason, and nothing is restored after one.
/// </summary>
[TestClass]
public sealed class BackupRestoreTests
{
    private static BackupFleet _fleet = null!;

    [ClassInitialize]
    public static void CreateFleet(TestContext context) => _fleet = BackupFleet.Create();

    [ClassCleanup]
    public static void DisposeFleet() => _fleet.Dispose();

    [TestMethod]
    public void ARestoredGatewayHasTheInventoryTheAuditChainAndTheSameHeartbeatKeys()
    {
        using var a = _fleet.Gateway("gw-a");
        using var b = _fleet.Gateway("gw-b");
        a.Populate("dev-1", "dev-2", "dev-3");
        var serial = new byte[] { 0x42, 0x01 };
        var keyAtA = a.HeartbeatKey("dev-2", serial);

        var summary = a.Backup(_fleet.RecoveryCertificate);
        using (var opened = BackupReader.Open(summary.Path, _fleet.RecoveryKey, _fleet.Root.Certificate))
        {
            var restored = GatewayBackupRestorer.Restore(opened, b.Data, b.Sealer, force: false, "test");
            Assert.AreEqual("gw-a Device CA", restored.Manifest.Gateway, "the source is named by its intermediate's CN");
            Assert.AreEqual(a.Hierarchy.Intermediate.Subject, restored.SignerSubject);
        }

        Assert.AreEqual(3, b.DeviceCount());
        CollectionAssert.AreEqual(keyAtA, b.HeartbeatKey("dev-2", serial), "B derives the heartbeat keys A handed out");
        using var audit = AuditLog.Open(b.Data);
        var verification = audit.Verify();
        Assert.IsTrue(verification.IsIntact, verification.FirstProblem?.Detail);
        var entries = audit.List();
        Assert.AreEqual(nameof(AuditEventKind.DeviceImport), entries[0].Kind, "A's chain comes first");
        Assert.AreEqual(nameof(AuditEventKind.Restore), entries[^1].Kind);
        using var auditA = AuditLog.Open(a.Data);
        Assert.AreEqual(nameof(AuditEventKind.Backup), auditA.List()[^1].Kind, "the backup itself is audited at A");
    }

    [TestMethod]
    public void TheFileIsAStandardCmsFileThatOpenSslDecryptsAndVerifies()
    {
        using var a = _fleet.Gateway("gw-openssl");
        a.Populate("dev-o");
        var summary = a.Backup(_fleet.RecoveryCertificate);
        var work = TempDirectory.Create("iotsec-backup-openssl");
        try
        {
            var key = Path.Combine(work, "recovery-key.pem");
            File.WriteAllText(key, _fleet.RecoveryKey.ExportPkcs8PrivateKeyPem());
            var root = Path.Combine(work, "root.pem");
            PemCertificateFile.Save(root, _fleet.Root.Certificate);
            var signed = Path.Combine(work, "signed.der");
            var payload = Path.Combine(work, "payload.tar");

            var decrypt = OpenSslTool.Run("cms", "-decrypt", "-inform", "DER", "-in", summary.Path, "-inkey", key, "-out", signed);
            Assert.AreEqual(0, decrypt.ExitCode, decrypt.Output);
            var verify = OpenSslTool.Run("cms", "-verify", "-inform", "DER", "-in", signed, "-CAfile", root, "-purpose", "any", "-out", payload);
            Assert.AreEqual(0, verify.ExitCode, verify.Output);
            StringAssert.Contains(verify.Output, "Verification successful");

            using var tar = new TarReader(File.OpenRead(payload));
            var names = Enumerable.Range(0, 10).Select(_ => tar.GetNextEntry()?.Name).TakeWhile(name => name is not null).ToList();
            CollectionAssert.AreEqual(new[] { "manifest.json", "inventory.db", "audit.db", "audit-anchor.db", "heartbeat-secret" }, names);
        }
        finally
        {
            TempDirectory.Delete(work);
        }
    }

    [TestMethod]
    public void AnotherFleetsRecoveryKeyDoesNotOpenIt()
    {
        using var a = _fleet.Gateway("gw-wrong-key");
        a.Populate("dev-w");
        var summary = a.Backup(_fleet.RecoveryCertificate);
        using var otherKey = RSA.Create(3072);

        var error = Assert.ThrowsExactly<BackupRejectedException>(() => BackupReader.Open(summary.Path, otherKey, _fleet.Root.Certificate));

        Assert.AreEqual(BackupRejection.WrongRecoveryKey, error.Reason);
        StringAssert.Contains(error.Message, "recovery key does not open this backup");
    }

    [TestMethod]
    public void AFileChangedOnTheMediumIsRefused()
    {
        using var a = _fleet.Gateway("gw-tampered");
        a.Populate("dev-t");
        var summary = a.Backup(_fleet.RecoveryCertificate);
        var bytes = File.ReadAllBytes(summary.Path);
        bytes[bytes.Length / 2] ^= 0x01;

        var error = Assert.ThrowsExactly<BackupRejectedException>(() => BackupReader.Open(bytes, _fleet.RecoveryKey, _fleet.Root.Certificate));

        Assert.AreEqual(BackupRejection.SignatureInvalid, error.Reason, error.Message);
    }

    [TestMethod]
    public void AFileSignedByAGatewayOfAnotherFleetIsRefusedEvenWhenEncryptedToOurRecoveryCertificate()
    {
        // Anyone may hold the public recovery certificate; only a gateway of this root can sign.
        using var a = _fleet.Gateway("gw-source");
        a.Populate("dev-f");
        var payload = BackupForgery.Payload(File.ReadAllBytes(a.Backup(_fleet.RecoveryCertificate).Path), _fleet.RecoveryKey);
        using var stranger = TestHierarchy.Create(gatewayName: "gw-stranger");
        var forged = BackupForgery.Seal(payload, stranger.Authority, _fleet.RecoveryCertificate);

        var error = Assert.ThrowsExactly<BackupRejectedException>(() => BackupReader.Open(forged, _fleet.RecoveryKey, _fleet.Root.Certificate));

        Assert.AreEqual(BackupRejection.ForeignRoot, error.Reason, error.Message);
        StringAssert.Contains(error.Message, "does not chain to this gateway's offline root");
    }

    [TestMethod]
    public void ADatabaseThatDoesNotMatchTheManifestIsRefusedEvenWhenSigned()
    {
        using var a = _fleet.Gateway("gw-mismatch");
        a.Populate("dev-m");
        var payload = BackupForgery.Payload(File.ReadAllBytes(a.Backup(_fleet.RecoveryCertificate).Path), _fleet.RecoveryKey);
        var rewritten = RewriteEntry(payload, "inventory.db", content => content[^1] ^= 0x01);
        var resigned = BackupForgery.Seal(rewritten, a.Hierarchy.Authority, _fleet.RecoveryCertificate);

        var error = Assert.ThrowsExactly<BackupRejectedException>(() => BackupReader.Open(resigned, _fleet.RecoveryKey, _fleet.Root.Certificate));

        Assert.AreEqual(BackupRejection.ContentMismatch, error.Reason);
        StringAssert.Contains(error.Message, "'inventory.db' does not match the manifest");
    }

    [TestMethod]
    public void SomethingElseIsNotABackup()
    {
        var error = Assert.ThrowsExactly<BackupRejectedException>(() => BackupReader.Open(RandomNumberGenerator.GetBytes(600), _fleet.RecoveryKey, _fleet.Root.Certificate));
        Assert.AreEqual(BackupRejection.NotABackup, error.Reason);
    }

    [TestMethod]
    public void AGatewayWithDevicesIsNotOverwrittenWithoutForce_AndWithForceTheOldDatabasesAreKept()
    {
        using var a = _fleet.Gateway("gw-a2");
        using var b = _fleet.Gateway("gw-b2");
        a.Populate("dev-a1", "dev-a2");
        b.Populate("dev-b1");
        var summary = a.Backup(_fleet.RecoveryCertificate);
        using var opened = BackupReader.Open(summary.Path, _fleet.RecoveryKey, _fleet.Root.Certificate);

        var error = Assert.ThrowsExactly<BackupRejectedException>(() => GatewayBackupRestorer.Restore(opened, b.Data, b.Sealer, force: false, "test"));
        Assert.AreEqual(BackupRejection.DataDirectoryInUse, error.Reason);
        StringAssert.Contains(error.Message, "1 devices");
        Assert.AreEqual(1, b.DeviceCount(), "nothing changed");

        // B has a posture database A's backup does not: it would describe other devices.
        using (var posture = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + b.Data.PostureDatabase + ";Pooling=False"))
        {
            posture.Open();
            using var create = posture.CreateCommand();
            create.CommandText = "CREATE TABLE chains (device_id TEXT);";
            create.ExecuteNonQuery();
        }

        var restored = GatewayBackupRestorer.Restore(opened, b.Data, b.Sealer, force: true, "test");
        Assert.AreEqual(2, b.DeviceCount());
        Assert.IsTrue(restored.KeptFiles.Any(path => path.Contains("inventory.db.pre-restore-", StringComparison.Ordinal)));
        Assert.IsTrue(restored.KeptFiles.Any(path => path.Contains("posture.db.pre-restore-", StringComparison.Ordinal)), "kept aside");
        Assert.IsFalse(File.Exists(b.Data.PostureDatabase), "and no longer in the way");
    }

    [TestMethod]
    public void ABackupIsNotEncryptedToACertificateTheRootDidNotIssueForRecovery()
    {
        using var a = _fleet.Gateway("gw-bad-recovery");
        a.Populate("dev-r");
        using var strangerFleet = BackupFleet.Create("Other Root");

        var foreign = Assert.ThrowsExactly<BackupRejectedException>(() => a.Backup(strangerFleet.RecoveryCertificate));
        Assert.AreEqual(BackupRejection.InvalidRecoveryCertificate, foreign.Reason);

        // The gateway's own intermediate is no recovery certificate either.
        var intermediate = Assert.ThrowsExactly<BackupRejectedException>(() => a.Backup(a.Hierarchy.Intermediate));
        StringAssert.Contains(intermediate.Message, "not a backup recovery certificate");
    }

    private static byte[] RewriteEntry(byte[] tar, string name, Action<byte[]> change)
    {
        using var output = new MemoryStream();
        using (var reader = new TarReader(new MemoryStream(tar)))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
        {
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                var content = new byte[entry.Length];
                entry.DataStream?.ReadExactly(content);
                if (entry.Name == name)
                {
                    change(content);
                }

                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entry.Name) { DataStream = new MemoryStream(content) });
            }
        }

        return output.ToArray();
    }
}
