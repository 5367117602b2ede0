using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Posture;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.Extensions.Logging.Abstractions;

namespace IoTSec.Gateway.Tests.Posture;

/// <summary>
/// The posture service over real files in a temporary data directory: the audit log, the
/// inventory and posture.db in SQLite, the alert publisher, quarantine and remediation as the
/// daemon composes them; stand-ins only for the policy rules, the upstream queue and the
/// downlink, which other helpers are building.
/// </summary>
internal sealed class PostureTestBed : IDisposable
{
    public const string DeviceClass = "sensor";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    public static readonly byte[] GoodFirmware = SHA256.HashData("firmware 1.0.0"u8);

    public static readonly byte[] UnknownFirmware = SHA256.HashData("firmware from elsewhere"u8);

    private readonly TemporaryDataDirectory _directory = new();
    private readonly TestCertificates _certificates = new();
    private readonly List<IDisposable> _disposables = [];

    public PostureTestBed(PostureSettings? settings = null)
    {
        Settings = (settings ?? new PostureSettings()).Validated();
        Clock = new ManualClock(new DateTimeOffset(2026, 11, 25, 6, 0, 0, TimeSpan.Zero));
        Secret = RandomNumberGenerator.GetBytes(32);
        Audit = AuditLog.Open(_directory.Data, Clock);
        Inventory = DeviceInventory.Open(_directory.Data.InventoryDatabase, audit: Audit, timeProvider: Clock);
        HeartbeatSecret = HeartbeatSecret.FromBytes(Secret);
        Rules = new ClassRules().Allow(DeviceClass, Interval, GoodFirmware);
        Open();
    }

    public PostureSettings Settings { get; }

    public ManualClock Clock { get; }

    public byte[] Secret { get; }

    public AuditLog Audit { get; }

    public DeviceInventory Inventory { get; }

    public HeartbeatSecret HeartbeatSecret { get; }

    public ClassRules Rules { get; }

    public RecordingUpstream Upstream { get; } = new();

    public RecordingDownlink Downlink { get; } = new();

    public ConnectedDevices Connected { get; } = new();

    public PostureStore Store { get; private set; } = null!;

    public HeartbeatProcessor Processor { get; private set; } = null!;

    public SilenceDetector Silence { get; private set; } = null!;

    public PostureRemediation Remediation { get; private set; } = null!;

    /// <summary>Closes posture.db and builds the service again on the same files (a daemon restart).</summary>
    public void Restart()
    {
        Store.Dispose();
        Open();
    }

    /// <summary>Registers <paramref name="deviceId"/>, records an operational certificate with <paramref name="serial"/> (state Enrolled) and connects it.</summary>
    public (EdgeDevice Edge, SimulatedDevice Device) Enrol(string deviceId, byte[] serial)
    {
        if (Inventory.Find(deviceId) is null)
        {
            InventoryFixture.RegisterWithBirthCertificates(Inventory, _certificates, DeviceClass, deviceId);
        }

        var certificate = _certificates.Issue(deviceId, serial);
        _disposables.Add(certificate);
        Inventory.RecordIssuedCertificate(deviceId, certificate);
        var edge = Connect(deviceId, certificate.SerialNumberBytes.ToArray());
        return (edge, new SimulatedDevice(deviceId, Secret, serial, GoodFirmware));
    }

    /// <summary>A broker session of <paramref name="deviceId"/> with a certificate of <paramref name="serial"/>.</summary>
    public EdgeDevice Connect(string deviceId, byte[] serial)
    {
        var edge = new EdgeDevice(deviceId, DeviceClass, serial, null, Clock.Now, quarantined: false);
        Connected.Add(edge);
        return edge;
    }

    public HeartbeatOutcome Beat(EdgeDevice edge, byte[] heartbeat) => Processor.Process(edge, heartbeat, Clock.Now);

    /// <summary>Alert audit entries, as the harness reads them.</summary>
    public IReadOnlyList<(AuditEntry Entry, JsonObject Details)> Alerts(string code) =>
        [.. Entries(AuditEventKind.Alert).Where(e => (string?)e.Details["code"] == code)];

    /// <summary>PostureVerdict audit entries of <paramref name="deviceId"/>.</summary>
    public IReadOnlyList<(AuditEntry Entry, JsonObject Details)> Verdicts(string deviceId) =>
        [.. Entries(AuditEventKind.PostureVerdict).Where(e => e.Entry.Subject == deviceId)];

    public void Dispose()
    {
        Store.Dispose();
        Inventory.Dispose();
        Audit.Dispose();
        HeartbeatSecret.Dispose();
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        _certificates.Dispose();
        _directory.Dispose();
    }

    private IEnumerable<(AuditEntry Entry, JsonObject Details)> Entries(AuditEventKind kind) =>
        Audit.List(kind: kind.ToString()).Select(e => (e, (JsonObject)JsonNode.Parse(e.Details)!));

    private void Open()
    {
        Store = PostureStore.Open(_directory.Data);
        var alerts = new AlertPublisher(NullLogger<AlertPublisher>.Instance, Audit, Upstream);
        Remediation = new PostureRemediation(
            new DeviceQuarantine(Inventory, Connected), Inventory, Store, HeartbeatSecret, Downlink, Settings, Clock, NullLogger<PostureRemediation>.Instance);
        var recorder = new PostureVerdictRecorder(Inventory, Audit, Upstream, alerts, Remediation, NullLogger<PostureVerdictRecorder>.Instance);
        Processor = new HeartbeatProcessor(Store, HeartbeatSecret, Rules, Inventory, recorder, alerts, Settings, Clock, NullLogger<HeartbeatProcessor>.Instance);
        Silence = new SilenceDetector(Store, Rules, Inventory, recorder, alerts, Settings, NullLogger<SilenceDetector>.Instance);
    }
}
