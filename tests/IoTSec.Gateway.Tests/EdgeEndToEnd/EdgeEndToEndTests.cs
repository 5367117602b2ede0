using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using IoTSec.Gateway.Tests.Broker;
using IoTSec.Gateway.Tests.Pki;
using IoTSec.Protocol.Topics;
using IoTSec.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.EdgeEndToEnd;

/// <summary>
/// Issue 5 end to end: one real <c>iotsec-gateway run</c> process, devices that are Debian's
/// mosquitto_pub / mosquitto_sub / mosquitto_rr with identities from <c>dev issue-cert</c> and
/// heartbeat keys fetched by curl, and every outcome read from what the gateway itself records
/// (<c>audit list --json</c>, <c>devices show --json</c>, /metrics) or what the clients receive.
/// </summary>
[TestClass]
public sealed class EdgeEndToEndTests
{
    // Telemetry: burst 10, then 5 per second; a quarantine threshold no test reaches, so the
    // flood measures the rate limit alone.
    private const int TelemetryBurst = 10;
    private const int TelemetryRatePerSecond = 5;
    private const int TelemetryMaxSize = 256;

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The firmware the simulated devices run, and the only one the test policy allows.</summary>
    private static readonly byte[] AllowedFirmware = SHA256.HashData("IoTSec e2e firmware 1.0.0"u8);

    private static readonly (string Id, string Class)[] Devices =
    [
        ("e2e-heart", "sensor"), ("e2e-rogue", "sensor"), ("e2e-victim", "sensor"), ("e2e-flood", "sensor"),
        ("e2e-calm", "sensor"), ("e2e-garbled", "sensor"), ("e2e-unknown-fw", "sensor"), ("e2e-revoked", "sensor"),
        ("e2e-policy", "sensor"),
    ];

    private static string _data = null!;
    private static EdgeGateway _gateway = null!;

    public TestContext TestContext { get; set; } = null!;

    [ClassInitialize]
    public static async Task StartGateway(TestContext context)
    {
        _ = MosquittoClient.PublishTool;
        _ = MosquittoClient.SubscribeTool;
        RequiredComponent.Executable("mosquitto_rr", "mosquitto-clients");
        RequiredComponent.Executable("curl", "curl");
        _data = TempDirectory.Create("iotsec-e2e");
        _gateway = await EdgeGateway.StartAsync(_data, Policy(), Devices);
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
    public async Task AValidHeartbeatIsAcknowledgedAndTheDeviceBecomesOperatingAndHealthy()
    {
        var device = Device("e2e-heart");
        var heartbeat = device.Heartbeats.Next();

        var ack = await device.PublishHeartbeatAsync(heartbeat, Wait);

        Assert.IsNotNull(ack, "no hb-ack on down/hb-ack:\n" + _gateway.Process.Output);
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, ack.Verdict);
        Assert.IsTrue(ack.Acknowledges(0, device.Heartbeats.PreviousLink), "the ack answers this heartbeat (sequence 0, its link)");
        var shown = await _gateway.WaitForDeviceAsync(device.DeviceId,
            d => (string?)d["state"] == "operating" && (string?)d["lastPostureVerdict"] == "healthy", Wait);
        Assert.IsNotNull(shown["lastPostureAt"]);
    }

