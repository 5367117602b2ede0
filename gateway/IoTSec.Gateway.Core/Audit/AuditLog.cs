using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// The gateway's append-only, hash-chained audit log (audit.db), with its anchor in a
/// separate file (audit-anchor.db). Each entry carries the digest of the one before it, so
/// editing, deleting or reordering any entry breaks the chain at that entry; the anchor
/// (count and head) catches a cut-off tail, which a chain alone cannot show.
/// </summary>
/// <remarks>
/// Appends are serialized: in this process by a lock, across processes (the daemon and an
/// administration verb) by SQLite's write lock taken at the start of the transaction, so
/// the sequence and the previous digest are read and the entry written as one step. An
/// append returns only after its transaction is committed with a full sync. Appends that
/// arrive while a write is in progress are committed together in the next transaction
/// (group commit), so concurrent writers share the cost of the syncs.
/// What this does not stop: whoever can write the files can rewrite the whole log and the
/// anchor consistently. Only a copy of the head kept elsewhere (exported upstream by the
/// forwarder) closes that; see docs/adr/0007-inventory-and-audit.md.
/// </remarks>
public sealed class AuditLog : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly AuditAnchor _anchor;
    private readonly Lock _writer = new();
    private readonly Lock _queueGate = new();
    private readonly TimeProvider _time;
    private List<PendingAppend> _queue = [];
    private long _anchorConfirmationFailures;
    private bool _disposed;

    private AuditLog(string databasePath, SqliteConnection connection, AuditAnchor anchor, TimeProvider time)
    {
        DatabasePath = databasePath;
        _connection = connection;
        _anchor = anchor;
        _time = time;
    }

    /// <summary>The log's database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// How many post-commit anchor confirmations failed; expected 0. A failure leaves the log
    /// verifiable but delays the detection of a deleted last batch until the next write.
    /// </summary>
    public long AnchorConfirmationFailures => Interlocked.Read(ref _anchorConfirmationFailures);

    /// <summary>Opens the log and its anchor in <paramref name="dataDirectory"/>.</summary>
    public static AuditLog Open(GatewayDataDirectory dataDirectory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return Open(dataDirectory.AuditDatabase, dataDirectory.AuditAnchorDatabase, timeProvider);
    }

    /// <summary>Opens (creating when missing) the log at <paramref name="databasePath"/> with its anchor at <paramref name="anchorPath"/>.</summary>
    /// <exception cref="AuditLogException">A file is not an audit log, or is newer than this gateway.</exception>
    public static AuditLog Open(string databasePath, string anchorPath, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentException.ThrowIfNullOrWhiteSpace(anchorPath);
        var time = timeProvider ?? TimeProvider.System;
        SqliteConnection? connection = null;
        AuditAnchor? anchor = null;
        try
        {
            connection = SqliteDatabase.Open(databasePath, AuditSchema.LogName, AuditSchema.LogMigrations);
            anchor = AuditAnchor.Open(anchorPath);
            if (anchor.Created)
            {
                // A new anchor for a log that already has entries cannot vouch for them: say so
                // until an operator re-anchors, instead of silently trusting the present tail.
                var count = Convert.ToInt64(SqliteDatabase.Scalar(connection, "SELECT count(*) FROM audit_entries;"), CultureInfo.InvariantCulture);
                if (count > 0)
                {
                    anchor.MarkLost(count, ToMicroseconds(time.GetUtcNow()));
                }
            }

            return new AuditLog(databasePath, connection, anchor, time);
        }
        catch (DatabaseSchemaException e)
        {
            anchor?.Dispose();
            connection?.Dispose();
            throw new AuditLogException(e.Message, e);
        }
        catch
        {
            anchor?.Dispose();
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends an entry and returns it once it is durable.
    /// </summary>
    /// <param name="kind">What happened.</param>
    /// <param name="actor">Who did it ("cli:alice", "est", "broker", "system").</param>
    /// <param name="subject">What it was done to (device id, policy name, key role).</param>
    /// <param name="details">Particulars as a JSON object; never secrets (names such as "secret", "password", "token", "privateKey" are refused).</param>
    /// <exception cref="ArgumentException">An empty or over-long actor or subject, or details that look like secrets.</exception>
    public AuditEntry Append(AuditEventKind kind, string actor, string subject, JsonObject? details = null)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown audit event kind");
        }

        return AppendBatch([new AuditAppend(kind, actor, subject, details)])[0];
    }

    /// <summary>Appends <paramref name="entry"/> and returns it once it is durable.</summary>
    public AuditEntry Append(AuditAppend entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendBatch([entry])[0];
    }

    /// <summary>
    /// Appends several entries, consecutive and in the given order, in one transaction (with
    /// whatever other appends are waiting), and returns them once they are durable: all of
    /// them, or none.
    /// </summary>
    /// <exception cref="ArgumentException">An entry with an empty or over-long actor or subject, or details that look like secrets; nothing is appended.</exception>
    /// <exception cref="AuditLogException">The entries were not recorded.</exception>
    public IReadOnlyList<AuditEntry> AppendBatch(IReadOnlyList<AuditAppend> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return [];
        }

        // Every entry is checked before any is queued, so a bad one appends nothing.
        var requests = new PendingAppend[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] ?? throw new ArgumentException("an audit entry is null", nameof(entries));
            if (!Enum.IsDefined(entry.Kind))
            {
                throw new ArgumentOutOfRangeException(nameof(entries), entry.Kind, "unknown audit event kind");
            }

            AuditDetailsPolicy.RequireName(entry.Actor, "actor");
            AuditDetailsPolicy.RequireName(entry.Subject, "subject");
            requests[i] = new PendingAppend(entry.Kind.ToString(), entry.Actor, entry.Subject, AuditDetailsPolicy.Serialize(entry.Details));
        }

        // Queued together under one lock, so they land consecutively in one batch.
        lock (_queueGate)
        {
            _queue.AddRange(requests);
        }

        var last = requests[^1];
        lock (_writer)
        {
            // Whoever holds the writer lock commits everything queued so far, so by the time
            // a waiting caller gets the lock its entries are usually written already.
            if (!last.Done)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                List<PendingAppend> batch;
                lock (_queueGate)
                {
                    batch = _queue;
                    _queue = [];
                }

                WriteBatch(batch);
            }
        }

        var written = new AuditEntry[requests.Length];
        for (var i = 0; i < requests.Length; i++)
        {
            written[i] = requests[i].Entry ?? throw requests[i].Error!;
        }

        return written;
    }

    /// <summary>
    /// Walks the whole chain and compares its end with the anchor; returns the first problem
    /// in sequence order, or none. Runs on its own connection against a snapshot, so appends
    /// continue while it walks.
    /// </summary>
    public AuditVerification Verify()
    {
        using var reader = SqliteDatabase.OpenConnection(DatabasePath, readOnly: true);
        using var snapshot = reader.BeginTransaction(deferred: true);
        AuditAnchor.AnchorState anchor;
        lock (_writer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Holding the log's write lock while the snapshot starts and the anchor is read
            // means no writer (in any process) is between its "pending" and its commit, so
            // the snapshot's head must equal one of the anchor's two pairs.
            using var hold = _connection.BeginTransaction(deferred: false);
            SqliteDatabase.Scalar(reader, "SELECT count(*) FROM audit_entries;", snapshot);
            anchor = _anchor.Read();
            hold.Rollback();
        }

        return AuditChainVerifier.Verify(reader, snapshot, anchor);
    }

    /// <summary>Entries in sequence order, optionally from <paramref name="since"/> on and of one <paramref name="kind"/> (name, case-insensitive).</summary>
    public IReadOnlyList<AuditEntry> List(DateTimeOffset? since = null, string? kind = null, int? limit = null)
    {
        using var connection = SqliteDatabase.OpenConnection(DatabasePath, readOnly: true);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT sequence, time_us, kind, actor, subject, details, previous_digest, digest FROM audit_entries
            WHERE ($since IS NULL OR time_us >= $since) AND ($kind IS NULL OR kind = $kind COLLATE NOCASE)
            ORDER BY sequence LIMIT $limit;
            """;
        command.Parameters.AddWithValue("$since", since is { } s ? ToMicroseconds(s) : DBNull.Value);
        command.Parameters.AddWithValue("$kind", (object?)kind ?? DBNull.Value);
        command.Parameters.AddWithValue("$limit", limit ?? -1);
        using var rows = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (rows.Read())
        {
            entries.Add(new AuditEntry(
                rows.GetInt64(0),
                FromMicroseconds(rows.GetInt64(1)),
                rows.GetString(2),
                rows.GetString(3),
                rows.GetString(4),
                rows.GetString(5),
                (byte[])rows.GetValue(6),
                (byte[])rows.GetValue(7)));
        }

        return entries;
    }

    /// <summary>
    /// After an operator has checked the log against an exported head: appends an
    /// <see cref="AuditEventKind.AnchorReset"/> entry and sets the anchor to the new head,
    /// clearing a lost-anchor mark. Refused while the chain itself is broken.
    /// </summary>
    /// <exception cref="AuditLogException">The chain has a problem other than the anchor.</exception>
    public AuditEntry Reanchor(string actor)
    {
        AuditDetailsPolicy.RequireName(actor, nameof(actor));
        var verification = Verify();
        if (verification.FirstProblem is { Kind: not (AuditProblemKind.AnchorLost or AuditProblemKind.TailTruncated or AuditProblemKind.UnanchoredEntries or AuditProblemKind.AnchorMismatch) } problem)
        {
            throw new AuditLogException(string.Create(CultureInfo.InvariantCulture, $"entry #{problem.Sequence} is damaged ({problem.Detail}); the anchor is not reset over a broken chain"));
        }

        lock (_writer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var before = _anchor.Read();
            var details = new JsonObject
            {
                ["previousAnchorCount"] = before.NextCount,
                ["previousAnchorHead"] = Convert.ToHexStringLower(before.NextHead),
                ["lostAtCount"] = before.LostAtCount,
                ["problem"] = verification.FirstProblem?.Kind.ToString(),
            };
            var request = new PendingAppend(nameof(AuditEventKind.AnchorReset), actor, "audit-anchor", details.ToJsonString());
            WriteBatch([request]);
            var entry = request.Entry ?? throw request.Error!;
            _anchor.Reset(entry.Sequence, entry.Digest.Span, ToMicroseconds(_time.GetUtcNow()));
            return entry;
        }
    }

    /// <summary>Closes the files.</summary>
    public void Dispose()
    {
        lock (_writer)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _anchor.Dispose();
            _connection.Dispose();
        }
    }

    internal static long ToMicroseconds(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    internal static DateTimeOffset FromMicroseconds(long microseconds)
    {
        // A tampered row may hold any number; show it clamped rather than fail a listing.
        var ticks = Math.Clamp(microseconds, -DateTimeOffset.UnixEpoch.UtcTicks / 10, (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10) * 10;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks);
    }

    /// <summary>Writes <paramref name="batch"/> in one transaction and completes every request in it (all written, or all failed).</summary>
    private void WriteBatch(List<PendingAppend> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            // BEGIN IMMEDIATE: the write lock is taken before the tail is read, so another
            // process cannot append between our read of the head and our insert.
            using var transaction = _connection.BeginTransaction(deferred: false);
            long lastSequence = 0;
            byte[] tailDigest = new byte[AuditDigest.Length];
            using (var tail = _connection.CreateCommand())
            {
                tail.Transaction = transaction;
                tail.CommandText = "SELECT sequence, digest FROM audit_entries ORDER BY sequence DESC LIMIT 1;";
                using var row = tail.ExecuteReader();
                if (row.Read())
                {
                    lastSequence = row.GetInt64(0);
                    tailDigest = (byte[])row.GetValue(1);
                }
            }

            using var insert = _connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO audit_entries (sequence, time_us, kind, actor, subject, details, previous_digest, digest)
                VALUES ($seq, $time, $kind, $actor, $subject, $details, $prev, $digest);
                """;
            var parameters = new[] { "$seq", "$time", "$kind", "$actor", "$subject", "$details", "$prev", "$digest" };
            foreach (var name in parameters)
            {
                insert.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            var now = ToMicroseconds(_time.GetUtcNow());
            var previous = tailDigest;
            var sequence = lastSequence;
            var entries = new AuditEntry[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var request = batch[i];
                sequence++;
                var digest = AuditDigest.Compute(sequence, now, request.Kind, request.Actor, request.Subject, request.Details, previous);
                insert.Parameters[0].Value = sequence;
                insert.Parameters[1].Value = now;
                insert.Parameters[2].Value = request.Kind;
                insert.Parameters[3].Value = request.Actor;
                insert.Parameters[4].Value = request.Subject;
                insert.Parameters[5].Value = request.Details;
                insert.Parameters[6].Value = previous;
                insert.Parameters[7].Value = digest;
                insert.ExecuteNonQuery();
                entries[i] = new AuditEntry(sequence, FromMicroseconds(now), request.Kind, request.Actor, request.Subject, request.Details, previous, digest);
                previous = digest;
            }

            _anchor.RecordWrite(lastSequence, tailDigest, sequence, previous, now);
            transaction.Commit();
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(entries[i]);
            }

            ConfirmInAnchor(sequence, previous);
        }
        catch (SqliteException e)
        {
            foreach (var request in batch)
            {
                request.Fail(new AuditLogException($"the audit entry ({request.Kind}, {request.Subject}) was not recorded: {e.Message}", e));
            }
        }
        finally
        {
            // Any other failure propagates to the caller that ran the batch; the callers
            // waiting on it must not be left without an answer.
            foreach (var request in batch)
            {
                if (!request.Done)
                {
                    request.Fail(new AuditLogException($"the audit entry ({request.Kind}, {request.Subject}) was not recorded: the write was interrupted"));
                }
            }
        }
    }

    private void ConfirmInAnchor(long count, byte[] head)
    {
        try
        {
            _anchor.Confirm(count, head);
        }
        catch (SqliteException)
        {
            // The entries are committed and the anchor's "next" already equals the log, so
            // the log still verifies; only the detection of a deleted last batch waits for the
            // next write. Counted, not thrown: the callers' entries were recorded.
            Interlocked.Increment(ref _anchorConfirmationFailures);
        }
    }

    /// <summary>An append waiting for the writer; completed by whichever caller writes its batch.</summary>
    private sealed class PendingAppend(string kind, string actor, string subject, string details)
    {
        public string Kind { get; } = kind;

        public string Actor { get; } = actor;

        public string Subject { get; } = subject;

        public string Details { get; } = details;

        public bool Done { get; private set; }

        public AuditEntry? Entry { get; private set; }

        public AuditLogException? Error { get; private set; }

        public void Complete(AuditEntry entry)
        {
            Entry = entry;
            Done = true;
        }

        public void Fail(AuditLogException error)
        {
            Error = error;
            Done = true;
        }
    }
}
