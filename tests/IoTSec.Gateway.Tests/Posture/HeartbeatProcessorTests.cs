using System;
using System.Linq;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Inventory;
using IoTSec.Gateway.Core.Posture;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Posture;

[TestClass]
public sealed class HeartbeatProcessorTests
{
    private static readonly byte[] SerialA = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x01];
    private static readonly byte[] SerialB = [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x02];

    [TestMethod]
    public void In_order_heartbeats_are_acknowledged_with_the_gateway_time()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", SerialA);

        for (var i = 0; i < 3; i++)
        {
            bed.Clock.Advance(PostureTestBed.Interval);
            var heartbeat = device.Next();
            var outcome = bed.Beat(edge, heartbeat);

            Assert.IsTrue(outcome.Accepted, outcome.Reason);
            var ack = HeartbeatAck.Decode(outcome.Acknowledgement!, device.Key);
            Assert.IsTrue(ack.Acknowledges((ulong)i, HeartbeatLink.Compute(heartbeat)));
            Assert.AreEqual(HeartbeatAckVerdict.Accepted, ack.Verdict);
            Assert.AreEqual((ulong)bed.Clock.Now.ToUnixTimeMilliseconds(), ack.GatewayTimeUnixMilliseconds);
        }

        var posture = bed.Store.Find("sensor-1")!;
        Assert.AreEqual(PostureVerdict.Healthy, posture.Verdict);
        Assert.AreEqual(2UL, posture.LastSequence);
        Assert.AreEqual(DeviceState.Operating, bed.Inventory.Get("sensor-1").State, "the first healthy heartbeat confirms an enrolled device");
        Assert.AreEqual("healthy", bed.Inventory.Get("sensor-1").LastPostureVerdict);
        var verdict = bed.Verdicts("sensor-1").Single();
        Assert.AreEqual("unknown", (string?)verdict.Details["from"]);
        Assert.AreEqual("healthy", (string?)verdict.Details["to"]);
    }

    [TestMethod]
    public void Malformed_heartbeat_is_dropped_without_ack_and_alerts()
    {
        using var bed = new PostureTestBed();
        using var rejected = new CounterRecorder("iotsec_heartbeats_rejected");
        var (edge, device) = bed.Enrol("sensor-1", SerialA);

        var garbage = bed.Beat(edge, [0x82, 0x41, 0x00, 0x58]);
        var truncated = device.Next()[..40];
        var cut = bed.Beat(edge, truncated);
        var oversized = bed.Beat(edge, new byte[4096]);

        foreach (var outcome in new[] { garbage, cut, oversized })
        {
            Assert.IsFalse(outcome.Accepted);
            Assert.IsNull(outcome.Acknowledgement);
            Assert.IsFalse(string.IsNullOrEmpty(outcome.Reason));
        }

        // One alert per device and code per interval: a stream of garbage is one audit entry.
        var alert = bed.Alerts(AlertCodes.HeartbeatMalformed).Single();
        Assert.AreEqual("sensor-1", alert.Entry.Subject);
        Assert.AreEqual("warning", (string?)alert.Details["severity"]);
        Assert.IsTrue(bed.Upstream.Bodies(UpstreamKind.Alert).Any(b => (string?)b["code"] == AlertCodes.HeartbeatMalformed));
        Assert.IsNull(bed.Store.Find("sensor-1"), "nothing unverified is stored");
        Assert.AreEqual(2, rejected.Total("reason", "malformed"));
        Assert.AreEqual(1, rejected.Total("reason", "too-large"));
    }

    [TestMethod]
    public void Heartbeat_under_another_key_is_dropped_with_a_bad_mac_alert()
    {
        using var bed = new PostureTestBed();
        var (edge, _) = bed.Enrol("sensor-1", SerialA);
        var forger = new SimulatedDevice("sensor-1", new byte[32], SerialA, PostureTestBed.GoodFirmware);

        var outcome = bed.Beat(edge, forger.Next());

        Assert.IsFalse(outcome.Accepted);
        Assert.IsNull(outcome.Acknowledgement);
        Assert.AreEqual(1, bed.Alerts(AlertCodes.HeartbeatBadMac).Count);
    }

    [TestMethod]
    public void Replayed_heartbeat_raises_an_alert_and_changes_nothing()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        bed.Beat(edge, device.Next());
        var captured = device.Next();
        Assert.IsTrue(bed.Beat(edge, captured).Accepted);

        bed.Clock.Advance(TimeSpan.FromSeconds(5));
        var replay = bed.Beat(edge, captured);

        Assert.IsFalse(replay.Accepted);
        Assert.AreEqual(HeartbeatAckVerdict.Duplicate, HeartbeatAck.Decode(replay.Acknowledgement!, device.Key).Verdict);
        var alert = bed.Alerts(AlertCodes.HeartbeatReplay).Single();
        Assert.AreEqual("sensor-1", alert.Entry.Subject);
        Assert.AreEqual(PostureVerdict.Healthy, bed.Store.Find("sensor-1")!.Verdict);
        Assert.IsTrue(bed.Beat(edge, device.Next()).Accepted, "the chain goes on after a replay");
    }

    [TestMethod]
    public void Forked_chain_of_a_cloned_identity_is_compromised_and_quarantined()
    {
        using var bed = new PostureTestBed();
        using var verified = new CounterRecorder("iotsec_heartbeats_verified");
        using var verdicts = new CounterRecorder("iotsec_posture_verdicts");
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        bed.Beat(edge, device.Next());
        bed.Beat(edge, device.Next());
        var clone = device.Clone();
        clone.Uptime += 7; // another board: its own uptime, so its heartbeat differs
        var cloneSession = bed.Connect("sensor-1", SerialA);

        Assert.IsTrue(bed.Beat(edge, device.Next()).Accepted);
        bed.Clock.Advance(TimeSpan.FromSeconds(1));
        var forked = bed.Beat(cloneSession, clone.Next());

        Assert.IsFalse(forked.Accepted);
        Assert.AreEqual(HeartbeatAckVerdict.ChainConflict, HeartbeatAck.Decode(forked.Acknowledgement!, device.Key).Verdict);
        Assert.AreEqual(PostureVerdict.Compromised, bed.Store.Find("sensor-1")!.Verdict);
        Assert.AreEqual(DeviceState.Quarantined, bed.Inventory.Get("sensor-1").State);
        Assert.IsTrue(cloneSession.Quarantined, "the live session is restricted at once");
        var alert = bed.Alerts(AlertCodes.HeartbeatFork).Single();
        Assert.AreEqual("critical", (string?)alert.Details["severity"]);
        StringAssert.Contains((string?)alert.Details["detail"], "quarantined");
        Assert.AreEqual(1, verified.Total("chain", "fork"));
        Assert.AreEqual(1, verdicts.Total("verdict", "compromised"));

        // The genuine device's next heartbeat is in order, but the identity stays compromised.
        var next = bed.Beat(edge, device.Next());
        Assert.AreEqual(HeartbeatAckVerdict.PostureNonCompliant, HeartbeatAck.Decode(next.Acknowledgement!, device.Key).Verdict);
        Assert.AreEqual(PostureVerdict.Compromised, bed.Store.Find("sensor-1")!.Verdict);
    }

    [TestMethod]
    public void Unknown_firmware_is_compromised_and_quarantined_within_one_heartbeat()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        bed.Beat(edge, device.Next());

        bed.Clock.Advance(TimeSpan.FromSeconds(61.25));
        var detectedAt = bed.Clock.Now;
        device.FirmwareDigest = PostureTestBed.UnknownFirmware;
        device.FirmwareVersion = "6.6.6";
        var outcome = bed.Beat(edge, device.Next());

        Assert.IsTrue(outcome.Accepted, "the heartbeat itself verified");
        Assert.AreEqual(HeartbeatAckVerdict.PostureNonCompliant, HeartbeatAck.Decode(outcome.Acknowledgement!, device.Key).Verdict);
        Assert.AreEqual(DeviceState.Quarantined, bed.Inventory.Get("sensor-1").State);
        Assert.IsTrue(edge.Quarantined);
        var verdict = bed.Verdicts("sensor-1").Last();
        Assert.AreEqual("healthy", (string?)verdict.Details["from"]);
        Assert.AreEqual("compromised", (string?)verdict.Details["to"]);
        Assert.AreEqual(AlertCodes.UnknownFirmware, (string?)verdict.Details["reason"]);
        Assert.AreEqual("2026-11-25T06:01:01.250Z", (string?)verdict.Details["at"]);
        Assert.AreEqual("quarantined", (string?)verdict.Details["remediation"]);
        Assert.AreEqual(detectedAt, verdict.Entry.Time);
        Assert.AreEqual(1, bed.Alerts(AlertCodes.UnknownFirmware).Count);
        Assert.AreEqual(1, bed.Audit.List(kind: "Quarantine").Count);
        var upstream = bed.Upstream.Bodies(UpstreamKind.Posture).Last();
        Assert.AreEqual("compromised", (string?)upstream["to"]);
        Assert.AreEqual("sensor-1", (string?)upstream["deviceId"]);
    }

    [TestMethod]
    public void Revoke_remediation_revokes_the_device()
    {
        using var bed = new PostureTestBed(new PostureSettings { Action = "revoke" });
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        device.FirmwareDigest = PostureTestBed.UnknownFirmware;

        bed.Beat(edge, device.Next());

        Assert.AreEqual(DeviceState.Revoked, bed.Inventory.Get("sensor-1").State);
        Assert.IsTrue(bed.Inventory.IsDeviceRevoked("sensor-1"));
    }

    [TestMethod]
    public void Alert_only_remediation_leaves_the_device_alone()
    {
        using var bed = new PostureTestBed(new PostureSettings { Action = "alert-only" });
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        device.FirmwareDigest = PostureTestBed.UnknownFirmware;

        bed.Beat(edge, device.Next());

        Assert.AreEqual(DeviceState.Enrolled, bed.Inventory.Get("sensor-1").State);
        Assert.IsFalse(edge.Quarantined);
        Assert.AreEqual(1, bed.Alerts(AlertCodes.UnknownFirmware).Count);
    }

    [TestMethod]
    public void A_restarted_gateway_keeps_the_chain()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        bed.Beat(edge, device.Next());
        var second = device.Next();
        bed.Beat(edge, second);

        bed.Restart();

        Assert.AreEqual(HeartbeatAckVerdict.Duplicate, HeartbeatAck.Decode(bed.Beat(edge, second).Acknowledgement!, device.Key).Verdict, "the old heartbeat is known after the restart");
        var next = bed.Beat(edge, device.Next());
        Assert.IsTrue(next.Accepted);
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, HeartbeatAck.Decode(next.Acknowledgement!, device.Key).Verdict, "in order, not a gap");
    }

    [TestMethod]
    public void A_certificate_renewal_starts_a_new_epoch()
    {
        using var bed = new PostureTestBed();
        var (oldSession, oldDevice) = bed.Enrol("sensor-1", SerialA);
        for (var i = 0; i < 3; i++)
        {
            bed.Beat(oldSession, oldDevice.Next());
        }

        var oldKeyId = bed.Store.Find("sensor-1")!.KeyId;
        var (newSession, renewed) = bed.Enrol("sensor-1", SerialB);
        renewed.BootCount = oldDevice.BootCount;

        // In flight under the old key on the new session: dropped, no alert (heartbeat-key.md).
        Assert.IsFalse(bed.Beat(newSession, oldDevice.Next()).Accepted);
        var genesis = bed.Beat(newSession, renewed.Next());

        Assert.IsTrue(genesis.Accepted, genesis.Reason);
        Assert.AreEqual(HeartbeatAckVerdict.Accepted, HeartbeatAck.Decode(genesis.Acknowledgement!, renewed.Key).Verdict, "sequence 0 starts the new chain in order");
        var posture = bed.Store.Find("sensor-1")!;
        CollectionAssert.AreEqual(HeartbeatKeyDerivation.ComputeKeyId(renewed.Key), posture.KeyId);
        CollectionAssert.AreNotEqual(oldKeyId, posture.KeyId);
        CollectionAssert.AreEqual(SerialB, posture.CertificateSerial);
        Assert.AreEqual(0, bed.Alerts(AlertCodes.HeartbeatBadMac).Count);

        // The old session, still open, cannot switch the chain back to its epoch.
        Assert.IsFalse(bed.Beat(oldSession, oldDevice.Next()).Accepted);
        Assert.IsTrue(bed.Beat(newSession, renewed.Next()).Accepted);
        Assert.AreEqual(PostureVerdict.Healthy, bed.Store.Find("sensor-1")!.Verdict);
    }

    [TestMethod]
    public void Boot_count_going_backwards_is_compromised()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        device.BootCount = 7;
        bed.Beat(edge, device.Next());
        bed.Beat(edge, device.Next());

        device.BootCount = 6;
        var outcome = bed.Beat(edge, device.Next());

        Assert.IsFalse(outcome.Accepted);
        var posture = bed.Store.Find("sensor-1")!;
        Assert.AreEqual(PostureVerdict.Compromised, posture.Verdict);
        Assert.AreEqual(AlertCodes.BootCountBackwards, posture.VerdictReason);
        Assert.AreEqual(1, bed.Alerts(AlertCodes.BootCountBackwards).Count);
        Assert.AreEqual(DeviceState.Quarantined, bed.Inventory.Get("sensor-1").State);
    }

    [TestMethod]
    public void A_reboot_storm_degrades_and_clears_after_the_window()
    {
        using var bed = new PostureTestBed(new PostureSettings { RebootStormBoots = 3, RebootStormWindow = TimeSpan.FromMinutes(10) });
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        bed.Beat(edge, device.Next());
        for (var i = 0; i < 3; i++)
        {
            bed.Clock.Advance(TimeSpan.FromSeconds(30));
            device.Reboot();
            bed.Beat(edge, device.Next());
        }

        Assert.AreEqual(PostureVerdict.Degraded, bed.Store.Find("sensor-1")!.Verdict);
        Assert.AreEqual(1, bed.Alerts(AlertCodes.RebootStorm).Count);
        Assert.AreEqual(DeviceState.Operating, bed.Inventory.Get("sensor-1").State, "degraded is not quarantined");

        bed.Clock.Advance(TimeSpan.FromMinutes(11));
        bed.Beat(edge, device.Next());
        Assert.AreEqual(PostureVerdict.Healthy, bed.Store.Find("sensor-1")!.Verdict);
    }

    [TestMethod]
    public void Weakened_device_is_degraded()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        device.Flags = PostureFlags.DebugPortOpen | PostureFlags.ClockUnsynchronised;

        var outcome = bed.Beat(edge, device.Next());

        Assert.AreEqual(HeartbeatAckVerdict.PostureNonCompliant, HeartbeatAck.Decode(outcome.Acknowledgement!, device.Key).Verdict);
        Assert.AreEqual(AlertCodes.InsecureConfiguration, bed.Store.Find("sensor-1")!.VerdictReason);
        Assert.AreEqual(DeviceState.Enrolled, bed.Inventory.Get("sensor-1").State, "not confirmed operating while degraded");
    }

    [TestMethod]
    public void Concurrent_heartbeats_of_many_devices_are_all_recorded()
    {
        using var bed = new PostureTestBed();
        var devices = Enumerable.Range(1, 8).Select(i => bed.Enrol($"sensor-{i}", [0x61, (byte)i])).ToArray();

        System.Threading.Tasks.Parallel.ForEach(devices, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, d =>
        {
            for (var n = 0; n < 15; n++)
            {
                var outcome = bed.Beat(d.Edge, d.Device.Next());
                Assert.IsTrue(outcome.Accepted, outcome.Reason);
                Assert.AreEqual(HeartbeatAckVerdict.Accepted, HeartbeatAck.Decode(outcome.Acknowledgement!, d.Device.Key).Verdict);
            }
        });

        bed.Restart();
        foreach (var (edge, device) in devices)
        {
            Assert.AreEqual(14UL, bed.Store.Find(device.DeviceId)!.LastSequence, "every acknowledged heartbeat is on disk");
            Assert.AreEqual(HeartbeatAckVerdict.Accepted, HeartbeatAck.Decode(bed.Beat(edge, device.Next()).Acknowledgement!, device.Key).Verdict);
        }
    }

    [TestMethod]
    public void A_verdict_change_that_cannot_be_audited_is_not_acknowledged()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", SerialA);
        bed.Beat(edge, device.Next());

        bed.Audit.Dispose();
        device.FirmwareDigest = PostureTestBed.UnknownFirmware;
        var outcome = bed.Beat(edge, device.Next());

        Assert.IsFalse(outcome.Accepted);
        Assert.IsNull(outcome.Acknowledgement, "fail closed: nothing acknowledged that the gateway could not record");
        bed.Restart();
        var posture = bed.Store.Find("sensor-1")!;
        Assert.AreEqual(0UL, posture.LastSequence, "the unrecorded heartbeat left no state behind");
        Assert.AreEqual(PostureVerdict.Healthy, posture.Verdict, "so the next heartbeat records the change again");
    }
}
