using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Protocol.Topics;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.EdgeEndToEnd;

/// <summary>
/// Issue 7 against issue 5: the real firmware core (heartbeat agent through MqttNetLink) as the
/// device, the real <c>iotsec-gateway run</c> as the gateway. The gateway accepts the chain
/// across a reboot and its acknowledgement sets the device's trusted clock; a clone made from a
/// copied flash is caught as a chain conflict and quarantined.
/// </summary>
[TestClass]
public sealed class FirmwareDeviceEndToEndTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly byte[] Firmware = SHA256.HashData("IoTSec firmware core e2e 1.0.0"u8);

    private static string _data = null!;
    private static EdgeGateway _gateway = null!;

    [ClassInitialize]
    public static async Task StartGateway(TestContext context)
    {
        RequiredComponent.Executable("curl", "curl");
        _data = TempDirectory.Create("iotsec-fw-e2e");
        _gateway = await EdgeGateway.StartAsync(_data, Policy(), [("fw-chain", "sensor"), ("fw-cloned", "sensor")]);
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
    public async Task TheGatewayAcceptsTheChainAcrossARebootAndItsAcknowledgementSetsTheDeviceClock()
    {
        using var device = new FirmwareDevice(_gateway, "fw-chain", Path.Combine(_data, "flash-chain"), Firmware);
        device.Boot();
        Assert.IsFalse(device.TrustedClock.IsSynchronised);
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, await device.HeartbeatAsync(Wait), _gateway.Process.Output);
        var drift = Math.Abs(device.TrustedClock.UnixMilliseconds - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.IsLessThan(5_000L, drift, "the device's clock is the gateway's");

        device.Boot();
        device.Clock.Advance(60_000);
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, await device.HeartbeatAsync(Wait), "sequence 1 after the reboot is in order for the gateway");
        await _gateway.WaitForDeviceAsync("fw-chain", d => (string?)d["state"] == "operating" && (string?)d["lastPostureVerdict"] == "healthy", Wait);
    }

    [TestMethod]
    public async Task ACloneMadeFromACopiedFlashIsCaughtAsAChainConflictAndQuarantined()
    {
        using var genuine = new FirmwareDevice(_gateway, "fw-cloned", Path.Combine(_data, "flash-genuine"), Firmware);
        genuine.Boot();
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, await genuine.HeartbeatAsync(Wait), _gateway.Process.Output);
        genuine.ShutDown();

        using var clone = genuine.Clone(Path.Combine(_data, "flash-clone"));
        genuine.Boot();
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, await genuine.HeartbeatAsync(Wait));
        genuine.ShutDown();

        clone.Boot();
        clone.Clock.Advance(5_000);
        Assert.AreEqual(HeartbeatAckVerdict.ChainConflict, await clone.HeartbeatAsync(Wait), _gateway.Process.Output);
        await _gateway.WaitForDeviceAsync("fw-cloned", d => (string?)d["state"] == "quarantined" && (string?)d["lastPostureVerdict"] == "compromised", Wait);
    }

    /// <summary>One device class: heartbeats, posture reports and command answers up, everything down.</summary>
    private static string Policy() => $$"""
        version: 1

        quarantine:
          class: quarantine
          threshold: 1000
          window: 1s

        classes:
          sensor:
            heartbeat-interval: 60s
            firmware:
              - {{Convert.ToHexStringLower(Firmware)}}
            publish:
              - topic: iotsec/v1/d/{device}/up/heartbeat
                payload: heartbeat
                max-size: 512
                qos: [0, 1]
                rate: 6/min
                burst: 5
              - topic: iotsec/v1/d/{device}/up/posture
                payload: cbor
                max-size: 1024
                qos: [0, 1]
                rate: 6/min
                burst: 5
              - topic: iotsec/v1/d/{device}/up/cmd-ack
                payload: cbor
                max-size: 512
                qos: [0, 1]
                rate: 6/min
                burst: 5
            subscribe:
              - topic: iotsec/v1/d/{device}/down/#
                qos: [0, 1]

          quarantine:
            heartbeat-interval: 60s
            firmware:
              - {{Convert.ToHexStringLower(Firmware)}}
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
