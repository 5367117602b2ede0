using System;
using System.Threading.Tasks;
using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Time;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>
/// Heartbeats from the real firmware core through MqttNetLink and a real Mosquitto, read by the
/// gateway's own HeartbeatDecoder and HeartbeatChainVerifier: the chain survives reboots, and
/// the verifier flags the gap of a lost heartbeat, a replay and a clone's fork.
/// </summary>
[TestClass]
public sealed class HeartbeatAgentTests : BrokerTestBase
{
    private const long Interval = HeartbeatAgent.DefaultIntervalSeconds * 1000L;

    private static BrokerFixture s_fixture = null!;

    internal override BrokerFixture Fixture => s_fixture;

    [ClassInitialize]
    public static async Task StartAsync(TestContext context) => s_fixture = await BrokerFixture.StartAsync();

    [ClassCleanup]
    public static async Task StopAsync()
    {
        if (s_fixture is not null)
        {
            await s_fixture.DisposeAsync();
        }
    }

    [TestMethod]
    public async Task TheChainSurvivesRebootsAndTheGatewaySeesEveryHeartbeatInOrder()
    {
        using var device = NewDevice();
        var chain = new HeartbeatChainVerifier();
        ulong expected = 0;
        for (uint boot = 1; boot <= 3; boot++)
        {
            device.Boot();
            for (int i = 0; i < 3; i++)
            {
                Assert.AreEqual(Interval, device.Agent.Tick(), "sent now, the next is due in one interval");
                var (fields, verdict, _, _) = await ObserveAsync(device, chain);
                Assert.AreEqual(ChainVerdict.InOrder, verdict, $"heartbeat {expected} (boot {boot})");
                Assert.AreEqual(expected++, fields.Sequence);
                Assert.AreEqual(boot, fields.BootCount);
                Assert.AreEqual((uint)(i * Interval / 1000), fields.UptimeSeconds);
                device.Clock.Advance(Interval);
            }
        }

        Assert.AreEqual(9ul, chain.LastSequence + 1);
    }

    [TestMethod]
    public async Task TheHeartbeatIsDueOnlyEveryInterval()
    {
        using var device = NewDevice();
        device.Boot();
        device.Agent.IntervalSeconds = 30;
        Assert.AreEqual(30_000, device.Agent.Tick());
        await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        device.Clock.Advance(29_999);
        Assert.AreEqual(1, device.Agent.Tick());
        device.Clock.Advance(1);
        Assert.AreEqual(30_000, device.Agent.Tick());
        await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        Assert.AreEqual(0, Gateway.Waiting(device.Topics.Heartbeat), "one heartbeat per interval");

        // Due but disconnected: nothing is sent and the loop is told to come back later, not to spin.
        device.Link.Disconnect();
        device.Clock.Advance(30_000);
        Assert.AreEqual(HeartbeatAgent.BlockedRetryMilliseconds, device.Agent.Tick());
    }

    [TestMethod]
    public async Task AHeartbeatLostInTransitIsAGapAndItsSequenceIsNeverReused()
    {
        using var device = NewDevice();
        var chain = new HeartbeatChainVerifier();
        device.Boot();
        device.Agent.SendHeartbeat();
        Assert.AreEqual(ChainVerdict.InOrder, (await ObserveAsync(device, chain)).Verdict);

        // The network goes away: the head was persisted before the publish failed.
        device.Link.Disconnect();
        Assert.ThrowsExactly<NetworkException>(() => device.Agent.SendHeartbeat());

        device.Boot();
        device.Agent.SendHeartbeat();
        var (fields, verdict, _, _) = await ObserveAsync(device, chain);
        Assert.AreEqual(2ul, fields.Sequence, "sequence 1 was used by the lost heartbeat");
        Assert.AreEqual(ChainVerdict.Gap, verdict);
    }

    [TestMethod]
    public async Task AReplayedHeartbeatIsFlaggedAsAReplay()
    {
        using var device = NewDevice();
        var chain = new HeartbeatChainVerifier();
        device.Boot();
        device.Agent.SendHeartbeat();
        var first = await ObserveAsync(device, chain);
        device.Clock.Advance(Interval);
        device.Agent.SendHeartbeat();
        Assert.AreEqual(ChainVerdict.InOrder, (await ObserveAsync(device, chain)).Verdict);

        // Captured bytes published again on the device's own session (the only place the
        // broker lets them go).
        device.Link.Publish(device.Topics.Heartbeat, first.Bytes);
        Assert.AreEqual(ChainVerdict.Replay, (await ObserveAsync(device, chain)).Verdict);
    }

