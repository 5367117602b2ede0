using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Audit;

/// <summary>Whatever single thing an attacker changes in audit.db, Verify names that entry.</summary>
[TestClass]
public sealed class AuditTamperTests
{
    private const int Entries = 6;

    private TemporaryDataDirectory _dir = null!;
    private AuditLog _log = null!;

    [TestInitialize]
    public void Open()
    {
        _dir = new TemporaryDataDirectory();
        _log = AuditLog.Open(_dir.Data);
        var kinds = new[] { AuditEventKind.DeviceImport, AuditEventKind.Enrolment, AuditEventKind.Revocation, AuditEventKind.Quarantine, AuditEventKind.OtaApproval, AuditEventKind.Decommission };
        for (var i = 0; i < Entries; i++)
        {
            _log.Append(kinds[i], "cli:op" + i, "pump-" + i, new JsonObject { ["n"] = i, ["note"] = "entry " + i });
        }

        Assert.IsTrue(_log.Verify().IsIntact);
    }

    [TestCleanup]
    public void Close()
    {
        _log.Dispose();
        _dir.Dispose();
    }

    /// <summary>Each column with a change to it and the problem it must cause.</summary>
    private static readonly (string Column, Func<object, object> Change, AuditProblemKind Expected)[] FieldEdits =
    [
        ("time_us", v => (long)v + 1, AuditProblemKind.DigestMismatch),
        ("kind", v => v is "Tamper" ? "Enrolment" : "Tamper", AuditProblemKind.DigestMismatch),
        ("actor", v => (string)v + "x", AuditProblemKind.DigestMismatch),
        ("subject", v => "pump-99", AuditProblemKind.DigestMismatch),
        ("details", v => ((string)v).Replace("entry", "ENTRY", StringComparison.Ordinal), AuditProblemKind.DigestMismatch),
        ("previous_digest", v => Flip((byte[])v), AuditProblemKind.BrokenLink),
        ("digest", v => Flip((byte[])v), AuditProblemKind.DigestMismatch),
    ];

    public static IEnumerable<object[]> EveryEntryAndField()
    {
        for (var sequence = 1; sequence <= Entries; sequence++)
        {
            for (var field = 0; field < FieldEdits.Length; field++)
            {
                yield return [sequence, FieldEdits[field].Column];
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(EveryEntryAndField))]
    public void Editing_any_field_of_any_entry_is_found_at_that_entry(int sequence, string column)
    {
        var edit = Array.Find(FieldEdits, e => e.Column == column);
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Write(sequence, column, edit.Change(editor.Read(sequence, column)));
        }

        var problem = _log.Verify().FirstProblem;

        Assert.IsNotNull(problem, $"editing {column} of #{sequence} went unnoticed");
        Assert.AreEqual(sequence, problem.Sequence, problem.Detail);
        Assert.AreEqual(edit.Expected, problem.Kind, problem.Detail);
    }

    [TestMethod]
    public void Renumbering_any_entry_is_found_at_that_entry()
    {
        for (var sequence = 1; sequence <= Entries; sequence++)
        {
            using var editor = new AuditFileEditor(_dir.Data.AuditDatabase);
            editor.Execute("UPDATE audit_entries SET sequence = sequence + 1000 WHERE sequence = $s;", ("$s", sequence));

            var problem = _log.Verify().FirstProblem;

            Assert.IsNotNull(problem);
            Assert.AreEqual(sequence, problem.Sequence, problem.Detail);
            Assert.AreEqual(AuditProblemKind.SequenceGap, problem.Kind);
            editor.Execute("UPDATE audit_entries SET sequence = $s WHERE sequence = $s + 1000;", ("$s", sequence));
            Assert.IsTrue(_log.Verify().IsIntact, "restored");
        }
    }

    [TestMethod]
    public void A_wrongly_typed_column_is_found_at_that_entry()
    {
        // STRICT tables refuse this through SQL; an attacker editing the file's pages is not
        // bound by that, so rebuild the table without STRICT to stand for one.
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("""
                CREATE TABLE loose AS SELECT * FROM audit_entries;
                DROP TABLE audit_entries;
                CREATE TABLE audit_entries (sequence INTEGER PRIMARY KEY, time_us, kind, actor, subject, details, previous_digest, digest);
                INSERT INTO audit_entries SELECT * FROM loose;
                DROP TABLE loose;
                UPDATE audit_entries SET time_us = 'yesterday' WHERE sequence = 4;
                """);
        }

