using System;
using System.Security.Cryptography;
using System.Threading.Tasks;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Tests.Heartbeat;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Rsa;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Commands;

/// <summary>
/// Commands sent by the gateway side on the real broker, carried out by the real firmware core
/// and answered on up/cmd-ack: each with its result, a replay answered Duplicate and not
/// executed, a trust-anchor update applied only when the current OTA key signed it.
/// </summary>
[TestClass]
public sealed class CommandDispatcherTests : BrokerTestBase
{
    private const ulong IssuedAt = 1_767_225_600_000;

    private static readonly Lazy<RSA> NextOtaRsa = new(() => RSA.Create(2048));

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
    public async Task EachCommandIsAcknowledgedWithItsResult()
    {
        using var device = NewDevice();
        device.Boot();

        var ack = await SendAsync(device, 1, CommandCode.ReportPosture);
        Assert.AreEqual(CommandResult.Ok, ack.Result);
        CollectionAssert.AreEqual(device.Agent.BuildPostureReport().Encode(), await Gateway.NextAsync(device.Topics.Posture, Wait), "a full report, although nothing changed");

        Assert.AreEqual(CommandResult.Ok, (await SendAsync(device, 2, CommandCode.ReEnrol)).Result);
        Assert.AreEqual(1, device.Actions.ReEnrolments);

        device.Actions.KeyRefreshResult = CommandResult.Failed;
        Assert.AreEqual(CommandResult.Failed, (await SendAsync(device, 3, CommandCode.RefreshHeartbeatKey)).Result, "the action's own result is reported");
        Assert.AreEqual(1, device.Actions.KeyRefreshes);

        var unknown = await SendAsync(device, 4, (CommandCode)99);
        Assert.AreEqual(CommandResult.Unsupported, unknown.Result);
        Assert.AreEqual("unknown command code 99", unknown.Detail);

        Assert.AreEqual(CommandResult.Ok, (await SendAsync(device, 5, CommandCode.Decommission)).Result);
        Assert.AreEqual(1, device.Actions.Decommissions);
        Assert.AreEqual(5ul, device.Dispatcher.LastCommandId);
    }

    [TestMethod]
    public async Task RebootIsAcknowledgedThenRunsAndItsReplayIsNotRunAgain()
    {
        using var device = NewDevice();
        device.Boot();
        var reboot = new DeviceCommand(1, CommandCode.Reboot, IssuedAt, null!).Encode(device.Key);
        await Gateway.PublishAsync(device.Topics.Command, reboot);
        Assert.ThrowsExactly<DeviceRebootException>(() => device.ProcessDownlink(Wait));
        Assert.AreEqual(1, device.Platform.Reboots);
        var ok = CommandAck.Decode(await Gateway.NextAsync(device.Topics.CommandAck, Wait));
        Assert.AreEqual(1ul, ok.CommandId);
        Assert.AreEqual(CommandResult.Ok, ok.Result);

        // After the restart the same command arrives again (a redelivery or a replay).
        device.Boot();
        await Gateway.PublishAsync(device.Topics.Command, reboot);
        device.ProcessDownlink(Wait);
        Assert.AreEqual(1, device.Platform.Reboots, "not rebooted again");
        var duplicate = CommandAck.Decode(await Gateway.NextAsync(device.Topics.CommandAck, Wait));
        Assert.AreEqual(CommandResult.Duplicate, duplicate.Result);

        device.Agent.SendHeartbeat();
        var heartbeat = HeartbeatDecoder.Decode(await Gateway.NextAsync(device.Topics.Heartbeat, Wait), device.Key);
        Assert.AreEqual(RefusalCode.CommandReplayed, heartbeat.Fields.LastRefusal);
    }

    [TestMethod]
    public async Task ACommandThatFailsItsMacIsNotAnsweredAndIsReported()
    {
        using var device = NewDevice();
        device.Boot();
        await Gateway.PublishAsync(device.Topics.Command, new DeviceCommand(1, CommandCode.Decommission, IssuedAt, null!).Encode(new byte[32]));
        device.ProcessDownlink(Wait);
        Assert.AreEqual(0, device.Actions.Decommissions);

        // The next answer is the next valid command's: nothing was sent for the forged one.
        var ack = await SendAsync(device, 1, CommandCode.ReEnrol);
        Assert.AreEqual(1ul, ack.CommandId);
        Assert.AreEqual(CommandResult.Ok, ack.Result, "a forged command does not burn its id");
        Assert.AreEqual(RefusalCode.DownlinkBadMac, device.Refusals.Last);
    }