    [TestMethod]
    public async Task ACloneMadeFromACopiedFlashForksTheChain()
    {
        using var genuine = NewDevice();
        var chain = new HeartbeatChainVerifier();
        genuine.Boot();
        genuine.Agent.SendHeartbeat();
        Assert.AreEqual(ChainVerdict.InOrder, (await ObserveAsync(genuine, chain)).Verdict);
        genuine.ShutDown();

        // The flash read out and written into a second board, identity and key included.
        using var clone = genuine.Clone(PathFor("clone"));
        genuine.Boot();
        genuine.Agent.SendHeartbeat();
        Assert.AreEqual(ChainVerdict.InOrder, (await ObserveAsync(genuine, chain)).Verdict);
        genuine.ShutDown();

        clone.Boot();
        clone.Clock.Advance(5_000);
        clone.Agent.SendHeartbeat();
        var (fields, verdict, _, _) = await ObserveAsync(clone, chain);
        Assert.AreEqual(1ul, fields.Sequence, "the clone continues the copied chain");
        Assert.AreEqual(ChainVerdict.Fork, verdict);
    }

    [TestMethod]
    public async Task APowerCutAtAnyFlashWriteOfAHeartbeatNeverForksTheChain()
    {
        using var device = NewDevice();
        var chain = new HeartbeatChainVerifier();
        var cut = new PowerCut();
        device.Boot(cut);
        device.Agent.SendHeartbeat();
        Assert.AreEqual(ChainVerdict.InOrder, (await ObserveAsync(device, chain)).Verdict);

        // A heartbeat whose posture report changed writes the chain head, then the report
        // digest. Cut each write at its first, a middle and its last byte, then boot again
        // and send: whatever left the device before the cut, the gateway never sees a fork.
        int cuts = 0;
        byte version = 0;
        foreach (var writeIndex in new long[] { 0, 1 })
        {
            foreach (var bytes in new[] { 0, 20, 1_000 })
            {
                device.Status.FirmwareVersion = "1.4." + (++version).ToString(System.Globalization.CultureInfo.InvariantCulture);
                cut.Arm(writeIndex, bytes);
                Assert.ThrowsExactly<DeviceRebootException>(() => device.Agent.SendHeartbeat());
                Assert.IsTrue(cut.HasFired);
                cuts++;
                cut.Disarm();
                device.Boot(cut);
                device.Agent.SendHeartbeat();

                var (_, verdict, _, _) = await ObserveAsync(device, chain);
                Assert.IsTrue(verdict is ChainVerdict.InOrder or ChainVerdict.Gap, $"cut at write {writeIndex} after {bytes} bytes: {verdict}");
            }
        }

        Assert.AreEqual(6, cuts);
    }

    [TestMethod]
    public async Task TheFullPostureReportIsSentOnlyWhenItChanges()
    {
        using var device = NewDevice();
        var posture = device.Topics.Posture;
        device.Boot();
        device.Agent.SendHeartbeat();
        await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        var first = await Gateway.NextAsync(posture, Wait);
        CollectionAssert.AreEqual(device.Agent.BuildPostureReport().Encode(), first);

        // Unchanged: none with the next heartbeat (MQTT keeps the session's order, so a report
        // published before the heartbeat would have arrived first), nor after a reboot.
        device.Clock.Advance(Interval);
        device.Agent.SendHeartbeat();
        await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        Assert.AreEqual(0, Gateway.Waiting(posture));
        device.Boot();
        device.Agent.SendHeartbeat();
        await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        Assert.AreEqual(0, Gateway.Waiting(posture), "the digest of the last report survives the reboot");

        // New firmware: one new report.
        device.Status.FirmwareDigest = TestStatus.Filled(0x33);
        device.Status.PostureFlags = PostureFlags.TrialBootPending;
        device.Agent.SendHeartbeat();
        await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        var second = await Gateway.NextAsync(posture, Wait);
        CollectionAssert.AreNotEqual(first, second);
        var reader = new IoTSec.Protocol.Cbor.CborReader(second);
        Assert.AreEqual(11, reader.ReadStartMap());
        device.Agent.SendHeartbeat();
        await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        Assert.AreEqual(0, Gateway.Waiting(posture));
    }

