using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Tests.Inventory;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Tests.Backup;

/// <summary>
/// A gateway data directory as the administration verbs find it with the software backend:
/// keys in &lt;data&gt;/keys, the ceremony's files beside it, ready for `keys install`.
/// </summary>
internal sealed class SoftwareGatewayDirectory : IDisposable
{
    private SoftwareGatewayDirectory(string root, BackupFleet fleet, X509Certificate2 intermediate)
    {
        Root = root;
        Data = Path.Combine(root, "data");
        Fleet = fleet;
        Intermediate = intermediate;
        RootPem = Write("root.pem", fleet.Root.Certificate);
        IntermediatePem = Write("intermediate.pem", intermediate);
        RecoveryPem = Write("recovery.pem", fleet.RecoveryCertificate);
    }

    public string Root { get; }

    public string Data { get; }

    public BackupFleet Fleet { get; }

    public X509Certificate2 Intermediate { get; }

    public string RootPem { get; }

    public string IntermediatePem { get; }

    public string RecoveryPem { get; }

    public static SoftwareGatewayDirectory Create(BackupFleet fleet, string name, TimeSpan? intermediateValidity = null)
    {
        var root = TempDirectory.Create("iotsec-sw-gateway");
        using var keys = new SoftwareKeyStore(Path.Combine(root, "data", "keys"), allowSoftwareKeys: true);
        keys.Create(GatewayKeyRole.DeviceCa);
        var csr = SigningRequestReader.ReadPem(GatewayIntermediateRequest.CreatePem(keys, GatewayIntermediateRequest.DefaultSubject(name)));
        var intermediate = OfflineRootAuthority.SignGatewayIntermediate(fleet.Root.Certificate, fleet.Root.Key, csr, intermediateValidity);
        return new SoftwareGatewayDirectory(root, fleet, intermediate);
    }

    public CliResult Cli(params string[] arguments) => GatewayCli.Run(Data, arguments);

    public CliResult Install() => Cli("keys", "install", "--backend", "software", "--root", RootPem, "--intermediate", IntermediatePem, "--recovery-cert", RecoveryPem);

    /// <summary>Registers devices (audited) and makes the heartbeat secret, as the daemon would.</summary>
    public void Populate(params string[] deviceIds)
    {
        var data = new GatewayDataDirectory(Data);
        using (var audit = AuditLog.Open(data))
        using (var inventory = DeviceInventory.Open(data.InventoryDatabase, audit: audit))
        {
            inventory.Register([.. Array.ConvertAll(deviceIds, id => new DeviceImportEntry(id, "sensor", Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))))], "test");
        }

        using var keys = new SoftwareKeyStore(Path.Combine(Data, "keys"), allowSoftwareKeys: true);
        HeartbeatSecret.Open(keys.Sealer).Dispose();
    }

    public byte[] HeartbeatKey(string deviceId, byte[] serial)
    {
        using var keys = new SoftwareKeyStore(Path.Combine(Data, "keys"), allowSoftwareKeys: true);
        using var secret = HeartbeatSecret.Open(keys.Sealer);
        return secret.DeriveKey(deviceId, serial);
    }

    public string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(Root);
    }

    private string Write(string name, X509Certificate2 certificate) => Write(name, certificate.ExportCertificatePem());
}
