using System;
using System.Linq;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Forwarder;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Gateway.Tests.Forwarder.SpoolFixture;

namespace IoTSec.Gateway.Tests.Forwarder;

[TestClass]
public sealed class UpstreamSpoolTests
{
    private string _directory = null!;

    [TestInitialize]
    public void Create() => _directory = TempDirectory.Create("iotsec-spool");

    [TestCleanup]
    public void Remove()
    {
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_directory);
    }

    [TestMethod]
    public void AMessageIsOnDiskWhenEnqueueReturnsAndSurvivesAReopen()
    {
        var clock = new ManualTimeProvider(Start);
        using (var spool = Open(Settings(), clock))
        {
            spool.Enqueue(Telemetry("dev-1", Sample(1), Start));
            spool.Enqueue(Alert("dev-1", "firmware-unknown", Start));
        }

        // Another connection, as after a crash: the rows are committed.
        using (var reopened = Open(Settings(), clock))
        {
            var records = reopened.Peek(10, 1 << 20);
            Assert.HasCount(2, records);
            Assert.AreEqual(SpoolRecordKind.Snapshot, records[0].Kind);
            Assert.AreEqual(SpoolRecordKind.Alert, records[1].Kind);
            CollectionAssert.AreEqual(new long[] { 1, 2 }, records.Select(r => r.Sequence).ToArray());

            // The sequence continues after the reopen; the state too (only the change goes).
            reopened.Enqueue(Telemetry("dev-1", Sample(2), Start.AddSeconds(10)));
            var next = reopened.Peek(10, 1 << 20)[^1];
            Assert.AreEqual(3, next.Sequence);
            Assert.AreEqual(SpoolRecordKind.Delta, next.Kind);
            Assert.AreEqual("""{"counter":2}""", next.Body);
        }
    }

    [TestMethod]
    public void SequencesArePerDeviceAndUnchangedSamplesMakeNoRecord()
    {
        var clock = new ManualTimeProvider(Start);
        using var spool = Open(Settings(), clock);
        spool.Enqueue(Telemetry("a", Sample(1), Start));
        spool.Enqueue(Telemetry("b", Sample(1), Start));
        spool.Enqueue(Telemetry("a", Sample(1), Start.AddSeconds(1)));
        spool.Enqueue(Telemetry("a", Sample(1, 22.0), Start.AddSeconds(2)));

        var records = spool.Peek(100, 1 << 20);

        Assert.AreEqual("a:1:s b:1:s a:2:d", string.Join(' ', records.Select(r => $"{r.DeviceId}:{r.Sequence}:{UpstreamBatch.Letter(r.Kind)}")));
        Assert.AreEqual("""{"temp":22}""", records[2].Body);
        Assert.AreEqual(1, spool.UnchangedSamples);
    }

    [TestMethod]
    public void ASnapshotGoesAgainAfterTheIntervalAndOnRequest()
    {
        var clock = new ManualTimeProvider(Start);
        using var spool = Open(Settings(), clock);
        spool.Enqueue(Telemetry("a", Sample(1), Start));
        spool.Enqueue(Telemetry("a", Sample(2), Start.AddMinutes(30)));
        spool.Enqueue(Telemetry("a", Sample(3), Start.AddMinutes(61)));
        Assert.AreEqual(1, spool.RequestSnapshots(["a", "never-seen"]));

        var records = spool.Peek(100, 1 << 20);

        Assert.AreEqual("s d s s", string.Join(' ', records.Select(r => UpstreamBatch.Letter(r.Kind))));
        Assert.AreEqual(3L, (long)JsonNode.Parse(records[3].Body)!["counter"]!);
        Assert.AreEqual(4, records[3].Sequence);
    }

    [TestMethod]
    public void TelemetryWithInvalidUtf8InAStringIsForwardedOpaqueNotACrash()
    {
        using var spool = Open(Settings(), new ManualTimeProvider(Start));
        byte[] garbled = [.. "{\"name\":\"a"u8, 0xff, 0xfe, .. "\"}"u8];

        spool.Enqueue(new UpstreamMessage("dev-1", UpstreamKind.Telemetry, garbled, Start));

        spool.Enqueue(new UpstreamMessage("dev-2", UpstreamKind.Telemetry, "{\"name\":\"\\udc00\"}"u8.ToArray(), Start));

        var records = spool.Peek(10, 1 << 20);
        Assert.AreEqual(SpoolRecordKind.Opaque, records[0].Kind);
        CollectionAssert.AreEqual(garbled, Convert.FromBase64String((string)JsonNode.Parse(records[0].Body)!));
        Assert.AreEqual(SpoolRecordKind.Opaque, records[1].Kind, "a lone escaped surrogate cannot be decoded either");

        // Found by afl++: a member name twice in one object.
        spool.Enqueue(new UpstreamMessage("dev-3", UpstreamKind.Telemetry, """{"e":{"b":{"c":{"F":null}}},"e":null}"""u8.ToArray(), Start));
        Assert.AreEqual(SpoolRecordKind.Opaque, spool.Peek(10, 1 << 20)[2].Kind, "duplicate member names");
    }

    [TestMethod]
    public void AcknowledgedRecordsLeaveAndOrderIsKept()
    {
        using var spool = Open(Settings(), new ManualTimeProvider(Start));
        for (var i = 0; i < 10; i++)
        {
            spool.Enqueue(Telemetry("a", Sample(i), Start.AddSeconds(i)));
        }

        var first = spool.Peek(4, 1 << 20);
        spool.Acknowledge(first[^1].Id);
        var rest = spool.Peek(100, 1 << 20);

        CollectionAssert.AreEqual(Enumerable.Range(5, 6).Select(i => (long)i).ToArray(), rest.Select(r => r.Sequence).ToArray());
        Assert.AreEqual(6, spool.Backlog);
    }

    [TestMethod]
    public void UnderPressureADevicesPendingDeltasMergeIntoOneThatReproducesTheState()
    {
        using var spool = Open(Settings(), new ManualTimeProvider(Start));
        var inFlight = Telemetry("a", Sample(0), Start);
        spool.Enqueue(inFlight);
        _ = spool.Peek(1, 1 << 20); // handed to the forwarder: not merged
        for (var i = 1; i <= 20; i++)
        {
            spool.Enqueue(Telemetry("a", $$"""{"counter":{{i}},"serial":"SN-0001","temp":{{20 + (i % 3)}},"fw":"1.0.0"}""", Start.AddSeconds(i)));
            spool.Enqueue(Telemetry("b", Sample(i), Start.AddSeconds(i)));
        }

        spool.Enqueue(Alert("a", "x", Start.AddSeconds(30)));
        var removed = spool.Compact();

        var records = spool.Peek(100, 1 << 20);
        Assert.AreEqual(38, removed, "19 of a's 20 pending deltas and 19 of b's 20 records");
        Assert.AreEqual("a:1:s a:21:d b:20:s a:22:a", string.Join(' ', records.Select(r => $"{r.DeviceId}:{r.Sequence}:{UpstreamBatch.Letter(r.Kind)}")));
        Assert.AreEqual(2, records[1].FirstSequence);
        var state = MergePatch.Apply(JsonNode.Parse(records[0].Body), JsonNode.Parse(records[1].Body));
        Assert.IsTrue(JsonNode.DeepEquals(JsonNode.Parse("""{"counter":20,"serial":"SN-0001","temp":22,"fw":"1.0.0"}"""), state), state!.ToJsonString());
    }

    [TestMethod]
    public void AtTheBudgetTelemetryIsRefusedWhileAlertsAndTheSpoolsOwnAlertAreKept()
    {
        var logger = new ListLogger();
        var settings = Settings(maxBytes: 64 * 1024, alertReserve: 8, alertSlotBytes: 1024);
        using var spool = UpstreamSpool.Open(System.IO.Path.Combine(_directory, "spool.db"), settings, logger, new ManualTimeProvider(Start));
        UpstreamSpoolFullException? refused = null;
        for (var i = 0; i < 5000 && refused is null; i++)
        {
            try
            {
                // Opaque telemetry cannot be merged: it fills the budget.
                spool.Enqueue(new UpstreamMessage("dev-" + (i % 50), UpstreamKind.Telemetry, System.Text.Encoding.UTF8.GetBytes("\"" + new string('x', 200) + i + "\""), Start));
            }
            catch (UpstreamSpoolFullException e)
            {
                refused = e;
            }
        }

        Assert.IsNotNull(refused, "telemetry was never refused");
        Assert.AreEqual(SpoolRefusal.BudgetExhausted, refused.Reason);
        StringAssert.Contains(refused.Message, "SpoolMaxBytes");
        // Alerts go on into the reserve: at least AlertReserve of them (each within a slot).
        var kept = 0;
        UpstreamSpoolFullException? alertRefused = null;
        while (alertRefused is null && kept < 10_000)
        {
            try
            {
                spool.Enqueue(Alert("dev-1", "alert-" + kept, Start));
                kept++;
            }
            catch (UpstreamSpoolFullException e)
            {
                alertRefused = e;
            }
        }

        Assert.IsGreaterThanOrEqualTo(settings.AlertReserve, kept);
        Assert.AreEqual(SpoolRefusal.AlertReserveExhausted, alertRefused!.Reason);
        var all = spool.Peek(100_000, int.MaxValue);
        var alerts = all.Where(r => r.Kind == SpoolRecordKind.Alert).ToList();
        Assert.HasCount(kept + 1, alerts, "every accepted alert and the spool's own");
        Assert.AreEqual(UpstreamSpool.SpoolFullAlertCode, (string?)JsonNode.Parse(alerts[0].Body)!["code"]);
        Assert.AreEqual(UpstreamSpool.GatewaySubject, alerts[0].DeviceId);
        StringAssert.Contains(logger.Text, "telemetry and posture for upstream are refused");

        // Upstream drains it: telemetry is accepted again.
        spool.Acknowledge(all[^1].Id);
        spool.Enqueue(Telemetry("dev-1", Sample(1), Start));
        StringAssert.Contains(logger.Text, "has room again");
    }

    [TestMethod]
    public void ConcurrentEnqueuesShareCommitsYetEveryDeviceKeepsAGaplessSequenceAndItsState()
    {
        const int Threads = 8;
        const int PerThread = 200;
        using (var spool = Open(Settings(), TimeProvider.System))
        {
            var workers = Enumerable.Range(0, Threads).Select(t => System.Threading.Tasks.Task.Run(() =>
            {
                for (var n = 0; n < PerThread; n++)
                {
                    // Two devices per thread, interleaved; an alert now and then.
                    var device = $"dev-{t}-{n % 2}";
                    spool.Enqueue(Telemetry(device, Sample(n), Start.AddSeconds(n)));
                    if (n % 50 == 0)
                    {
                        spool.Enqueue(Alert(device, "a" + n, Start.AddSeconds(n)));
                    }
                }
            })).ToArray();
            System.Threading.Tasks.Task.WaitAll(workers, TestContext.CancellationToken);
        }

        using var reopened = Open(Settings(), TimeProvider.System);
        var records = reopened.Peek(1_000_000, int.MaxValue);
        Assert.HasCount(Threads * (PerThread + (PerThread / 50)), records);
        foreach (var device in records.GroupBy(r => r.DeviceId))
        {
            CollectionAssert.AreEqual(Enumerable.Range(1, device.Count()).Select(i => (long)i).ToList(), device.Select(r => r.Sequence).ToList(), device.Key + ": gapless, in spool order");
            JsonNode? state = null;
            foreach (var record in device.Where(r => r.Kind is SpoolRecordKind.Snapshot or SpoolRecordKind.Delta))
            {
                state = MergePatch.Apply(state, JsonNode.Parse(record.Body));
            }

            Assert.AreEqual(PerThread - 2 + (device.Key.EndsWith("-1", StringComparison.Ordinal) ? 1 : 0), (long)state!["counter"]!, device.Key);
        }
    }

    public TestContext TestContext { get; set; } = null!;

    private UpstreamSpool Open(UpstreamSettings settings, TimeProvider clock) =>
        UpstreamSpool.Open(System.IO.Path.Combine(_directory, "spool.db"), settings, new ListLogger(), clock);
}
