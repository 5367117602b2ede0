using System;
using System.Collections.Generic;
using IoTSec.Protocol.Heartbeat;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Protocol.Tests.Heartbeat.HeartbeatVectors;

namespace IoTSec.Protocol.Tests.Heartbeat;

[TestClass]
public sealed class HeartbeatChainVerifierTests
{
    private static ChainVerdict Deliver(HeartbeatChainVerifier gateway, byte[] heartbeat)
    {
        return gateway.Observe(HeartbeatDecoder.Decode(heartbeat, Key, DeviceId));
    }

    [TestMethod]
    public void InOrder_FromGenesis_AcrossReboots()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        Assert.IsFalse(gateway.IsAnchored);

        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()));
        for (int i = 0; i < 5; i++)
        {
            Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()), "heartbeat " + (i + 1));
        }

        // A reboot keeps sequence and chain head; boot count goes up and uptime restarts.
        device.Reboot();
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()));
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()));

        Assert.IsTrue(gateway.IsAnchored);
        Assert.AreEqual(7UL, gateway.LastSequence);
        Assert.AreEqual(2U, gateway.LastBootCount);
        CollectionAssert.AreEqual(HeartbeatLink.Compute(device.Last), gateway.GetLastLink());
    }

    [TestMethod]
    public void FirstHeartbeatSeen_IsNotGenesis_AnchorsAsGap()
    {
        var device = new DeviceChainSimulator(Key);
        device.Lose(10);
        var gateway = new HeartbeatChainVerifier();
        Assert.AreEqual(ChainVerdict.Gap, Deliver(gateway, device.Next()));
        Assert.AreEqual(10UL, gateway.LastSequence);
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()));
    }

    [TestMethod]
    public void Gap_ReanchorsTheChain()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        Deliver(gateway, device.Next());
        Deliver(gateway, device.Next());
        device.Lose(3);
        Assert.AreEqual(ChainVerdict.Gap, Deliver(gateway, device.Next()));
        Assert.AreEqual(5UL, gateway.LastSequence);
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()));
    }

    [TestMethod]
    public void Replay_OfTheLastOrAnEarlierHeartbeat_ChangesNothing()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        var sent = new List<byte[]>();
        for (int i = 0; i < 6; i++)
        {
            sent.Add(device.Next());
            Deliver(gateway, sent[^1]);
        }

        byte[] state = gateway.Serialize();
        Assert.AreEqual(ChainVerdict.Replay, Deliver(gateway, sent[^1]), "redelivery of the last");
        Assert.AreEqual(ChainVerdict.Replay, Deliver(gateway, sent[2]), "an older one");
        Assert.AreEqual(ChainVerdict.Replay, Deliver(gateway, sent[0]), "the genesis heartbeat itself");
        CollectionAssert.AreEqual(state, gateway.Serialize(), "state unchanged");
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()));
    }

    // A clone copies the device's whole persisted state; from then on two chains share one
    // identity and key. Whichever speaks second shows as a fork.
    [TestMethod]
    public void Fork_AClonedDeviceShowsItself()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        for (int i = 0; i < 4; i++)
        {
            Deliver(gateway, device.Next());
        }

        var clone = device.Clone();
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next(60)), "the device's sequence 4");
        byte[] clone4 = clone.Next(61);
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, clone4), "the clone's sequence 4: same sequence, other link");
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, clone.Next()), "the clone's sequence 5 does not link to the accepted 4");
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, clone4), "a fork heartbeat again is still a fork, never a replay");
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()), "the first chain stays the reference");
        Assert.AreEqual(5UL, gateway.LastSequence);
    }

    // A clone that jumps ahead wins the anchor (a gap), and the genuine device shows the fork
    // with its very next heartbeat: as soon as both speak, the fork is seen.
    [TestMethod]
    public void Fork_ACloneJumpingAhead_IsCaughtByTheGenuineDevice()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        for (int i = 0; i < 3; i++)
        {
            Deliver(gateway, device.Next());
        }

        var clone = device.Clone();
        clone.Lose(5);
        Assert.AreEqual(ChainVerdict.Gap, Deliver(gateway, clone.Next()));
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, device.Next()), "sequence 3 lies inside the remembered range and was never accepted");
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, device.Next()), "and so does 4");
    }

    [TestMethod]
    public void Fork_ChainRestartedUnderTheSameKey()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier(capacity: 4);
        for (int i = 0; i < 10; i++)
        {
            Deliver(gateway, device.Next());
        }

        // A factory reset without re-enrolment: the device starts again at 0 under the same key.
        device.ForgetChain();
        device.Reboot();
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, device.Next()), "genesis after the window moved on");

        var gateway2 = new HeartbeatChainVerifier();
        var device2 = new DeviceChainSimulator(Key);
        Deliver(gateway2, device2.Next());
        Deliver(gateway2, device2.Next());
        device2.ForgetChain();
        device2.Reboot();
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway2, device2.Next()), "genesis still in the window, other link");
    }

    [TestMethod]
    public void Fork_CountersGoingBackwards()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        device.SetCounters(bootCount: 5, uptime: 1000);
        Deliver(gateway, device.Next());
        Deliver(gateway, device.Next());

        var restored = device.Clone();
        restored.SetCounters(bootCount: 4, uptime: 5000);
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, restored.Next()), "a lower boot count");

        var sameBoot = device.Clone();
        sameBoot.SetCounters(bootCount: 5, uptime: 10);
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway, sameBoot.Next()), "less uptime within the same boot");

        device.Reboot();
        Assert.AreEqual(ChainVerdict.InOrder, Deliver(gateway, device.Next()), "less uptime after a reboot is normal");
    }

    [TestMethod]
    public void Stale_BelowTheWindow_ForkInsideAGap()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier(capacity: 4);
        var sent = new List<byte[]>();
        for (int i = 0; i < 10; i++)
        {
            sent.Add(device.Next());
            Deliver(gateway, sent[^1]);
        }

        Assert.AreEqual(4, gateway.Count);
        Assert.AreEqual(ChainVerdict.Stale, Deliver(gateway, sent[2]), "older than the window: replay or fork cannot be proven");
        Assert.AreEqual(ChainVerdict.Replay, Deliver(gateway, sent[6]), "oldest in the window");

        var inGap = new DeviceChainSimulator(Key);
        var gateway2 = new HeartbeatChainVerifier();
        Deliver(gateway2, inGap.Next());
        var late = new List<byte[]>();
        for (int i = 0; i < 4; i++)
        {
            late.Add(inGap.Next());
        }

        Assert.AreEqual(ChainVerdict.Gap, Deliver(gateway2, inGap.Next()));
        Assert.AreEqual(ChainVerdict.Fork, Deliver(gateway2, late[1]), "a heartbeat from inside the gap: numbered before one accepted, so another publisher");
    }

    [TestMethod]
    public void Reset_StartsANewKeyEpoch()
    {
        var device = new DeviceChainSimulator(Key);
        var gateway = new HeartbeatChainVerifier();
        for (int i = 0; i < 5; i++)
        {
            Deliver(gateway, device.Next());
        }

        // Re-enrolment: a new key, a new chain from 0. The old chain's state would call it a fork.
        byte[] newKey = Filled(0x5a, 32);
        var rekeyed = new DeviceChainSimulator(newKey);
        var genesis = HeartbeatDecoder.Decode(rekeyed.Next(), newKey);
        Assert.AreEqual(ChainVerdict.Fork, gateway.Clone_ForTest().Observe(genesis));

        gateway.Reset();
        Assert.IsFalse(gateway.IsAnchored);
        Assert.AreEqual(0UL, gateway.LastSequence);
        CollectionAssert.AreEqual(new byte[32], gateway.GetLastLink());
        Assert.AreEqual(ChainVerdict.InOrder, gateway.Observe(genesis));
        Assert.AreEqual(ChainVerdict.InOrder, gateway.Observe(HeartbeatDecoder.Decode(rekeyed.Next(), newKey)));
    }

    // The gateway persists the state after every heartbeat; a verifier restored from those
    // bytes must decide exactly as the one that never went to disk.
    [TestMethod]
    public void PersistedState_DecidesLikeTheLiveOne()
    {
        var random = new Random(77);
        var device = new DeviceChainSimulator(Key);
        var live = new HeartbeatChainVerifier(capacity: 5);
        byte[] persisted = live.Serialize();
        var sent = new List<byte[]>();
        var clone = (DeviceChainSimulator?)null;

        for (int step = 0; step < 300; step++)
        {
            byte[] heartbeat;
            switch (random.Next(10))
            {
                case 0 when sent.Count > 0:
                    heartbeat = sent[random.Next(sent.Count)];
                    break;
                case 1:
                    device.Lose(random.Next(1, 4));
                    heartbeat = device.Next();
                    break;
                case 2:
                    clone ??= device.Clone();
                    heartbeat = clone.Next();
                    break;
                case 3:
                    device.Reboot();
                    heartbeat = device.Next();
                    break;
                default:
                    heartbeat = device.Next();
                    break;
            }

            sent.Add(heartbeat);
            var restored = HeartbeatChainVerifier.Deserialize(persisted);
            ChainVerdict expected = Deliver(live, heartbeat);
            Assert.AreEqual(expected, Deliver(restored, heartbeat), "step " + step);
            persisted = restored.Serialize();
            CollectionAssert.AreEqual(live.Serialize(), persisted, "step " + step);
        }
    }

    [TestMethod]
    public void State_KnownGoodBytes()
    {
        var gateway = new HeartbeatChainVerifier();
        Assert.AreEqual(ChainVerdict.Gap, gateway.Observe(41, 7, 3540, Filled(0x55, 32), Filled(0x33, 32)));
        Assert.AreEqual(ChainVerdict.InOrder, gateway.Observe(42, 7, 3600, Filled(0x33, 32), Hex(HeartbeatLinkHex)));
        CollectionAssert.AreEqual(Hex(ChainState), gateway.Serialize());

        var restored = HeartbeatChainVerifier.Deserialize(Hex(ChainState));
        Assert.AreEqual(16, restored.Capacity);
        Assert.AreEqual(2, restored.Count);
        Assert.AreEqual(42UL, restored.LastSequence);
        Assert.AreEqual(7U, restored.LastBootCount);
        Assert.AreEqual(3600U, restored.LastUptimeSeconds);
        CollectionAssert.AreEqual(Hex(HeartbeatLinkHex), restored.GetLastLink());

        // The sample heartbeat (sequence 42, previous 0x33..) is that state's last link: a replay.
        Assert.AreEqual(ChainVerdict.Replay, Deliver(restored, Hex(HeartbeatHex)));

        CollectionAssert.AreEqual(Hex("a5010102100300040005 80".Replace(" ", string.Empty, StringComparison.Ordinal)), new HeartbeatChainVerifier().Serialize());
    }

    [TestMethod]
    public void State_WindowWrapsOldestFirst()
    {
        var gateway = new HeartbeatChainVerifier(capacity: 3);
        var device = new DeviceChainSimulator(Key);
        for (int i = 0; i < 10; i++)
        {
            Deliver(gateway, device.Next());
        }

        var restored = HeartbeatChainVerifier.Deserialize(gateway.Serialize());
        Assert.AreEqual(3, restored.Count);
        Assert.AreEqual(9UL, restored.LastSequence);
        var reader = new System.Formats.Cbor.CborReader(gateway.Serialize());
        reader.ReadStartMap();
        for (int i = 0; i < 4; i++)
        {
            reader.ReadUInt64();
            reader.ReadUInt64();
        }

        Assert.AreEqual(5UL, reader.ReadUInt64());
        Assert.AreEqual(3, reader.ReadStartArray());
        for (ulong expected = 7; expected <= 9; expected++)
        {
            reader.ReadStartArray();
            Assert.AreEqual(expected, reader.ReadUInt64());
            reader.SkipValue();
            reader.ReadEndArray();
        }
    }

    [TestMethod]
    [DataRow("", ChainStateRejection.Malformed, DisplayName = "empty")]
    [DataRow("80", ChainStateRejection.Malformed, DisplayName = "an array")]
    [DataRow("a5010102100300040005 80 00", ChainStateRejection.Malformed, DisplayName = "trailing byte")]
    [DataRow("a5020102100300040005 80", ChainStateRejection.Malformed, DisplayName = "keys out of order (and duplicate)")]
    [DataRow("a5010202100300040005 80", ChainStateRejection.UnknownVersion, DisplayName = "version 2")]
    [DataRow("a40210030004000580", ChainStateRejection.FieldMissing, DisplayName = "no version")]
    [DataRow("a40101021003000400", ChainStateRejection.FieldMissing, DisplayName = "no window")]
    [DataRow("a6010102100300040005800600", ChainStateRejection.UnknownField, DisplayName = "key 6")]
    [DataRow("a5010102000300040005 80", ChainStateRejection.FieldInvalid, DisplayName = "capacity 0")]
    [DataRow("a501010218410300040005 80", ChainStateRejection.FieldInvalid, DisplayName = "capacity 65")]
    [DataRow("a5010102010300040005 82 8201 5820" + "3333333333333333333333333333333333333333333333333333333333333333" + " 8202 5820" + "3333333333333333333333333333333333333333333333333333333333333333", ChainStateRejection.FieldInvalid, DisplayName = "window over capacity")]
    [DataRow("a5010102100300040005 82 8202 5820" + "3333333333333333333333333333333333333333333333333333333333333333" + " 8202 5820" + "3333333333333333333333333333333333333333333333333333333333333333", ChainStateRejection.FieldInvalid, DisplayName = "sequences not increasing")]
    [DataRow("a5010102100300040005 81 8202 581f" + "33333333333333333333333333333333333333333333333333333333333333", ChainStateRejection.FieldInvalid, DisplayName = "link of 31 bytes")]
    [DataRow("a5010102100300040005 81 8302 5820" + "3333333333333333333333333333333333333333333333333333333333333333" + "00", ChainStateRejection.FieldInvalid, DisplayName = "entry of three")]
    [DataRow("a5010102100301040005 80", ChainStateRejection.FieldInvalid, DisplayName = "counters without a window")]
    [DataRow("a50101021003000400056161", ChainStateRejection.FieldInvalid, DisplayName = "window as text")]
    public void State_Malformed_IsRefusedWithItsReason(string hex, ChainStateRejection expected)
    {
        var e = Assert.ThrowsExactly<ChainStateRejectedException>(() => HeartbeatChainVerifier.Deserialize(Hex(hex)));
        Assert.AreEqual(expected, e.Reason, e.Message);
    }

    [TestMethod]
    public void State_TooLarge_AndRandomBytes()
    {
        Assert.AreEqual(ChainStateRejection.TooLarge, Assert.ThrowsExactly<ChainStateRejectedException>(() => HeartbeatChainVerifier.Deserialize(new byte[HeartbeatChainVerifier.MaxStateLength + 1])).Reason);

        var full = new HeartbeatChainVerifier(HeartbeatChainVerifier.MaxCapacity);
        for (int s = 0; s < 64; s++)
        {
            full.Observe(ulong.MaxValue - 64 + (ulong)s, uint.MaxValue, uint.MaxValue, Filled((byte)s, 32), Filled((byte)(s + 1), 32));
        }

        Assert.IsLessThanOrEqualTo(HeartbeatChainVerifier.MaxStateLength, full.Serialize().Length);
        Assert.AreEqual(64, HeartbeatChainVerifier.Deserialize(full.Serialize()).Count);

        var random = new Random(5);
        byte[] good = Hex(ChainState);
        for (int i = 0; i < 2000; i++)
        {
            byte[] bad = (byte[])good.Clone();
            bad[random.Next(bad.Length)] = (byte)random.Next(256);
            try
            {
                HeartbeatChainVerifier.Deserialize(bad[..random.Next(bad.Length + 1)]);
            }
            catch (ChainStateRejectedException)
            {
            }
        }
    }

    [TestMethod]
    public void Arguments_AreChecked()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HeartbeatChainVerifier(0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => new HeartbeatChainVerifier(65));
        var gateway = new HeartbeatChainVerifier();
        Assert.ThrowsExactly<ArgumentException>(() => gateway.Observe(1, 1, 1, new byte[31], new byte[32]));
        Assert.ThrowsExactly<ArgumentNullException>(() => gateway.Observe(1, 1, 1, new byte[32], null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => gateway.Observe(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => HeartbeatChainVerifier.Deserialize(null!));
    }

    [TestMethod]
    public void SequenceAtTheTopOfItsRange_DoesNotWrap()
    {
        var gateway = new HeartbeatChainVerifier();
        gateway.Observe(ulong.MaxValue - 1, 1, 1, Filled(1, 32), Filled(2, 32));
        Assert.AreEqual(ChainVerdict.InOrder, gateway.Observe(ulong.MaxValue, 1, 2, Filled(2, 32), Filled(3, 32)));
        Assert.AreEqual(ChainVerdict.Stale, gateway.Observe(0, 1, 3, Filled(3, 32), Filled(4, 32)));
        Assert.AreEqual(ChainVerdict.Fork, gateway.Observe(0, 1, 3, new byte[32], Filled(4, 32)));
    }
}

internal static class ChainVerifierTestExtensions
{
    /// <summary>A copy through the persisted form, to try a heartbeat without touching the original.</summary>
    public static HeartbeatChainVerifier Clone_ForTest(this HeartbeatChainVerifier verifier) => HeartbeatChainVerifier.Deserialize(verifier.Serialize());
}
