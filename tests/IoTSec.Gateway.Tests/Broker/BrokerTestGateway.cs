using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Gateway.Broker;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// The device broker running in-process as the daemon composes it (AddDeviceBroker in a
/// generic host), on a free loopback port with real mutual TLS: a test offline root and
/// gateway intermediate, an inventory and an audit log in a temporary directory, and the
/// stand-ins for the allowlist, the heartbeat verifier and the upstream queue. Devices get
/// real operational certificates recorded in the inventory, written as PEM files for
/// mosquitto_pub / mosquitto_sub.
/// </summary>
internal sealed class BrokerTestGateway : IAsyncDisposable
{
    public const string DeviceClass = "sensor";

    private readonly IHost _host;

    private BrokerTestGateway(IHost host, TestHierarchy hierarchy, string directory, AuditLog audit, DeviceInventory inventory)
    {
        _host = host;
        Hierarchy = hierarchy;
        Directory = directory;
        Audit = audit;
        Inventory = inventory;
        Port = Get<DeviceBroker>().LocalEndPoint!.Port;
        RootFile = Path.Combine(directory, "root.pem");
        File.WriteAllText(RootFile, hierarchy.Root.ExportCertificatePem());
    }

    public TestHierarchy Hierarchy { get; }

    public string Directory { get; }

    public AuditLog Audit { get; }

    public DeviceInventory Inventory { get; }

    public int Port { get; }

    /// <summary>The offline root as a PEM file: the device's only trust anchor (mosquitto's --cafile).</summary>
    public string RootFile { get; }

    public StandInTrafficPolicy Policy => Get<StandInTrafficPolicy>();

    public StandInHeartbeatProcessor Heartbeats => Get<StandInHeartbeatProcessor>();

    public RecordingUpstreamQueue Upstream => Get<RecordingUpstreamQueue>();

    public ConnectedDevices Connected => Get<ConnectedDevices>();

    public static async Task<BrokerTestGateway> StartAsync(Action<BrokerSettings>? configure = null)
    {
        var hierarchy = TestHierarchy.Create();
        var directory = TempDirectory.Create("iotsec-broker");
        var audit = AuditLog.Open(Path.Combine(directory, "audit.db"), Path.Combine(directory, "audit-anchor.db"));
        var inventory = DeviceInventory.Open(Path.Combine(directory, "inventory.db"), audit: audit);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(audit);
        services.AddSingleton(inventory);
        services.AddSingleton(hierarchy.Issuer);
        services.AddSingleton(_ => new ServerCertificateRotator(hierarchy.Issuer));
        services.AddSingleton<StandInTrafficPolicy>();
        services.AddSingleton<ITrafficPolicy>(provider => provider.GetRequiredService<StandInTrafficPolicy>());
        services.AddSingleton<StandInHeartbeatProcessor>();
        services.AddSingleton<IHeartbeatProcessor>(provider => provider.GetRequiredService<StandInHeartbeatProcessor>());
        services.AddSingleton<RecordingUpstreamQueue>();
        services.AddSingleton<IUpstreamQueue>(provider => provider.GetRequiredService<RecordingUpstreamQueue>());
        services.Configure<BrokerSettings>(options =>
        {
            options.Port = 0;
            configure?.Invoke(options);
        });
        services.AddDeviceBroker();
        var host = builder.Build();
        await host.StartAsync();
        return new BrokerTestGateway(host, hierarchy, directory, audit, inventory);
    }

    public T Get<T>()
        where T : notnull => _host.Services.GetRequiredService<T>();

    /// <summary>Registers <paramref name="deviceId"/>, issues its operational certificate, records it, and writes it for foreign clients.</summary>
    public DeviceCredentials Enrol(string deviceId)
    {
        Inventory.Register([new DeviceImportEntry(deviceId, DeviceClass, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)))], "test");
        var certificate = Hierarchy.IssueDevice(deviceId);
        Inventory.RecordIssuedCertificate(deviceId, certificate);
        return Write(deviceId, certificate);
    }

    /// <summary>Writes <paramref name="certificate"/> (with its key) as PEM files named after <paramref name="name"/>.</summary>
    public DeviceCredentials Write(string name, X509Certificate2 certificate)
    {
        var certificateFile = Path.Combine(Directory, name + "-" + Guid.NewGuid().ToString("N")[..8] + ".pem");
        var keyFile = Path.ChangeExtension(certificateFile, ".key");
        File.WriteAllText(certificateFile, certificate.ExportCertificatePem());
        using (var key = certificate.GetECDsaPrivateKey()!)
        {
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        }

        return new DeviceCredentials(name, certificate, certificateFile, keyFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Inventory.Dispose();
        Audit.Dispose();
        Hierarchy.Dispose();
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(Directory);
    }
}

/// <summary>A device's certificate and key, in memory and as PEM files.</summary>
internal sealed record DeviceCredentials(string DeviceId, X509Certificate2 Certificate, string CertificateFile, string KeyFile);
