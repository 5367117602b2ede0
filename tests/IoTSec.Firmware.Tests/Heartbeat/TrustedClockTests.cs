using IoTSec.Firmware.Commands;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Time;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Heartbeat;

[TestClass]
public sealed class TrustedClockTests
{
    [TestMethod]
    public void NoTimeUntilAnAcknowledgementThenGatewayTimePlusHalfTheRoundTrip()
    {
        var clock = new SimulatedClock(10_000);
        var trusted = new TrustedClock(clock);
        Assert.IsFalse(trusted.IsSynchronised);
        Assert.AreEqual(TrustedClock.NoTrustedTime, trusted.UnixSeconds);

        Assert.IsTrue(trusted.Synchronise(1_767_225_600_000, sentAtMs: 9_000, receivedAtMs: 10_000));
        Assert.AreEqual(1_767_225_600_500, trusted.UnixMilliseconds);
        clock.Advance(61_000);
        Assert.AreEqual(1_767_225_661_500, trusted.UnixMilliseconds);
        Assert.AreEqual(1_767_225_661, trusted.UnixSeconds);
    }

    [TestMethod]
    public void ARoundTripOfThirtySecondsOrMoreOrBackwardsLeavesTheClockAlone()
    {
        var clock = new SimulatedClock(100_000);
        var trusted = new TrustedClock(clock);
        Assert.IsFalse(trusted.Synchronise(1_767_225_600_000, 70_000, 100_000));
        Assert.IsFalse(trusted.Synchronise(1_767_225_600_000, 100_001, 100_000));
        Assert.IsFalse(trusted.Synchronise(ulong.MaxValue, 99_000, 100_000));
        Assert.IsFalse(trusted.IsSynchronised);
        Assert.IsTrue(trusted.Synchronise(1_767_225_600_000, 70_001, 100_000));
    }

    [TestMethod]
    public void TheInboxHoldsABoundedNumberOfBoundedMessages()
    {
        var inbox = new DownlinkInbox(2);
        inbox.OnMessage("a", new byte[DownlinkInbox.MaxPayloadLength + 1]);
        inbox.OnMessage("b", [1]);
        inbox.OnMessage("c", [2]);
        inbox.OnMessage("d", [3]);
        Assert.AreEqual(2, inbox.Count);
        Assert.AreEqual(2, inbox.Dropped, "one too large, one beyond the capacity");
        Assert.IsTrue(inbox.TryTake(out var topic, out _));
        Assert.AreEqual("b", topic);
        Assert.IsTrue(inbox.WaitForMessage(0));
        Assert.IsTrue(inbox.TryTake(out topic, out _));
        Assert.AreEqual("c", topic);
        Assert.IsFalse(inbox.TryTake(out _, out _));

        inbox.OnConnectionLost("broker went away");
        Assert.IsTrue(inbox.ConnectionLost);
        Assert.IsFalse(inbox.WaitForMessage(5_000), "a lost connection ends the wait at once");
    }
}
