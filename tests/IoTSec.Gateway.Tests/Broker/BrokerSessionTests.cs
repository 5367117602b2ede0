using System;
using System.Diagnostics;
using System.Threading.Tasks;
using IoTSec.Gateway.Broker;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Broker;

/// <summary>
/// Live sessions on the device broker with mosquitto_sub as the device: revocation drops the
/// session within a second, a server certificate rotation does not, heartbeats are answered on
/// hb-ack and never forwarded, and down/ topics belong to the gateway alone.
/// </summary>
[TestClass]
public sealed class BrokerSessionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RevokingAConnectedDeviceDropsItsSessionWithinASecondAndRefusesItsReconnect()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");
        using var subscriber = await MosquittoClient.SubscribeAsync(gateway, device, "iotsec/v1/d/sensor-0001/down/#");
        Assert.IsTrue(gateway.Connected.TryGet("sensor-0001", out _));

        var clock = Stopwatch.StartNew();
        gateway.Inventory.Revoke("sensor-0001", "key extracted", "test");
        while (gateway.Connected.TryGet("sensor-0001", out _) && clock.Elapsed < Wait)
        {
            await Task.Delay(5, TestContext.CancellationToken);
        }

        var dropped = clock.Elapsed;
        TestContext.WriteLine($"session dropped {dropped.TotalMilliseconds:F1} ms after the revocation was committed");
        Assert.IsLessThan(TimeSpan.FromSeconds(1), dropped, $"the session was dropped after {dropped.TotalMilliseconds:F0} ms");

        // mosquitto_sub sees the disconnect and reconnects by itself: that attempt is refused.
        var ledger = gateway.Get<ConnectionRefusalLedger>();
        var deadline = DateTime.UtcNow + Wait;
        while (ledger.TotalRefusals == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.CancellationToken);
        }

        var (exit, output) = await MosquittoClient.PublishAsync(gateway, device, device.DeviceId, "iotsec/v1/d/sensor-0001/up/telemetry", "{}");
        Assert.AreNotEqual(0, exit, "the revoked device reconnected: " + output);
        Assert.IsGreaterThanOrEqualTo(1L, ledger.TotalRefusals);
        Assert.IsFalse(gateway.Connected.TryGet("sensor-0001", out _));
        Assert.IsEmpty(gateway.Upstream.Messages);
    }

    [TestMethod]
    public async Task AServerCertificateRotationKeepsLiveSessionsAndServesNewOnes()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");
        using var subscriber = await MosquittoClient.SubscribeAsync(gateway, device, "iotsec/v1/d/sensor-0001/down/#");
        gateway.Connected.TryGet("sensor-0001", out var before);
        var rotator = gateway.Get<ServerCertificateRotator>();
        var oldSerial = rotator.Current.SerialNumber;

        rotator.Rotate();
        Assert.AreNotEqual(oldSerial, rotator.Current.SerialNumber);

        // The live session still receives what the gateway sends it.
        await gateway.Get<IDeviceDownlink>().SendAsync("sensor-0001", TopicKind.Command, "cafe"u8.ToArray(), TestContext.CancellationToken);
        var line = await subscriber.NextMessageAsync(Wait);
        Assert.AreEqual("MSG iotsec/v1/d/sensor-0001/down/cmd 63616665", line);
        Assert.IsTrue(gateway.Connected.TryGet("sensor-0001", out var after));
        Assert.AreSame(before, after, "the session was replaced");

        // A new connection is served with the new certificate (still chaining to the root).
        var other = gateway.Enrol("sensor-0002");
        var (exit, output) = await MosquittoClient.PublishAsync(gateway, other, other.DeviceId, "iotsec/v1/d/sensor-0002/up/telemetry", "{}");
        Assert.AreEqual(0, exit, output);
    }

    [TestMethod]
    public async Task AHeartbeatIsAnsweredOnHbAckAndNeverForwarded()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var device = gateway.Enrol("sensor-0001");

        // mosquitto_rr subscribes to hb-ack, publishes the heartbeat and waits for the answer,
        // all in the device's one session.
        var (exit, output) = await MosquittoClient.RequestAsync(
            gateway, device, "iotsec/v1/d/sensor-0001/up/heartbeat", "hb-42", "iotsec/v1/d/sensor-0001/down/hb-ack", TimeSpan.FromSeconds(10));

        Assert.AreEqual(0, exit, output);
        StringAssert.Contains(output, "iotsec/v1/d/sensor-0001/down/hb-ack 61636b3a68622d3432", "expected 'ack:hb-42' on hb-ack");
        Assert.IsTrue(gateway.Heartbeats.Received.TryDequeue(out var heartbeat));
        Assert.AreEqual("sensor-0001", heartbeat.DeviceId);
        CollectionAssert.AreEqual("hb-42"u8.ToArray(), heartbeat.Payload);
        Assert.IsEmpty(gateway.Upstream.Messages, "a heartbeat is the posture service's, not upstream's");
    }

    [TestMethod]
    public async Task ADeviceCannotPublishOnADownlinkTopic()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        var victim = gateway.Enrol("sensor-0001");
        var attacker = gateway.Enrol("sensor-0002");
        using var meter = new BrokerMeterRecorder("iotsec_broker_messages_dropped_total", "violation");
        using var subscriber = await MosquittoClient.SubscribeAsync(gateway, victim, "iotsec/v1/d/sensor-0001/down/#");

        // Another device forges a command for the victim, and the victim tries to command itself.
        var (exit, output) = await MosquittoClient.PublishAsync(gateway, attacker, attacker.DeviceId, "iotsec/v1/d/sensor-0001/down/cmd", "erase");
        Assert.AreEqual(0, exit, "a QoS 1 publish is acknowledged (MQTT 3.1.1 has no refusal code) and dropped: " + output);
        var (selfExit, selfOutput) = await MosquittoClient.RequestAsync(
            gateway, attacker, "iotsec/v1/d/sensor-0002/down/cmd", "reboot", "iotsec/v1/d/sensor-0002/down/cmd", TimeSpan.FromSeconds(2));
        Assert.AreNotEqual(0, selfExit, "the device received its own downlink publish: " + selfOutput);

        // The gateway's own command is the first thing the victim receives.
        await gateway.Get<IDeviceDownlink>().SendAsync("sensor-0001", TopicKind.Command, "ok"u8.ToArray(), TestContext.CancellationToken);
        var line = await subscriber.NextMessageAsync(Wait);
        Assert.AreEqual("MSG iotsec/v1/d/sensor-0001/down/cmd 6f6b", line);

        Assert.IsGreaterThanOrEqualTo(2L, meter.Count(nameof(TrafficViolation.DownlinkPublish)));
        Assert.HasCount(2, gateway.Policy.Refusals);
        foreach (var refusal in gateway.Policy.Refusals)
        {
            Assert.AreEqual(TrafficViolation.DownlinkPublish, refusal.Violation);
        }
    }

    [TestMethod]
    public async Task TheDownlinkRefusesUplinkKinds()
    {
        await using var gateway = await BrokerTestGateway.StartAsync();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            gateway.Get<IDeviceDownlink>().SendAsync("sensor-0001", TopicKind.Telemetry, "x"u8.ToArray(), TestContext.CancellationToken));
    }
}
