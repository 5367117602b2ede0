using System;
using System.Linq;
using IoTSec.Gateway.Core.Posture;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Posture;

[TestClass]
public sealed class SilenceDetectorTests
{
    private static readonly byte[] Serial = [0x21, 0x22, 0x23, 0x24];

    [TestMethod]
    public void A_silent_device_is_detected_after_two_intervals_plus_grace_and_only_once()
    {
        using var bed = new PostureTestBed(new PostureSettings { SilenceGrace = TimeSpan.FromSeconds(30) });
        var (edge, device) = bed.Enrol("sensor-1", Serial);
        bed.Beat(edge, device.Next());
        var last = bed.Clock.Now;

        // Deadline: 2 × 60 s + 30 s after the last heartbeat.
        bed.Clock.Now = last + TimeSpan.FromSeconds(150);
        Assert.AreEqual(0, bed.Silence.Sweep(bed.Clock.Now), "not yet: exactly at the deadline");
        bed.Clock.Now = last + TimeSpan.FromSeconds(150.001);
        Assert.AreEqual(1, bed.Silence.Sweep(bed.Clock.Now));

        var posture = bed.Store.Find("sensor-1")!;
        Assert.IsTrue(posture.Silent);
        Assert.AreEqual(PostureVerdict.Degraded, posture.Verdict);
        Assert.AreEqual(bed.Clock.Now, posture.VerdictSince);
        var verdict = bed.Verdicts("sensor-1").Last();
        Assert.AreEqual(AlertCodes.DeviceSilent, (string?)verdict.Details["reason"]);
        Assert.AreEqual("2026-11-25T06:02:30.001Z", (string?)verdict.Details["at"]);

        for (var i = 0; i < 5; i++)
        {
            bed.Clock.Advance(TimeSpan.FromSeconds(5));
            Assert.AreEqual(0, bed.Silence.Sweep(bed.Clock.Now));
        }

        Assert.AreEqual(1, bed.Alerts(AlertCodes.DeviceSilent).Count, "one alert, not one per sweep");

        // It beats again: healthy, and a later silence is reported again.
        var outcome = bed.Beat(edge, device.Next());
        Assert.IsTrue(outcome.Accepted);
        posture = bed.Store.Find("sensor-1")!;
        Assert.IsFalse(posture.Silent);
        Assert.AreEqual(PostureVerdict.Healthy, posture.Verdict);
        bed.Clock.Advance(TimeSpan.FromMinutes(3));
        Assert.AreEqual(1, bed.Silence.Sweep(bed.Clock.Now));
        Assert.AreEqual(2, bed.Alerts(AlertCodes.DeviceSilent).Count);
    }

    [TestMethod]
    public void A_device_beating_on_time_is_never_silent()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", Serial);
        for (var i = 0; i < 10; i++)
        {
            bed.Beat(edge, device.Next());
            bed.Clock.Advance(PostureTestBed.Interval);
            Assert.AreEqual(0, bed.Silence.Sweep(bed.Clock.Now));
        }

        Assert.AreEqual(0, bed.Alerts(AlertCodes.DeviceSilent).Count);
    }

    [TestMethod]
    public void A_revoked_device_going_silent_raises_no_alert()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", Serial);
        bed.Beat(edge, device.Next());
        bed.Inventory.Revoke("sensor-1", "stolen", "cli:test");

        bed.Clock.Advance(TimeSpan.FromMinutes(10));
        bed.Silence.Sweep(bed.Clock.Now);

        Assert.AreEqual(0, bed.Alerts(AlertCodes.DeviceSilent).Count);
        Assert.IsTrue(bed.Store.Find("sensor-1")!.Silent, "marked, so it is not looked at again");
    }
}
