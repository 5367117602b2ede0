using System;
using System.Diagnostics;
using IoTSec.Protocol.Console;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// The console over a simulated lossy serial line: corrupted, truncated, dropped,
/// duplicated and reordered frames, both ways, from seeded generators.
/// </summary>
[TestClass]
public sealed class LossyLineTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(11)]
    [DataRow(12)]
    [DataRow(13)]
    public void UnderModerateLoss_EveryRequestSucceeds_ThroughRetries(int seed)
    {
        const int Requests = 150;
        var handler = new ProvisioningHandlerStub();
        var line = new LossyLine(handler, LossProfile.Moderate, LossProfile.Moderate, seed);
        var client = line.NewClient((ushort)(seed * 1000), timeoutMs: 100, retries: 10);
        var random = new Random(seed);
        using (line)
        {
            for (int i = 0; i < Requests; i++)
            {
                var payload = new byte[random.Next(0, 300)];
                random.NextBytes(payload);
                CollectionAssert.AreEqual(ProvisioningHandlerStub.Reversed(payload), client.Request((byte)ConsoleCommand.Info, payload), "request " + i);
            }
        }

        TestContext.WriteLine(
            "seed " + seed + ": " + client.Retransmissions + " retransmissions, " + client.FramesRejected + " corrupted and "
            + client.StaleFramesDiscarded + " stale frames at the tool; device executed " + line.Server.RequestsExecuted
            + ", replayed " + line.Server.RequestsReplayed + ", refused " + line.Server.StaleRequestsRefused + " stale");
        Assert.IsGreaterThan(0, client.Retransmissions, "the line must actually have lost something");
        Assert.IsGreaterThan(0, line.ToDevice.Dropped + line.ToTool.Dropped);
        Assert.IsGreaterThan(0, line.ToDevice.Corrupted + line.ToTool.Corrupted);
        Assert.IsGreaterThan(0, line.ToDevice.Truncated + line.ToTool.Truncated);
        Assert.IsGreaterThan(0, line.ToDevice.Duplicated + line.ToTool.Duplicated);
        Assert.IsGreaterThan(0, line.ToDevice.Reordered + line.ToTool.Reordered);
    }

    [TestMethod]
    [DataRow(21)]
    [DataRow(22)]
    public void ACommandWithSideEffects_RunsExactlyOnce_DespiteDuplicatedAndReorderedRequests(int seed)
    {
        const int Commits = 100;
        var heavy = new LossProfile(Drop: 0.1, Corrupt: 0.05, Truncate: 0.02, Duplicate: 0.3, Reorder: 0.3);
        var handler = new ProvisioningHandlerStub();
        var line = new LossyLine(handler, heavy, heavy, seed);
        var client = line.NewClient((ushort)(65500 + seed), timeoutMs: 100, retries: 15);
        using (line)
        {
            for (int i = 1; i <= Commits; i++)
            {
                // Each commit returns the counter it produced: a commit run twice would skip a value.
                var value = BitConverter.ToInt32(client.Request((byte)ConsoleCommand.Commit, []));
                Assert.AreEqual(i, value, "commit " + i);
            }
        }

        Assert.AreEqual(Commits, handler.Commits);
        Assert.AreEqual(Commits, line.Server.RequestsExecuted);
        Assert.IsGreaterThan(0, line.Server.RequestsReplayed, "duplicates reached the device and were answered from the cache");
        TestContext.WriteLine(
            "seed " + seed + ": replayed " + line.Server.RequestsReplayed + ", refused " + line.Server.StaleRequestsRefused
            + " stale, " + client.Retransmissions + " retransmissions, sequence wrapped to " + client.NextSequence);
    }

    [TestMethod]
    public void UnderTotalLoss_TheClientThrowsTimeout_AfterTheConfiguredRetries()
    {
        var handler = new ProvisioningHandlerStub();
        var line = new LossyLine(handler, LossProfile.Total, LossProfile.None, seed: 31);
        var client = line.NewClient(0x0102, timeoutMs: 60, retries: 2);
        var clock = Stopwatch.StartNew();
        ConsoleProtocolException e;
        using (line)
        {
            e = Assert.ThrowsExactly<ConsoleProtocolException>(() => client.Request((byte)ConsoleCommand.Commit, []));
        }

        Assert.AreEqual(ConsoleProtocolError.Timeout, e.Reason);
        Assert.IsTrue(e.IsTransient);
        Assert.AreEqual(
            "no valid response to Commit (0x30) (sequence 258) after 3 attempt(s) of 60 ms: 3 timed out, 0 got a corrupted frame. "
            + "Check that the right port is open, the cable is connected and the device runs its provisioning console.",
            e.Message);
        Assert.AreEqual(2, client.Retransmissions);
        Assert.IsGreaterThanOrEqualTo(3 * 60 - 5, clock.ElapsedMilliseconds, "each attempt waited its timeout");
        Assert.AreEqual(0, handler.Calls);
    }

    [TestMethod]
    public void WhenEveryResponseIsCorrupted_TheClientGivesUp_AndTheCommitStillRanOnce()
    {
        var handler = new ProvisioningHandlerStub();
        var line = new LossyLine(handler, LossProfile.None, new LossProfile(0, Corrupt: 1, 0, 0, 0), seed: 41);
        var client = line.NewClient(7, timeoutMs: 100, retries: 4);
        ConsoleProtocolException e;
        using (line)
        {
            e = Assert.ThrowsExactly<ConsoleProtocolException>(() => client.Request((byte)ConsoleCommand.Commit, []));
        }

        Assert.AreEqual(ConsoleProtocolError.Timeout, e.Reason);
        StringAssert.Contains(e.Message, "after 5 attempt(s)");
        Assert.AreEqual(1, handler.Commits, "retransmissions were answered from the cache");
        Assert.AreEqual(1, line.Server.RequestsExecuted);
        Assert.IsGreaterThan(0, line.Server.RequestsReplayed);
    }
}