    [TestMethod]
    public async Task ACommandIssuedTooLongAgoByTheTrustedClockIsRejected()
    {
        using var device = NewDevice();
        device.Boot();
        device.Agent.SendHeartbeat();
        var heartbeat = HeartbeatDecoder.Decode(await Gateway.NextAsync(device.Topics.Heartbeat, Wait), device.Key);
        var now = IssuedAt + (2UL * 86_400_000);
        await Gateway.PublishAsync(device.Topics.HeartbeatAck, new HeartbeatAck(0, now, HeartbeatAckVerdict.Accepted, heartbeat.GetLink()).Encode(device.Key));
        device.ProcessDownlink(Wait);
        Assert.IsTrue(device.TrustedClock.IsSynchronised);

        var ack = await SendAsync(device, 1, CommandCode.ReEnrol);
        Assert.AreEqual(CommandResult.Rejected, ack.Result);
        Assert.AreEqual(0, device.Actions.ReEnrolments);
    }

    [TestMethod]
    public async Task ATrustAnchorUpdateSignedByTheCurrentKeyIsAppliedAndPersisted()
    {
        using var device = NewDevice();
        device.Boot();
        var nextKeyId = "ota-2"u8.ToArray();
        var update = SignedOtaKeyUpdate(1, NextOtaRsa.Value, nextKeyId, SimulatedDevice.OtaKey, SimulatedDevice.OtaKeyId);

        var ack = await SendAsync(device, 1, CommandCode.ApplyTrustAnchorUpdate, update);
        Assert.AreEqual(CommandResult.Ok, ack.Result, ack.Detail);

        // After a reboot the device trusts the new key only, at the new counter.
        device.Boot();
        Assert.AreEqual(1ul, device.Anchors.UpdateCounter);
        var keys = device.Anchors.CurrentOtaKeys();
        Assert.HasCount(1, keys);
        Assert.IsTrue(keys[0].HasKeyId(nextKeyId));
        CollectionAssert.AreEqual(device.Provisioned.Get(0).GetValue(), device.Anchors.CurrentGatewayRoot(), "the gateway root is untouched");

        // The same update again under a new command id: its signer is retired now.
        var replay = await SendAsync(device, 2, CommandCode.ApplyTrustAnchorUpdate, update);
        Assert.AreEqual(CommandResult.Rejected, replay.Result);

        // Signed by the new key but numbered at or below the counter: a replay of an update sequence.
        var stale = SignedOtaKeyUpdate(1, SimulatedDevice.OtaKey, "ota-3"u8.ToArray(), NextOtaRsa.Value, nextKeyId);
        var staleAck = await SendAsync(device, 3, CommandCode.ApplyTrustAnchorUpdate, stale);
        Assert.AreEqual(CommandResult.Rejected, staleAck.Result);
        StringAssert.Contains(staleAck.Detail, "SequenceTooOld");
        Assert.AreEqual(1ul, device.Anchors.UpdateCounter);

        // The retired key can no longer sign anything.
        var byOldKey = SignedOtaKeyUpdate(2, SimulatedDevice.OtaKey, SimulatedDevice.OtaKeyId, SimulatedDevice.OtaKey, SimulatedDevice.OtaKeyId);
        var refused = await SendAsync(device, 4, CommandCode.ApplyTrustAnchorUpdate, byOldKey);
        Assert.AreEqual(CommandResult.Rejected, refused.Result);
        StringAssert.Contains(refused.Detail, "UnknownKey");
        Assert.AreEqual(RefusalCode.FromTrustAnchorRejection((int)AnchorUpdateRejection.UnknownKey), device.Refusals.Last);

        // The posture report names the anchors the device holds now.
        var report = System.Text.Encoding.Latin1.GetString(device.Agent.BuildPostureReport().Encode());
        Assert.Contains("ota-2", report);
        Assert.DoesNotContain("ota-1", report);
    }

    [TestMethod]
    public async Task ATrustAnchorUpdateNotSignedByTheCurrentKeyIsRejectedAndChangesNothing()
    {
        using var device = NewDevice();
        device.Boot();

        // Signed by the key it installs (a key cannot vouch for itself), then a forged signature under the current kid.
        var selfSigned = SignedOtaKeyUpdate(1, NextOtaRsa.Value, "ota-2"u8.ToArray(), NextOtaRsa.Value, "ota-2"u8.ToArray());
        var forged = SignedOtaKeyUpdate(1, NextOtaRsa.Value, "ota-2"u8.ToArray(), NextOtaRsa.Value, SimulatedDevice.OtaKeyId);
        var first = await SendAsync(device, 1, CommandCode.ApplyTrustAnchorUpdate, selfSigned);
        var second = await SendAsync(device, 2, CommandCode.ApplyTrustAnchorUpdate, forged);
        Assert.AreEqual(CommandResult.Rejected, first.Result);
        StringAssert.Contains(first.Detail, "UnknownKey");
        Assert.AreEqual(CommandResult.Rejected, second.Result);
        StringAssert.Contains(second.Detail, "BadSignature");

        device.Agent.SendHeartbeat();
        var heartbeat = HeartbeatDecoder.Decode(await Gateway.NextAsync(device.Topics.Heartbeat, Wait), device.Key);
        Assert.AreEqual(0x0307u, heartbeat.Fields.LastRefusal, "trust-anchor range + BadSignature");

        device.Boot();
        Assert.AreEqual(0ul, device.Anchors.UpdateCounter);
        Assert.IsTrue(device.Anchors.CurrentOtaKeys()[0].HasKeyId(SimulatedDevice.OtaKeyId));
    }

