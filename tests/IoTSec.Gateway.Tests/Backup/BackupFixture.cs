using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Backup;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Tests.Backup;

/// <summary>
/// One fleet for the backup tests, all real and in software: an offline root, its recovery
/// key pair (as `iotsec ca recovery-key` makes it), and gateways under the root, each a
/// software key store (with its own sealer) and a data directory.
/// </summary>
internal sealed class BackupFleet : IDisposable
{
    private BackupFleet(TestRoot root, RSA recoveryKey, X509Certificate2 recoveryCertificate)
    {
        Root = root;
        RecoveryKey = recoveryKey;
        RecoveryCertificate = recoveryCertificate;
    }

    public TestRoot Root { get; }

    public RSA RecoveryKey { get; }

    public X509Certificate2 RecoveryCertificate { get; }

    public static BackupFleet Create(string name = "Backup Fleet Root")
    {
        var root = TestRoot.Create(name);
        var key = RSA.Create(Core.Pki.RecoveryCertificate.KeySize);
        return new BackupFleet(root, key, Core.Pki.RecoveryCertificate.Issue(root.Certificate, root.Key, key));
    }

    /// <summary>A gateway of this fleet with a data directory and a sealed heartbeat secret.</summary>
    public FleetGateway Gateway(string name) => FleetGateway.Create(TestHierarchy.Create(Root, name));

    public void Dispose() => RecoveryKey.Dispose();
}

/// <summary>A software gateway: hierarchy (keys, sealer, authority) and a data directory.</summary>
internal sealed class FleetGateway : IDisposable
{
    private FleetGateway(TestHierarchy hierarchy, string directory)
    {
        Hierarchy = hierarchy;
        Data = new GatewayDataDirectory(directory);
    }

    public TestHierarchy Hierarchy { get; }

    public GatewayDataDirectory Data { get; }

    public ISecretSealer Sealer => Hierarchy.KeyStore.Sealer;

    public static FleetGateway Create(TestHierarchy hierarchy)
    {
        var directory = TempDirectory.Create("iotsec-backup");
        return new FleetGateway(hierarchy, directory);
    }

    /// <summary>Registers devices in the inventory (audited) and makes the heartbeat secret.</summary>
    public void Populate(params string[] deviceIds)
    {
        using (var audit = AuditLog.Open(Data))
        using (var inventory = DeviceInventory.Open(Data.InventoryDatabase, audit: audit))
        {
            inventory.Register([.. Array.ConvertAll(deviceIds, id => new DeviceImportEntry(id, "sensor", Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))))], "test");
        }

        HeartbeatSecret.Open(Sealer).Dispose();
    }

    public byte[] HeartbeatKey(string deviceId, byte[] serial)
    {
        using var secret = HeartbeatSecret.Open(Sealer);
        return secret.DeriveKey(deviceId, serial);
    }

    public int DeviceCount()
    {
        using var inventory = DeviceInventory.Open(Data.InventoryDatabase);
        return inventory.List().Count;
    }

    public BackupSummary Backup(X509Certificate2 recovery, string? file = null) =>
        GatewayBackupWriter.Write(file ?? Path.Combine(Data.Root, "backup-" + Guid.NewGuid().ToString("N")[..8] + ".p7m"), Data, Hierarchy.Authority, Sealer, recovery, "software", "test");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Hierarchy.Dispose();
        TempDirectory.Delete(Data.Root);
    }
}

/// <summary>Rebuilds backup files by hand, as an attacker or a damaged medium would.</summary>
internal static class BackupForgery
{
    /// <summary>The signed payload (tar) inside a backup, opened with the recovery key.</summary>
    public static byte[] Payload(byte[] file, RSA recoveryKey)
    {
        var envelope = new EnvelopedCms();
        envelope.Decode(file);
        envelope.Decrypt(envelope.RecipientInfos[0], recoveryKey);
        var signed = new SignedCms();
        signed.Decode(envelope.ContentInfo.Content);
        return signed.ContentInfo.Content;
    }

    /// <summary>Signs <paramref name="payload"/> with <paramref name="authority"/>'s CA key and encrypts it to <paramref name="recovery"/>.</summary>
    public static byte[] Seal(byte[] payload, GatewayCertificateAuthority authority, X509Certificate2 recovery)
    {
        var signed = new SignedCms(new ContentInfo(payload), detached: false);
        signed.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, authority.Intermediate, authority.SigningKey)
        {
            DigestAlgorithm = new Oid("2.16.840.1.101.3.4.2.1"),
            IncludeOption = X509IncludeOption.EndCertOnly,
        }, silent: true);
        var envelope = new EnvelopedCms(new ContentInfo(signed.Encode()), new AlgorithmIdentifier(new Oid("2.16.840.1.101.3.4.1.42")));
        envelope.Encrypt(new CmsRecipient(SubjectIdentifierType.IssuerAndSerialNumber, recovery, RSAEncryptionPadding.OaepSHA256));
        return envelope.Encode();
    }
}