    [TestMethod]
    public async Task AnotherDevicesTopicADownlinkAndAnOversizedPayloadAreDroppedCountedAndAudited()
    {
        var rogue = Device("e2e-rogue");
        var victim = Device("e2e-victim");
        var before = new Dictionary<string, double>();
        foreach (var kind in new[] { "topic-not-allowed", "downlink-publish", "payload-too-large" })
        {
            before[kind] = await _gateway.MetricAsync("iotsec_policy_violations_total", $"kind=\"{kind}\"");
        }

        using var victimSubscriber = await MosquittoClient.SubscribeAsync(victim.Connection, $"iotsec/v1/d/{victim.DeviceId}/down/#");

        // MQTT 5 clients learn the refusal from the PUBACK (135 = not authorized).
        var forgedAck = new byte[] { 0x82, 0x41, 0x00, 0x40 };
        Assert.AreEqual(135, (await rogue.PublishAsync(victim.Topics.Telemetry, "{\"spoofed\":true}"u8.ToArray())).ReasonCode, "another device's topic");
        Assert.AreEqual(135, (await rogue.PublishAsync(victim.Topics.HeartbeatAck, forgedAck)).ReasonCode, "the victim's downlink");
        Assert.AreEqual(135, (await rogue.PublishAsync(victim.Topics.OtaOffer, forgedAck)).ReasonCode, "the victim's downlink");
        Assert.AreEqual(135, (await rogue.PublishAsync(rogue.Topics.Telemetry, Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('x', TelemetryMaxSize) + "\"}"))).ReasonCode, "oversized");

        await _gateway.WaitForMetricAsync("iotsec_policy_violations_total", "kind=\"topic-not-allowed\"", before["topic-not-allowed"] + 1, Wait);
        await _gateway.WaitForMetricAsync("iotsec_policy_violations_total", "kind=\"downlink-publish\"", before["downlink-publish"] + 2, Wait);
        await _gateway.WaitForMetricAsync("iotsec_policy_violations_total", "kind=\"payload-too-large\"", before["payload-too-large"] + 1, Wait);
        Assert.IsGreaterThanOrEqualTo(4.0, await _gateway.MetricAsync("iotsec_broker_messages_dropped_total", ""));

        // The violations reach the audit log in the next flush (1 s here); the topics are named, never the payloads.
        var kinds = new Dictionary<string, long>();
        var topics = new HashSet<string>();
        var deadline = DateTime.UtcNow + Wait;
        while (!(kinds.GetValueOrDefault("topic-not-allowed") >= 1 && kinds.GetValueOrDefault("downlink-publish") >= 2 && kinds.GetValueOrDefault("payload-too-large") >= 1))
        {
            Assert.IsLessThan(deadline, DateTime.UtcNow, $"PolicyViolation entries for {rogue.DeviceId} incomplete: {string.Join(", ", kinds)}\n{_gateway.Process.Output}");
            await Task.Delay(200, TestContext.CancellationToken);
            kinds.Clear();
            topics.Clear();
            foreach (var entry in _gateway.AuditEntries("PolicyViolation", rogue.DeviceId))
            {
                Assert.AreEqual("policy", (string?)entry["actor"]);
                foreach (var (kind, count) in entry["details"]!["violations"]!.AsObject())
                {
                    kinds[kind] = kinds.GetValueOrDefault(kind) + (long)count!;
                }

                topics.UnionWith(entry["details"]!["topics"]!.AsArray().Select(t => (string)t!));
            }
        }

        CollectionAssert.IsSubsetOf(new[] { victim.Topics.Telemetry, victim.Topics.HeartbeatAck, victim.Topics.OtaOffer, rogue.Topics.Telemetry }, topics.ToArray());
        Assert.IsFalse(_gateway.AuditEntries("PolicyViolation", rogue.DeviceId).Any(e => e.ToJsonString().Contains("spoofed", StringComparison.Ordinal)), "payloads are never audited");