    [TestMethod]
    public async Task TheAcknowledgementSetsTheTrustedClockAndAnOldOneCannotMoveIt()
    {
        using var device = NewDevice();
        var chain = new HeartbeatChainVerifier();
        device.Boot();
        Assert.AreEqual(TrustedClock.NoTrustedTime, device.TrustedClock.UnixMilliseconds);
        device.Agent.SendHeartbeat();
        var first = await ObserveAsync(device, chain);
        Assert.AreEqual(PostureFlags.ClockUnsynchronised, first.Fields.PostureFlags & PostureFlags.ClockUnsynchronised);

        const ulong gatewayTime = 1_767_225_600_000;
        var firstAck = new HeartbeatAck(first.Fields.Sequence, gatewayTime, HeartbeatAckVerdict.Accepted, first.Link).Encode(device.Key);
        await Gateway.PublishAsync(device.Topics.HeartbeatAck, firstAck);
        Assert.AreEqual(1, device.ProcessDownlink(Wait));
        Assert.AreEqual(1, device.Agent.AcknowledgedSinceBoot);
        Assert.AreEqual((long)gatewayTime, device.TrustedClock.UnixMilliseconds);
        device.Clock.Advance(Interval);
        Assert.AreEqual((long)gatewayTime + Interval, device.TrustedClock.UnixMilliseconds, "the monotonic clock carries it forward");

        device.Agent.SendHeartbeat();
        var second = await ObserveAsync(device, chain);
        Assert.AreEqual(PostureFlags.None, second.Fields.PostureFlags);
        Assert.AreEqual(RefusalCode.None, second.Fields.LastRefusal);

        // The old acknowledgement again (a replay while heartbeat 1 is outstanding): refused.
        await Gateway.PublishAsync(device.Topics.HeartbeatAck, firstAck);
        device.ProcessDownlink(Wait);
        Assert.AreEqual((long)gatewayTime + Interval, device.TrustedClock.UnixMilliseconds);
        Assert.AreEqual(1, device.Agent.AcknowledgedSinceBoot);

        // One MAC'd under another key: refused too.
        var forged = new HeartbeatAck(second.Fields.Sequence, gatewayTime - 3_600_000, HeartbeatAckVerdict.Accepted, second.Link).Encode(new byte[32]);
        await Gateway.PublishAsync(device.Topics.HeartbeatAck, forged);
        device.ProcessDownlink(Wait);
        Assert.AreEqual((long)gatewayTime + Interval, device.TrustedClock.UnixMilliseconds);

        device.Agent.SendHeartbeat();
        var third = await ObserveAsync(device, chain);
        Assert.AreEqual(RefusalCode.DownlinkBadMac, third.Fields.LastRefusal, "the newest refusal is reported");
        Assert.DoesNotContain(Convert.ToHexString(device.Key), device.Log.Text, StringComparison.OrdinalIgnoreCase);
    }

    [TestMethod]
    public async Task ANewHeartbeatKeyStartsANewChainAtZero()
    {
        using var device = NewDevice();
        var chain = new HeartbeatChainVerifier();
        device.Boot();
        device.Agent.SendHeartbeat();
        device.Agent.SendHeartbeat();
        await ObserveAsync(device, chain);
        await ObserveAsync(device, chain);

        // Re-enrolment gave a new key: the gateway resets its chain (heartbeat-key.md).
        device.Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        device.Boot();
        chain.Reset();
        device.Agent.SendHeartbeat();
        var (fields, verdict, _, _) = await ObserveAsync(device, chain);
        Assert.AreEqual(0ul, fields.Sequence);
        Assert.IsTrue(HeartbeatLink.IsGenesis(fields.PreviousDigest));
        Assert.AreEqual(ChainVerdict.InOrder, verdict);
    }

    [TestMethod]
    public async Task AnOtaRefusalIsReportedUntilSomethingElseIsRefused()
    {
        using var device = NewDevice();
        var chain = new HeartbeatChainVerifier();
        device.Boot();
        device.Status.LastOtaRefusal = RefusalCode.FromManifestRejection(12);
        device.Agent.SendHeartbeat();
        Assert.AreEqual(0x010Cu, (await ObserveAsync(device, chain)).Fields.LastRefusal);

        device.Refusals.Record(RefusalCode.CommandReplayed);
        device.Boot();
        device.Agent.SendHeartbeat();
        Assert.AreEqual(RefusalCode.CommandReplayed, (await ObserveAsync(device, chain)).Fields.LastRefusal, "the newer refusal wins, and survives the reboot");
    }
}
