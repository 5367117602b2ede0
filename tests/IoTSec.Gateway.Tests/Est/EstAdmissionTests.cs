using System;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>The signing queue and the per-device guard on their own, where timing can be held still.</summary>
[TestClass]
public sealed class EstAdmissionTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task QueueHoldsUpToItsLimitThenAnswersBusyWithRetryAfter()
    {
        using var queue = new EnrolmentQueue(signingSlots: 1, queueLimit: 1, timeout: TimeSpan.FromSeconds(30), retryAfter: TimeSpan.FromSeconds(5));
        var signing = await queue.EnterAsync("dev-a", TestContext.CancellationToken);
        var waiting = queue.EnterAsync("dev-b", TestContext.CancellationToken);
        Assert.IsFalse(waiting.IsCompleted, "the second enrolment waits for the slot");

        var full = await Assert.ThrowsExactlyAsync<EstRefusedException>(() => queue.EnterAsync("dev-c", TestContext.CancellationToken));
        Assert.AreEqual(EstRefusal.Busy, full.Reason);
        Assert.AreEqual(503, full.StatusCode);
        Assert.AreEqual(TimeSpan.FromSeconds(5), full.RetryAfter);

        signing.Dispose();
        using (await waiting)
        {
            Assert.AreEqual(1, queue.Admitted);
        }

        Assert.AreEqual(0, queue.Admitted);
        Assert.AreEqual(2L, queue.HighWater);
    }

    [TestMethod]
    public async Task WaitingLongerThanTheTimeoutAnswersBusy()
    {
        using var queue = new EnrolmentQueue(signingSlots: 1, queueLimit: 10, timeout: TimeSpan.FromMilliseconds(200), retryAfter: TimeSpan.FromSeconds(5));
        using var signing = await queue.EnterAsync("dev-a", TestContext.CancellationToken);

        var refusal = await Assert.ThrowsExactlyAsync<EstRefusedException>(() => queue.EnterAsync("dev-b", TestContext.CancellationToken));

        Assert.AreEqual(EstRefusal.Busy, refusal.Reason);
        Assert.AreEqual(1, queue.Admitted, "the timed-out request left the queue");
    }

    [TestMethod]
    public void GuardAdmitsOneEnrolmentPerDeviceAtATimeAndOnePerInterval()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var guard = new EnrolmentGuard(TimeSpan.FromSeconds(10), time);
        using (var first = guard.Begin("dev-a"))
        {
            Assert.AreEqual(EstRefusal.EnrolmentInProgress, Assert.ThrowsExactly<EstRefusedException>(() => guard.Begin("dev-a")).Reason);
            guard.Begin("dev-b").Dispose();
            first.Succeeded();
        }

        time.Advance(TimeSpan.FromSeconds(4));
        var limited = Assert.ThrowsExactly<EstRefusedException>(() => guard.Begin("dev-a"));
        Assert.AreEqual(EstRefusal.RateLimited, limited.Reason);
        Assert.AreEqual(TimeSpan.FromSeconds(6), limited.RetryAfter);
        Assert.AreEqual(0, guard.InFlight, "a refused request holds no place");

        // A failed enrolment (no Succeeded) does not start the interval.
        using (guard.Begin("dev-b"))
        {
        }

        guard.Begin("dev-b").Dispose();
        time.Advance(TimeSpan.FromSeconds(6));
        guard.Begin("dev-a").Dispose();
    }

    [TestMethod]
    public void Base64BodiesAreReadWithLineBreaksAndWrittenInCrlfLinesOf76()
    {
        var data = new byte[200];
        Random.Shared.NextBytes(data);
        var encoded = System.Text.Encoding.ASCII.GetString(Base64Body.Encode(data));
        var lines = encoded.Split("\r\n");
        Assert.AreEqual(string.Empty, lines[^1], "every line ends in CRLF");
        Assert.IsTrue(Array.TrueForAll(lines[..^2], line => line.Length == Base64Body.LineLength));
        CollectionAssert.AreEqual(data, Base64Body.TryDecode(System.Text.Encoding.ASCII.GetBytes(encoded)));
        CollectionAssert.AreEqual(data, Base64Body.TryDecode(System.Text.Encoding.ASCII.GetBytes(Convert.ToBase64String(data).Insert(8, " \n\t"))));
        Assert.IsNull(Base64Body.TryDecode("abc"u8));
        Assert.IsNull(Base64Body.TryDecode("ab!d"u8));
        Assert.IsNull(Base64Body.TryDecode(" \r\n"u8));
    }
}
