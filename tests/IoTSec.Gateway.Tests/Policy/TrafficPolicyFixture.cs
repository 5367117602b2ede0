using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Policy;
using IoTSec.Gateway.Tests.Inventory;

namespace IoTSec.Gateway.Tests.Policy;

/// <summary>
/// A <see cref="TrafficPolicy"/> over a real policy file, a real audit log, a real inventory and
/// the real <see cref="DeviceQuarantine"/>, on a clock the test moves. The alert sink is a
/// recorder: the alert pipeline belongs to another part of the device edge.
/// </summary>
internal sealed class TrafficPolicyFixture : IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();
    private readonly TestCertificates _manufacturer = new();

    public TrafficPolicyFixture(string policyYaml = PolicyText.Small)
    {
        PolicyPath = PolicyText.WriteTemp(_directory.Path, "policy.yaml", policyYaml);
        Audit = AuditLog.Open(_directory.Data, Clock);
        Inventory = DeviceInventory.Open(_directory.Data.InventoryDatabase, audit: Audit);
        Store = PolicyStore.Open(PolicyPath, Audit);
        Auditor = new PolicyViolationAuditor(Audit, Clock);
        Quarantine = new DeviceQuarantine(Inventory, Connected);
        Policy = new TrafficPolicy(Store, Alerts, Quarantine, Auditor, Clock);
    }

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero));

    public string PolicyPath { get; }

    public AuditLog Audit { get; }

    public DeviceInventory Inventory { get; }

    public PolicyStore Store { get; }

    public PolicyViolationAuditor Auditor { get; }

    public ConnectedDevices Connected { get; } = new();

    public DeviceQuarantine Quarantine { get; }

    public RecordingAlertSink Alerts { get; } = new();

    public TrafficPolicy Policy { get; }

    /// <summary>An enrolled device of <paramref name="deviceClass"/>, registered in the inventory and connected.</summary>
    public EdgeDevice Connect(string deviceId, string deviceClass = "sensor")
    {
        if (Inventory.Find(deviceId) is null)
        {
            InventoryFixture.RegisterWithBirthCertificates(Inventory, _manufacturer, deviceClass, deviceId);
            using var certificate = _manufacturer.Issue(deviceId);
            Inventory.RecordIssuedCertificate(deviceId, certificate);
        }

        var device = new EdgeDevice(deviceId, deviceClass, [1, 2, 3], IPAddress.Loopback, Clock.Now, quarantined: false);
        Connected.Add(device);
        return device;
    }

    public void Rewrite(string yaml) => File.WriteAllText(PolicyPath, yaml);

    public void Dispose()
    {
        Inventory.Dispose();
        Audit.Dispose();
        _manufacturer.Dispose();
        _directory.Dispose();
    }
}

/// <summary>Records raised alerts (the alert pipeline is another helper's component).</summary>
internal sealed class RecordingAlertSink : IAlertSink
{
    private readonly List<SecurityAlert> _alerts = [];

    public IReadOnlyList<SecurityAlert> Alerts
    {
        get
        {
            lock (_alerts)
            {
                return [.. _alerts];
            }
        }
    }

    public void Raise(SecurityAlert alert)
    {
        lock (_alerts)
        {
            _alerts.Add(alert);
        }
    }
}