    [TestMethod]
    public async Task APowerCutWhileATrustAnchorUpdateIsAppliedLeavesTheOldOrTheNewAnchorsWhole()
    {
        var nextKeyId = "ota-2"u8.ToArray();
        var update = SignedOtaKeyUpdate(1, NextOtaRsa.Value, nextKeyId, SimulatedDevice.OtaKey, SimulatedDevice.OtaKeyId);
        int cuts = 0;
        int applied = 0;

        // Write 0 persists the command id, write 1 the anchors with their counter.
        foreach (var writeIndex in new long[] { 0, 1 })
        {
            foreach (var bytes in new[] { 0, 9, 100_000 })
            {
                using var device = NewDevice($"cut-{writeIndex}-{bytes}");
                var cut = new PowerCut();
                device.Boot(cut);
                cut.Arm(writeIndex, bytes);
                await Gateway.PublishAsync(device.Topics.Command, new DeviceCommand(1, CommandCode.ApplyTrustAnchorUpdate, IssuedAt, update).Encode(device.Key));
                Assert.ThrowsExactly<DeviceRebootException>(() => device.ProcessDownlink(Wait));
                cuts++;
                cut.Disarm();
                device.Boot(cut);

                var keys = device.Anchors.CurrentOtaKeys();
                Assert.HasCount(1, keys);
                bool isNew = keys[0].HasKeyId(nextKeyId);
                Assert.AreEqual(isNew ? 1ul : 0ul, device.Anchors.UpdateCounter, "the key and its counter change together");
                Assert.AreEqual(0, Gateway.Waiting(device.Topics.CommandAck), "nothing was acknowledged before the cut");

                // The gateway, without an answer, issues the update again under a new id.
                var again = await SendAsync(device, 2, CommandCode.ApplyTrustAnchorUpdate, update);
                Assert.AreEqual(isNew ? CommandResult.Rejected : CommandResult.Ok, again.Result, again.Detail);
                Assert.IsTrue(device.Anchors.CurrentOtaKeys()[0].HasKeyId(nextKeyId));
                Assert.AreEqual(1ul, device.Anchors.UpdateCounter);
                applied += isNew ? 1 : 0;
            }
        }

        Assert.AreEqual(6, cuts);
        Assert.AreEqual(0, applied, "a torn write never holds the new value (RecordStore keeps the old copy)");
    }

    private async Task<CommandAck> SendAsync(SimulatedDevice device, ulong id, CommandCode code, byte[]? arguments = null)
    {
        await Gateway.PublishAsync(device.Topics.Command, new DeviceCommand(id, code, IssuedAt, arguments!).Encode(device.Key));
        Assert.AreEqual(1, device.ProcessDownlink(Wait));
        var ack = CommandAck.Decode(await Gateway.NextAsync(device.Topics.CommandAck, Wait));
        Assert.AreEqual(id, ack.CommandId);
        return ack;
    }

    private static byte[] SignedOtaKeyUpdate(ulong sequence, RSA newKey, byte[] newKeyId, RSA signer, byte[] signerKeyId)
    {
        var parameters = newKey.ExportParameters(false);
        var coseKey = RsaCoseKey.Encode(RsaPublicKey.FromModulusAndExponent(parameters.Modulus!, parameters.Exponent!), newKeyId);
        var payload = new TrustAnchorUpdate(sequence, IoTSec.Protocol.Manifest.TrustAnchorKind.OtaSigningKey, coseKey, newKeyId, TrustAnchorUpdate.NoExpiry).Encode();
        var protectedHeader = CoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, ManifestContentTypes.AnchorUpdate, signerKeyId);
        var signature = signer.SignData(CoseSign1.BuildToBeSigned(protectedHeader, [], payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return CoseSign1.Encode(protectedHeader, payload, signature);
    }
}
