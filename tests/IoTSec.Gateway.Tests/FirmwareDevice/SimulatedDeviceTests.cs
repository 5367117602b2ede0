using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Firmware.Device;
using IoTSec.Firmware.Enrolment;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Host.Simulation;
using IoTSec.Gateway.Tests.EdgeEndToEnd;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Topics;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.FirmwareDevice;

/// <summary>
/// Issue 7's composition against the real <c>iotsec-gateway run</c>: the firmware's
/// <see cref="DeviceRuntime"/> in the desktop <see cref="SimulatedDevice"/>, provisioned over
/// its console, enrolling over EST serverkeygen with its birth certificate, heartbeating over
/// the broker, rebooting in-process; and a fleet in one process.
/// </summary>
[TestClass]
public sealed class SimulatedDeviceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string _data = null!;
    private static EdgeGateway _gateway = null!;
    private static FactoryStation _factory = null!;

    [ClassInitialize]
    public static async Task StartGateway(TestContext context)
    {
        _data = TempDirectory.Create("iotsec-fw-device");
        _gateway = await EdgeGateway.StartAsync(_data, Policy(), []);
        _factory = new FactoryStation(_gateway);
    }

    [ClassCleanup]
    public static async Task StopGateway()
    {
        if (_gateway is not null)
        {
            await _gateway.Process.TerminateAsync(TimeSpan.FromSeconds(20));
            _gateway.Dispose();
        }

        SqliteConnection.ClearAllPools();
        if (_data is not null)
        {
            TempDirectory.Delete(_data);
        }
    }

    [TestMethod]
    public async Task ADeviceProvisionedOverItsConsoleEnrolsHeartbeatsAndKeepsItsChainAcrossAReboot()
    {
        var births = _factory.Manufacture("sim-one");
        var line = new SerialLine();
        var log = new RecordingLog();
        var device = new SimulatedDevice(Path.Combine(_data, "flash-one"), log) { Console = line.Device };
        using var cancel = new CancellationTokenSource();
        var running = Task.Factory.StartNew(() => device.Run(cancel.Token), TaskCreationOptions.LongRunning);
        try
        {
            await WaitUntil(() => device.Current?.Phase == DeviceRunPhase.WaitingForProvisioning, "the unprovisioned device waits for its console", log);
            await Task.Run(() => _factory.Provision(line.Tool, births["sim-one"], heartbeatIntervalSeconds: 10));

            // Without a restart: the committed identity is picked up, EST serverkeygen with the
            // birth certificate, the heartbeat key, the broker, and an acknowledged heartbeat.
            await WaitUntil(() => device.Current is { Lifecycle: LifecycleState.Operating, HeartbeatsAcknowledged: > 0 }, "Operating with an acknowledged heartbeat", log);
            Assert.AreEqual(HeartbeatAckVerdict.Accepted, device.Current!.LastHeartbeatVerdict);
            Assert.AreEqual(1, device.Boots);
            var stored = OperationalCredentials.Load(new DirectoryFlashStore(device.FlashDirectory, SimulatedDevice.DefaultFlashBytes));
            Assert.IsNotNull(stored, "the operational credentials from serverkeygen are on flash");
            Assert.AreEqual("sim-one", stored.SubjectCommonName);
            Assert.IsFalse(log.Text.Contains(Convert.ToBase64String(stored.PrivateKey), StringComparison.Ordinal), "the operational key never reaches the log");
            var shown = await _gateway.WaitForDeviceAsync("sim-one", d => (string?)d["state"] == "operating" && (string?)d["lastPostureVerdict"] == "healthy", Wait);
            Assert.IsNotNull(shown);

            // An in-process reboot: the same flash, a new boot; the chain continues where it was.
            var next = device.Current.NextHeartbeatSequence;
            device.Reboot("test: reset button");
            await WaitUntil(() => device.Boots == 2 && device.Current is { Phase: DeviceRunPhase.Running, HeartbeatsAcknowledged: > 0 }, "an acknowledged heartbeat after the reboot", log);
            Assert.AreEqual(HeartbeatAckVerdict.Accepted, device.Current!.LastHeartbeatVerdict, "in order for the gateway, not a gap or a fork");
            Assert.AreEqual(next + 1, device.Current.NextHeartbeatSequence, "the first heartbeat after the reboot took the next sequence");
            Assert.AreEqual(LifecycleState.Operating, device.Current.Lifecycle);
            Assert.Contains("reboot: test: reset button", log.Text);
            await _gateway.WaitForDeviceAsync("sim-one", d => (string?)d["state"] == "operating" && (string?)d["lastPostureVerdict"] == "healthy", Wait);
        }
        finally
        {
            cancel.Cancel();
            await running.WaitAsync(Wait);
        }
    }

    [TestMethod]
    public async Task AFleetOfTwentyDevicesInOneProcessAllReachOperating()
    {
        const int count = 20;
        var ids = Enumerable.Range(0, count).Select(i => $"sim-fleet-{i:D2}").ToArray();
        var births = _factory.Manufacture(ids);
        var root = Path.Combine(_data, "fleet");
        for (var i = 0; i < count; i++)
        {
            _factory.ProvisionOffline(SimulatedFleet.FlashDirectoryOf(root, i), births[ids[i]], heartbeatIntervalSeconds: 10);
        }

        var log = new RecordingLog();
        var devices = Enumerable.Range(0, count).Select(i => new SimulatedDevice(SimulatedFleet.FlashDirectoryOf(root, i), log)).ToList();
        using var fleet = new SimulatedFleet(devices);
        var started = DateTime.UtcNow;
        fleet.Start(TimeSpan.FromMilliseconds(10));
        await WaitUntil(() => devices.All(d => d.Current is { Lifecycle: LifecycleState.Operating, HeartbeatsAcknowledged: > 0 }), "every device Operating with an acknowledged heartbeat", log);
        var elapsed = DateTime.UtcNow - started;
        Assert.IsTrue(devices.All(d => d.Boots == 1), "no device crashed or rebooted");
        Assert.AreEqual(count, fleet.Census()[nameof(LifecycleState.Operating)]);
        await _gateway.WaitForDeviceAsync(ids[^1], d => (string?)d["state"] == "operating", Wait);
        Console.WriteLine($"{count} devices from start to Operating in {elapsed.TotalSeconds:0.0} s");
        fleet.Stop(TimeSpan.FromSeconds(10));
    }

    [TestMethod]
    public async Task AtTwoThirdsOfItsCertificatesLifetimeByTheGatewaysClockTheDeviceRenewsAndStartsANewChain()
    {
        var births = _factory.Manufacture("sim-renew");
        var flash = Path.Combine(_data, "flash-renew");
        _factory.ProvisionOffline(flash, births["sim-renew"], heartbeatIntervalSeconds: 10);
        var log = new RecordingLog();
        var clock = new SimulatedClock();
        var device = new SimulatedDevice(flash, log) { ClockFactory = () => clock };
        using var cancel = new CancellationTokenSource();
        var running = Task.Factory.StartNew(() => device.Run(cancel.Token), TaskCreationOptions.LongRunning);
        try
        {
            await WaitUntil(() => device.Current is { Lifecycle: LifecycleState.Operating, HeartbeatsAcknowledged: > 0 }, "Operating", log);
            var store = new DirectoryFlashStore(flash, SimulatedDevice.DefaultFlashBytes);
            var first = OperationalCredentials.Load(store)!;
            var acknowledged = device.Current!.HeartbeatsAcknowledged;

            // The device's trusted time is the gateway's acknowledged time plus its own elapsed
            // time: 61 days later the 90-day certificate is past two thirds.
            clock.Advance((long)TimeSpan.FromDays(61).TotalMilliseconds);
            await WaitUntil(() => device.Current is { Phase: DeviceRunPhase.Running } current && current.HeartbeatsAcknowledged > acknowledged && log.Text.Contains("new key epoch", StringComparison.Ordinal), "renewed and heard under the new key", log);
            var renewed = OperationalCredentials.Load(store)!;
            CollectionAssert.AreNotEqual(first.SerialNumber, renewed.SerialNumber, "a new operational certificate");
            CollectionAssert.AreNotEqual(first.HeartbeatKeyId, renewed.HeartbeatKeyId, "a new heartbeat key epoch");
            Assert.AreEqual(HeartbeatAckVerdict.Accepted, device.Current!.LastHeartbeatVerdict, "the gateway accepts the new chain");
            Assert.AreEqual(1, CountOf(log.Text, "operational certificate due for renewal"), "one renewal: the new session's acknowledgement set the clock back to the gateway's");
            Assert.AreEqual(2, CountOf(_gateway.Process.Output, "to sim-renew (serverkeygen)"), "enrolment and one renewal at the gateway");
        }
        finally
        {
            cancel.Cancel();
            await running.WaitAsync(Wait);
        }
    }

    [TestMethod]
    public async Task ARevokedDeviceIsDroppedAndKeepsRetryingWithGrowingJitteredWaitsWithoutCrashing()
    {
        var births = _factory.Manufacture("sim-revoked");
        var flash = Path.Combine(_data, "flash-revoked");
        _factory.ProvisionOffline(flash, births["sim-revoked"], heartbeatIntervalSeconds: 10);
        var log = new RecordingLog();
        var device = new SimulatedDevice(flash, log) { Settings = new DeviceRuntimeSettings { ReconnectBaseDelayMs = 100, ReconnectMaxDelayMs = 2_000 } };
        using var cancel = new CancellationTokenSource();
        var running = Task.Factory.StartNew(() => device.Run(cancel.Token), TaskCreationOptions.LongRunning);
        try
        {
            await WaitUntil(() => device.Current is { Lifecycle: LifecycleState.Operating, HeartbeatsAcknowledged: > 0 }, "Operating", log);
            var revoked = _gateway.Cli("devices", "revoke", "sim-revoked", "--reason", "test: stolen board");
            Assert.AreEqual(0, revoked.ExitCode, revoked.Output + revoked.Error);

            // The gateway drops the live session; every new handshake is refused; the device
            // backs off (full jitter, growing window) instead of hammering or crash-looping.
            await WaitUntil(() => CountOf(log.Text, "broker connection failed") >= 3, "three refused reconnects", log);
            Assert.AreEqual(1, device.Boots, "no crash and no reboot loop");
            Assert.AreNotEqual(DeviceRunPhase.Running, device.Current?.Phase);
        }
        finally
        {
            cancel.Cancel();
            await running.WaitAsync(Wait);
        }
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task WaitUntil(Func<bool> condition, string what, RecordingLog log)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not within {Wait}: {what}\ndevice log:\n{log.Text}\ngateway log:\n{_gateway.Process.Output}");
            }

            await Task.Delay(50);
        }
    }

    private static string Policy()
    {
        var firmware = Convert.ToHexStringLower(SimulatorFirmware.Facts().GetFirmwareDigest());
        return $$"""
            version: 1

            quarantine:
              class: quarantine
              threshold: 1000
              window: 1s

            classes:
              sensor:
                heartbeat-interval: 10s
                firmware:
                  - {{firmware}}
                publish:
                  - topic: iotsec/v1/d/{device}/up/heartbeat
                    payload: heartbeat
                    max-size: 512
                    qos: [0, 1]
                    rate: 12/min
                    burst: 5
                  - topic: iotsec/v1/d/{device}/up/posture
                    payload: cbor
                    max-size: 1024
                    qos: [0, 1]
                    rate: 12/min
                    burst: 5
                  - topic: iotsec/v1/d/{device}/up/cmd-ack
                    payload: cbor
                    max-size: 512
                    qos: [0, 1]
                    rate: 12/min
                    burst: 5
                subscribe:
                  - topic: iotsec/v1/d/{device}/down/#
                    qos: [0, 1]

              quarantine:
                heartbeat-interval: 60s
                firmware:
                  - {{firmware}}
                publish:
                  - topic: iotsec/v1/d/{device}/up/heartbeat
                    payload: heartbeat
                    max-size: 512
                    qos: [0, 1]
                    rate: 6/min
                    burst: 5
                subscribe:
                  - topic: iotsec/v1/d/{device}/down/#
                    qos: [0, 1]
            """;
    }

    private sealed class RecordingLog : IoTSec.Firmware.Platform.IDeviceLog
    {
        private readonly System.Text.StringBuilder _text = new();

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        public void Write(string message)
        {
            lock (_text)
            {
                _text.Append(DateTime.UtcNow.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').AppendLine(message);
            }
        }
    }
}