        // By now (refused at PUBACK, counted, audited a flush later) a delivered forgery would have arrived.
        Assert.IsFalse(victimSubscriber.HasExited, victimSubscriber.Transcript);
        Assert.DoesNotContain("MSG ", victimSubscriber.Transcript, "the victim's subscriber received a forged message");
    }

    [TestMethod]
    public async Task AFloodIsHeldToTheRateLimitWhileAnotherDevicePublishesUnaffected()
    {
        const int FloodMessages = 200;
        const int CalmMessages = 5;
        var flood = Device("e2e-flood");
        var calm = Device("e2e-calm");
        var refusedBefore = await _gateway.MetricAsync("iotsec_policy_violations_total", "kind=\"rate-exceeded\"");

        var clock = Stopwatch.StartNew();
        var flooding = Task.Run(async () =>
        {
            var result = await flood.PublishLinesAsync(flood.Topics.Telemetry, Enumerable.Range(0, FloodMessages).Select(i => $"{{\"n\":{i}}}"));
            return (result, clock.Elapsed);
        });
        var calmResult = await calm.PublishLinesAsync(calm.Topics.Telemetry, Enumerable.Range(0, CalmMessages).Select(i => $"{{\"t\":{20 + i}}}"));
        var (floodResult, floodTime) = await flooding;

        var floodCodes = FieldDevice.PubAckCodes(floodResult.Output);
        Assert.HasCount(FloodMessages, floodCodes, floodResult.Output);
        var passed = floodCodes.Count(code => code == 0);
        var refused = floodCodes.Count(code => code == 135);
        Assert.AreEqual(FloodMessages, passed + refused, "every PUBACK is accepted or not-authorized");
        var allowed = TelemetryBurst + (TelemetryRatePerSecond * floodTime.TotalSeconds);
        TestContext.WriteLine($"flood: {passed} of {FloodMessages} passed in {floodTime.TotalMilliseconds:F0} ms (limit burst {TelemetryBurst} + {TelemetryRatePerSecond}/s × t = {allowed:F1})");
        Assert.IsGreaterThanOrEqualTo(TelemetryBurst, passed, "the burst passes");
        Assert.IsLessThanOrEqualTo(Math.Floor(allowed) + 1, passed, "no more than burst + rate × t");

        // The gateway counted exactly the refusals the device was told about.
        var refusedNow = await _gateway.WaitForMetricAsync("iotsec_policy_violations_total", "kind=\"rate-exceeded\"", refusedBefore + refused, Wait);
        Assert.AreEqual(refusedBefore + refused, refusedNow);

        var calmCodes = FieldDevice.PubAckCodes(calmResult.Output);
        Assert.HasCount(CalmMessages, calmCodes, calmResult.Output);
        Assert.IsTrue(calmCodes.All(code => code == 0), "the other device's publishes all pass during the flood:\n" + calmResult.Output);
    }

    [TestMethod]
    public async Task AMalformedHeartbeatIsDroppedWithAnAlertAndAReplayIsAlerted()
    {
        var device = Device("e2e-garbled");

        var rejectedBefore = await _gateway.MetricAsync("iotsec_heartbeats_rejected_total", "reason=\"malformed\"");

        // The allowlist types it as a heartbeat (right topic and size); the heartbeat code refuses
        // it. A valid heartbeat follows on the same session: the first hb-ack answers that one,
        // so the malformed one got none.
        var garbage = "not a heartbeat at all"u8.ToArray();
        var first = await device.PublishHeartbeatAsync(device.Heartbeats.Next(), Wait, before: garbage);
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, first?.Verdict, _gateway.Process.Output);
        Assert.IsTrue(first!.Acknowledges(0, device.Heartbeats.PreviousLink), "the first acknowledgement is the valid heartbeat's");
        var malformed = await _gateway.WaitForAuditAsync("Alert", device.DeviceId, e => (string?)e["details"]!["code"] == "heartbeat.malformed", Wait);
        Assert.AreEqual("warning", (string?)malformed["details"]!["severity"]);
        Assert.DoesNotContain("not a heartbeat", malformed.ToJsonString(), "the payload is never logged");
        await _gateway.WaitForMetricAsync("iotsec_heartbeats_rejected_total", "reason=\"malformed\"", rejectedBefore + 1, Wait);

        // The same bytes again: a replay, acknowledged as a duplicate and alerted.
        var replay = await device.PublishHeartbeatAsync(device.Heartbeats.Last, Wait);
        Assert.AreEqual(HeartbeatAckVerdict.Duplicate, replay?.Verdict, _gateway.Process.Output);
        await _gateway.WaitForAuditAsync("Alert", device.DeviceId, e => (string?)e["details"]!["code"] == "heartbeat.replay", Wait);
        Assert.AreEqual("healthy", (string?)_gateway.ShowDevice(device.DeviceId)["lastPostureVerdict"], "a replay changes nothing else");
    }

    [TestMethod]
    public async Task AnUnknownFirmwareDigestIsCompromisedAndQuarantinedWithinOneHeartbeat()
    {
        var device = Device("e2e-unknown-fw", SHA256.HashData("a firmware nobody approved"u8));

        var ack = await device.PublishHeartbeatAsync(device.Heartbeats.Next(), Wait);

        Assert.AreEqual(HeartbeatAckVerdict.PostureNonCompliant, ack?.Verdict, _gateway.Process.Output);
        // Recorded before the acknowledgement was sent: no waiting beyond the first heartbeat.
        var verdict = await _gateway.WaitForAuditAsync("PostureVerdict", device.DeviceId, e => (string?)e["details"]!["to"] == "compromised", TimeSpan.FromSeconds(2));
        Assert.AreEqual("posture.unknown-firmware", (string?)verdict["details"]!["reason"]);
        Assert.AreEqual("quarantined", (string?)verdict["details"]!["remediation"]);
        await _gateway.WaitForAuditAsync("Quarantine", device.DeviceId, _ => true, TimeSpan.FromSeconds(2));
        var shown = _gateway.ShowDevice(device.DeviceId);
        Assert.AreEqual("quarantined", (string?)shown["state"], shown.ToJsonString());
        Assert.AreEqual("compromised", (string?)shown["lastPostureVerdict"]);

        // Quarantined: telemetry is no longer allowed for it.
        var (code, _) = await device.PublishAsync(device.Topics.Telemetry, "{}"u8.ToArray());
        Assert.AreEqual(135, code);
    }

    [TestMethod]
    public async Task RevokingAConnectedDeviceFromAnotherProcessDropsItsSessionWithinASecondAndRefusesItsReconnect()
    {
        var device = Device("e2e-revoked");
        var droppedBefore = await _gateway.MetricAsync("iotsec_broker_revoked_sessions_dropped_total", "");
        var refusedBefore = await _gateway.MetricAsync("iotsec_broker_connections_refused_total", "reason=\"certificate-revoked\"");
        using var subscriber = await MosquittoClient.SubscribeAsync(device.Connection, $"iotsec/v1/d/{device.DeviceId}/down/#");

        // The revocation is committed somewhere inside the CLI run: the drop is measured from
        // the command's exit (a lower bound) and from its start (an upper bound, with .NET's start-up).
        var fromStart = Stopwatch.StartNew();
        var revoke = _gateway.Cli("devices", "revoke", device.DeviceId, "--reason", "e2e: key extracted");
        Assert.AreEqual(0, revoke.ExitCode, revoke.Output + revoke.Error);
        var fromExit = Stopwatch.StartNew();
        await subscriber.WaitForLineAsync(line => line.Contains("The connection was lost", StringComparison.Ordinal), Wait);
        var dropped = fromExit.Elapsed;
        TestContext.WriteLine($"mosquitto_sub lost its session {dropped.TotalMilliseconds:F0} ms after 'devices revoke' exited, {fromStart.Elapsed.TotalMilliseconds:F0} ms after it started");
        Assert.IsLessThan(TimeSpan.FromSeconds(1), dropped, $"the session was dropped {dropped.TotalMilliseconds:F0} ms after the revocation");
        await _gateway.WaitForMetricAsync("iotsec_broker_revoked_sessions_dropped_total", "", droppedBefore + 1, Wait);

        // Its reconnect is refused in the handshake.
        var (exitCode, output) = await device.PublishWithArgumentsAsync(["-t", device.Topics.Telemetry, "-m", "{}"]);
        Assert.AreNotEqual(0, exitCode, "the revoked device reconnected: " + output);
        Assert.IsEmpty(FieldDevice.PubAckCodes(output), output);
        await _gateway.WaitForMetricAsync("iotsec_broker_connections_refused_total", "reason=\"certificate-revoked\"", refusedBefore + 1, Wait);
        Assert.DoesNotContain("MSG ", subscriber.Transcript);
        Assert.AreEqual("revoked", (string?)_gateway.ShowDevice(device.DeviceId)["state"]);
    }

    [TestMethod]
    public async Task ABadPolicyFileWrittenOverTheRunningOneLeavesTheOldPolicyInForce()
    {
        var device = Device("e2e-policy");
        Assert.AreEqual(0, (await device.PublishAsync(device.Topics.Telemetry, "{\"t\":21}"u8.ToArray())).ReasonCode);
        var failuresBefore = await _gateway.MetricAsync("iotsec_policy_reload_failures_total", "");
        var changesBefore = _gateway.AuditEntries("PolicyChange", null).Count;
        var good = File.ReadAllText(_gateway.PolicyFile);
        try
        {
            // An operator's typo: an unknown rate unit. The whole file is refused.
            File.WriteAllText(_gateway.PolicyFile, good.Replace($"rate: {TelemetryRatePerSecond}/s", $"rate: {TelemetryRatePerSecond}/x", StringComparison.Ordinal));
            await _gateway.WaitForMetricAsync("iotsec_policy_reload_failures_total", "", failuresBefore + 1, Wait);
            await _gateway.Process.WaitForOutputAsync($"protocol allowlist {_gateway.PolicyFile} refused", Wait);
            StringAssert.Contains(_gateway.Process.Output, $"policy {_gateway.PolicyFile}:");
            StringAssert.Contains(_gateway.Process.Output, "'5/x' is not a rate");

            Assert.AreEqual(0, (await device.PublishAsync(device.Topics.Telemetry, "{\"t\":22}"u8.ToArray())).ReasonCode, "the old policy still allows telemetry");
            Assert.HasCount(changesBefore, _gateway.AuditEntries("PolicyChange", null), "a refused file is not audited as a change");
        }
        finally
        {
            File.WriteAllText(_gateway.PolicyFile, good);
        }
    }

    private static FieldDevice Device(string deviceId, byte[]? firmware = null)
    {
        var device = new FieldDevice(_gateway, deviceId);
        device.FetchHeartbeatKey(firmware ?? AllowedFirmware);
        return device;
    }

    /// <summary>The test allowlist: one device class whose telemetry rate the flood measures, the quarantine class.</summary>
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
              - {{Convert.ToHexStringLower(AllowedFirmware)}}
            publish:
              - topic: iotsec/v1/d/{device}/up/heartbeat
                payload: heartbeat
                max-size: 512
                qos: [0, 1]
                rate: 6/min
                burst: 5
              - topic: iotsec/v1/d/{device}/up/telemetry
                payload: json
                max-size: {{TelemetryMaxSize}}
                qos: [0, 1]
                rate: {{TelemetryRatePerSecond}}/s
                burst: {{TelemetryBurst}}
            subscribe:
              - topic: iotsec/v1/d/{device}/down/#
                qos: [0, 1]

          quarantine:
            heartbeat-interval: 60s
            firmware:
              - {{Convert.ToHexStringLower(AllowedFirmware)}}
            publish:
              - topic: iotsec/v1/d/{device}/up/heartbeat
                payload: heartbeat
                max-size: 512
                qos: [0, 1]
                rate: 6/min
                burst: 5
            subscribe:
              - topic: iotsec/v1/d/{device}/down/hb-ack
                qos: [0, 1]
              - topic: iotsec/v1/d/{device}/down/cmd
                qos: [0, 1]
        """;
}
