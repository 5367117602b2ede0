using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Posture;
using IoTSec.Gateway.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Posture;

[TestClass]
public sealed class PostureSweepTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task The_background_sweep_reports_a_silent_device_without_being_asked()
    {
        using var bed = new PostureTestBed();
        var (edge, device) = bed.Enrol("sensor-1", [0x41, 0x42]);
        bed.Beat(edge, device.Next());
        bed.Clock.Advance(TimeSpan.FromMinutes(5));

        // The sweep's period is real time (1 s); the gateway clock it judges by is the test's.
        var settings = new PostureSettings { SweepInterval = TimeSpan.FromSeconds(1) }.Validated();
        var clock = new SweepClock(bed.Clock);
        using var sweepWithTestClock = new PostureSweep(bed.Silence, settings, clock, NullLogger<PostureSweep>.Instance);
        await sweepWithTestClock.StartAsync(TestContext.CancellationToken);
        try
        {
            var waited = Stopwatch.StartNew();
            while (bed.Alerts(AlertCodes.DeviceSilent).Count == 0)
            {
                Assert.IsLessThan(10, waited.Elapsed.TotalSeconds, "the sweep did not report the silent device within 10 s");
                await Task.Delay(50, TestContext.CancellationToken);
            }
        }
        finally
        {
            await sweepWithTestClock.StopAsync(CancellationToken.None);
        }

        Assert.IsTrue(bed.Store.Find("sensor-1")!.Silent);
    }

    /// <summary>Real timers (the sweep's period), the test's time of day (what it judges).</summary>
    private sealed class SweepClock(ManualClock now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.GetUtcNow();
    }
}
