using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Audit;

[TestClass]
public sealed class AuditLogTests
{
    private TemporaryDataDirectory _dir = null!;
    private AuditLog _log = null!;

    [TestInitialize]
    public void Open()
    {
        _dir = new TemporaryDataDirectory();
        _log = AuditLog.Open(_dir.Data);
    }

    [TestCleanup]
    public void Close()
    {
        _log.Dispose();
        _dir.Dispose();
    }

    [TestMethod]
    public void An_empty_log_verifies()
    {
        var result = _log.Verify();
        Assert.IsTrue(result.IsIntact);
        Assert.AreEqual(0, result.EntryCount);
        Assert.AreEqual(new string('0', 64), result.HeadHex);
    }

    [TestMethod]
    public void Many_appends_form_an_intact_chain()
    {
        AuditEntry last = null!;
        for (var i = 0; i < 500; i++)
        {
            last = _log.Append(AuditEventKind.Enrolment, "est", "dev-" + i, new JsonObject { ["serial"] = i.ToString("X4", System.Globalization.CultureInfo.InvariantCulture) });
        }

        var result = _log.Verify();

        Assert.IsTrue(result.IsIntact, result.FirstProblem?.Detail);
        Assert.AreEqual(500, result.EntryCount);
        Assert.AreEqual(last.DigestHex, result.HeadHex);
        var entries = _log.List();
        CollectionAssert.AreEqual(Enumerable.Range(1, 500).Select(i => (long)i).ToArray(), entries.Select(e => e.Sequence).ToArray());
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.IsTrue(entries[i].PreviousDigest.Span.SequenceEqual(entries[i - 1].Digest.Span));
        }
    }

    [TestMethod]
    public void Entry_fields_are_stored_as_given()
    {
        var entry = _log.Append(AuditEventKind.Revocation, "cli:alice", "pump-1", new JsonObject { ["reason"] = "stolen" });

        var stored = _log.List().Single();

        Assert.AreEqual(entry, stored with { PreviousDigest = entry.PreviousDigest, Digest = entry.Digest });
        Assert.AreEqual("Revocation", stored.Kind);
        Assert.AreEqual("cli:alice", stored.Actor);
        Assert.AreEqual("pump-1", stored.Subject);
        Assert.AreEqual("{\"reason\":\"stolen\"}", stored.Details);
        Assert.IsTrue(stored.PreviousDigest.Span.SequenceEqual(new byte[32]));
        Assert.IsTrue(stored.Digest.Span.SequenceEqual(entry.Digest.Span));
        Assert.IsTrue((DateTimeOffset.UtcNow - stored.Time).Duration() < TimeSpan.FromMinutes(1));
    }

    [TestMethod]
    public void List_filters_by_time_and_kind()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _log.Dispose();
        _log = AuditLog.Open(_dir.Data, clock);
        _log.Append(AuditEventKind.DeviceImport, "cli:a", "batch.csv");
        clock.Now = clock.Now.AddDays(1);
        _log.Append(AuditEventKind.Revocation, "cli:a", "pump-1");
        clock.Now = clock.Now.AddDays(1);
        _log.Append(AuditEventKind.Revocation, "cli:a", "pump-2");

        Assert.AreEqual(2, _log.List(kind: "revocation").Count);
        Assert.AreEqual(2, _log.List(since: new DateTimeOffset(2026, 1, 2, 0, 0, 0, TimeSpan.Zero)).Count);
        Assert.AreEqual("pump-2", _log.List(since: new DateTimeOffset(2026, 1, 2, 12, 0, 0, TimeSpan.Zero), kind: "Revocation").Single().Subject);
        Assert.AreEqual(1, _log.List(limit: 1).Count);
    }

    [TestMethod]
    public void Details_that_look_like_secrets_are_refused()
    {
        Assert.ThrowsExactly<ArgumentException>(() => _log.Append(AuditEventKind.KeyCreated, "system", "DeviceCa", new JsonObject { ["privateKey"] = "MIIE" }));
        Assert.ThrowsExactly<ArgumentException>(() => _log.Append(AuditEventKind.Backup, "system", "backup", new JsonObject { ["outer"] = new JsonObject { ["pass_word"] = "x" } }));
        Assert.ThrowsExactly<ArgumentException>(() => _log.Append(AuditEventKind.Backup, "system", "backup", new JsonObject { ["list"] = new JsonArray(new JsonObject { ["Secret"] = 1 }) }));
        Assert.ThrowsExactly<ArgumentException>(() => _log.Append(AuditEventKind.Tamper, "system\nforged line", "gateway"));
        Assert.ThrowsExactly<ArgumentException>(() => _log.Append(AuditEventKind.Tamper, "system", string.Empty));
        _log.Append(AuditEventKind.KeyCreated, "system", "DeviceCa", new JsonObject { ["keyRole"] = "DeviceCa", ["handle"] = "0x81000002" });
        Assert.AreEqual(1, _log.Verify().EntryCount);
    }

    [TestMethod]
    public void Sql_edits_through_the_normal_path_are_refused_by_triggers()
    {
        _log.Append(AuditEventKind.Tamper, "system", "gateway");
        using var raw = Core.Storage.SqliteDatabase.OpenConnection(_dir.Data.AuditDatabase, readOnly: false);
        using var command = raw.CreateCommand();
        command.CommandText = "DELETE FROM audit_entries;";
        var error = Assert.ThrowsExactly<Microsoft.Data.Sqlite.SqliteException>(() => command.ExecuteNonQuery());
        StringAssert.Contains(error.Message, "append-only");
    }

    [TestMethod]
    public void Eight_threads_appending_at_once_keep_the_chain_intact()
    {
        const int threads = 8, each = 25;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            for (var i = 0; i < each; i++)
            {
                _log.Append(AuditEventKind.Enrolment, "est-" + t, $"dev-{t}-{i}");
            }
        });

        var result = _log.Verify();
        Assert.IsTrue(result.IsIntact, result.FirstProblem?.Detail);
        Assert.AreEqual(threads * each, result.EntryCount);
        Assert.AreEqual(threads * each, _log.List().Select(e => e.Subject).Distinct().Count());
    }

    [TestMethod]
    public void Two_processes_appending_to_the_same_files_keep_the_chain_intact()
    {
        // A second AuditLog on the same files stands for the CLI's process beside the daemon:
        // only SQLite's write lock serializes them.
        using var other = AuditLog.Open(_dir.Data);
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, t =>
        {
            var log = t % 2 == 0 ? _log : other;
            for (var i = 0; i < 15; i++)
            {
                log.Append(AuditEventKind.PolicyChange, "p" + t, "policy-" + i);
            }
        });

        var result = _log.Verify();
        Assert.IsTrue(result.IsIntact, result.FirstProblem?.Detail);
        Assert.AreEqual(120, result.EntryCount);
        Assert.IsTrue(other.Verify().IsIntact);
        Assert.AreEqual(0, _log.AnchorConfirmationFailures + other.AnchorConfirmationFailures);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
