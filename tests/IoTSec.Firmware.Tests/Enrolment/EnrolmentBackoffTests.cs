using System;
using System.Linq;
using IoTSec.Firmware.Enrolment;
using IoTSec.Firmware.Host.Platform;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Enrolment;

[TestClass]
public sealed class EnrolmentBackoffTests
{
    private readonly EnrolmentBackoff _backoff = new(new DesktopPlatform([1]), EnrolmentBackoff.DefaultBaseDelayMs, EnrolmentBackoff.DefaultMaxDelayMs);

    [TestMethod]
    public void EachWaitLiesInTheUpperHalfOfAnExponentiallyGrowingCappedWindow()
    {
        for (int failures = 1; failures <= 30; failures++)
        {
            long window = Math.Min(EnrolmentBackoff.DefaultMaxDelayMs, (long)EnrolmentBackoff.DefaultBaseDelayMs << Math.Min(failures - 1, 40));
            Assert.AreEqual(window, _backoff.WindowMs(failures));
            var delays = Enumerable.Range(0, 500).Select(_ => _backoff.NextDelayMs(failures, -1)).ToArray();
            Assert.IsTrue(delays.All(d => d >= window / 2 && d <= window), $"failure {failures}: a wait outside [{window / 2}, {window}]");

            // Jitter: devices that failed together do not come back together.
            Assert.IsTrue(delays.Distinct().Count() > 300, $"failure {failures}: too few distinct waits");
            Assert.IsTrue(delays.Min() < window * 0.6 && delays.Max() > window * 0.9, $"failure {failures}: the waits do not spread over the window");
        }

        Assert.AreEqual(EnrolmentBackoff.DefaultMaxDelayMs, _backoff.WindowMs(int.MaxValue), "capped at one hour");
    }

    [TestMethod]
    public void RetryAfterIsAFloorWithJitterOnTop()
    {
        foreach (int retryAfter in new[] { 0, 1, 5, 60, 300 })
        {
            var delays = Enumerable.Range(0, 500).Select(_ => _backoff.NextDelayMs(1, retryAfter)).ToArray();
            int floor = retryAfter * 1000;
            int spread = Math.Max(1000, floor / 4);
            Assert.IsTrue(delays.All(d => d >= Math.Max(floor, 1000) && d <= Math.Max(floor + spread, 2000)), $"Retry-After {retryAfter}: a wait outside its bounds");
            Assert.IsTrue(delays.Distinct().Count() > 100, $"Retry-After {retryAfter}: no jitter");
        }

        // A huge Retry-After is honoured only up to an hour (a hostile gateway cannot park a device forever).
        Assert.IsTrue(_backoff.NextDelayMs(1, int.MaxValue) <= (EnrolmentBackoff.MaxRetryAfterSeconds * 1000) + (EnrolmentBackoff.MaxRetryAfterSeconds * 250));
    }

    [TestMethod]
    public void BadArgumentsAreRefused()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => _backoff.NextDelayMs(0, -1));
        Assert.ThrowsExactly<ArgumentException>(() => new EnrolmentBackoff(new DesktopPlatform([1]), 1000, 10));
    }
}