        var problem = _log.Verify().FirstProblem;
        Assert.AreEqual(4L, problem?.Sequence);
        Assert.AreEqual(AuditProblemKind.MalformedEntry, problem?.Kind);
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(3)]
    [DataRow(5)]
    public void Deleting_an_entry_is_found_where_it_was(int sequence)
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("DELETE FROM audit_entries WHERE sequence = $s;", ("$s", sequence));
        }

        var problem = _log.Verify().FirstProblem;

        Assert.AreEqual(sequence, problem?.Sequence);
        Assert.AreEqual(AuditProblemKind.SequenceGap, problem?.Kind);
    }

    [TestMethod]
    public void Cutting_off_the_tail_is_found_through_the_anchor()
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("DELETE FROM audit_entries WHERE sequence > 4;");
        }

        var result = _log.Verify();

        Assert.AreEqual(5L, result.FirstProblem?.Sequence);
        Assert.AreEqual(AuditProblemKind.TailTruncated, result.FirstProblem?.Kind);
        Assert.AreEqual(4, result.EntryCount);
    }

    [TestMethod]
    public void Deleting_only_the_last_entry_is_found_through_the_anchor()
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("DELETE FROM audit_entries WHERE sequence = $s;", ("$s", Entries));
        }

        var problem = _log.Verify().FirstProblem;

        Assert.AreEqual((long)Entries, problem?.Sequence);
        Assert.AreEqual(AuditProblemKind.TailTruncated, problem?.Kind);
    }

    [TestMethod]
    public void Emptying_the_log_is_found_through_the_anchor()
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("DELETE FROM audit_entries;");
        }

        Assert.AreEqual(AuditProblemKind.TailTruncated, _log.Verify().FirstProblem?.Kind);
        Assert.AreEqual(1L, _log.Verify().FirstProblem?.Sequence);
    }

    [TestMethod]
    public void Rewriting_the_chain_consistently_is_found_through_the_anchor()
    {
        // Delete entry 3 and rebuild a perfect chain 1..5 over what is left.
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("DELETE FROM audit_entries WHERE sequence = 3;");
            RebuildChain(editor);
        }

        var shorter = _log.Verify().FirstProblem;
        Assert.AreEqual(AuditProblemKind.TailTruncated, shorter?.Kind);
        Assert.AreEqual(6L, shorter?.Sequence);

        // Same length, one entry's text changed and every digest recomputed.
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("INSERT INTO audit_entries VALUES (6, 0, 'Tamper', 'x', 'y', '{}', zeroblob(32), zeroblob(32));");
            editor.Execute("UPDATE audit_entries SET details = '{\"n\":2,\"note\":\"innocent\"}' WHERE sequence = 2;");
            RebuildChain(editor);
        }

        var rewritten = _log.Verify().FirstProblem;
        Assert.AreEqual(AuditProblemKind.AnchorMismatch, rewritten?.Kind);
        Assert.AreEqual((long)Entries, rewritten?.Sequence);
    }

    [TestMethod]
    public void Rewriting_log_and_anchor_together_is_not_detectable_locally()
    {
        // The documented limit: whoever can write both files can forge a consistent history.
        // Only a head exported elsewhere (the forwarder's job) catches this.
        var exportedHead = _log.Verify().HeadHex;
        byte[] forgedHead;
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Execute("UPDATE audit_entries SET subject = 'someone-else' WHERE sequence = 3;");
            forgedHead = RebuildChain(editor);
        }

        using (var anchor = new SqliteConnection($"Data Source={_dir.Data.AuditAnchorDatabase};Pooling=False"))
        {
            anchor.Open();
            using var command = anchor.CreateCommand();
            command.CommandText = "UPDATE anchor SET previous_count = next_count, previous_head = $h, next_head = $h;";
            command.Parameters.AddWithValue("$h", forgedHead);
            command.ExecuteNonQuery();
        }

        var result = _log.Verify();
        Assert.IsTrue(result.IsIntact, "locally consistent");
        Assert.AreNotEqual(exportedHead, result.HeadHex, "but the head no longer matches the exported one");
    }

    [TestMethod]
    public void Entries_appended_outside_the_gateway_are_found()
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            var previous = (byte[])editor.Read(Entries, "digest");
            var digest = AuditDigest.Compute(Entries + 1, 0, "PolicyChange", "intruder", "allowlist", "{}", previous);
            editor.Execute("INSERT INTO audit_entries VALUES ($s, 0, 'PolicyChange', 'intruder', 'allowlist', '{}', $p, $d);", ("$s", Entries + 1), ("$p", previous), ("$d", digest));
        }

        var problem = _log.Verify().FirstProblem;
        Assert.AreEqual(AuditProblemKind.UnanchoredEntries, problem?.Kind);
        Assert.AreEqual(Entries + 1L, problem?.Sequence);
    }

    [TestMethod]
    public void A_crash_between_the_anchor_write_and_the_commit_is_not_mistaken_for_tampering()
    {
        // The writer recorded the write of entry 7 in the anchor, then died before its commit.
        using (var anchor = new SqliteConnection($"Data Source={_dir.Data.AuditAnchorDatabase};Pooling=False"))
        {
            anchor.Open();
            using var command = anchor.CreateCommand();
            command.CommandText = "UPDATE anchor SET previous_count = next_count, previous_head = next_head, next_count = 7, next_head = randomblob(32);";
            command.ExecuteNonQuery();
        }

        Assert.IsTrue(_log.Verify().IsIntact);
    }

    [TestMethod]
    public void A_write_recorded_in_the_anchor_and_committed_verifies_and_the_log_goes_on()
    {
        // Entry 7 recorded in the anchor and committed: the anchor's "next" is the log.
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            var previous = (byte[])editor.Read(Entries, "digest");
            var digest = AuditDigest.Compute(Entries + 1, 0, "Tamper", "system", "gateway", "{}", previous);
            editor.Execute("INSERT INTO audit_entries VALUES ($s, 0, 'Tamper', 'system', 'gateway', '{}', $p, $d);", ("$s", Entries + 1), ("$p", previous), ("$d", digest));
            using var anchor = new SqliteConnection($"Data Source={_dir.Data.AuditAnchorDatabase};Pooling=False");
            anchor.Open();
            using var command = anchor.CreateCommand();
            command.CommandText = "UPDATE anchor SET previous_count = next_count, previous_head = next_head, next_count = $c, next_head = $h;";
            command.Parameters.AddWithValue("$c", Entries + 1);
            command.Parameters.AddWithValue("$h", digest);
            command.ExecuteNonQuery();
        }

        Assert.IsTrue(_log.Verify().IsIntact);
        var next = _log.Append(AuditEventKind.Rearm, "cli:op", "gateway");
        Assert.AreEqual(Entries + 2L, next.Sequence);
        Assert.IsTrue(_log.Verify().IsIntact);
    }

    [TestMethod]
    public void A_lost_anchor_is_reported_until_an_operator_reanchors()
    {
        _log.Dispose();
        DeleteAnchor();
        _log = AuditLog.Open(_dir.Data);

        var problem = _log.Verify().FirstProblem;
        Assert.AreEqual(AuditProblemKind.AnchorLost, problem?.Kind);

        _log.Append(AuditEventKind.Tamper, "system", "gateway");
        Assert.AreEqual(AuditProblemKind.AnchorLost, _log.Verify().FirstProblem?.Kind, "later appends do not clear it");

        var reset = _log.Reanchor("cli:op");
        Assert.AreEqual("AnchorReset", reset.Kind);
        Assert.IsTrue(_log.Verify().IsIntact);
    }

    [TestMethod]
    public void Reanchoring_over_a_broken_chain_is_refused()
    {
        using (var editor = new AuditFileEditor(_dir.Data.AuditDatabase))
        {
            editor.Write(2, "actor", "someone");
        }

        Assert.ThrowsExactly<AuditLogException>(() => _log.Reanchor("cli:op"));
    }

    private void DeleteAnchor()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_dir.Data.AuditAnchorDatabase + suffix);
        }
    }

    private static byte[] RebuildChain(AuditFileEditor editor)
    {
        var previous = new byte[AuditDigest.Length];
        long sequence = 0;
        foreach (var row in editor.Rows())
        {
            sequence++;
            var digest = AuditDigest.Compute(sequence, row.Time, row.Kind, row.Actor, row.Subject, row.Details, previous);
            editor.Execute(
                "UPDATE audit_entries SET sequence = $n, previous_digest = $p, digest = $d WHERE sequence = $s;",
                ("$n", sequence), ("$p", previous), ("$d", digest), ("$s", row.Sequence));
            previous = digest;
        }

        return previous;
    }

    private static byte[] Flip(byte[] value)
    {
        var copy = (byte[])value.Clone();
        copy[0] ^= 0x01;
        return copy;
    }
}
