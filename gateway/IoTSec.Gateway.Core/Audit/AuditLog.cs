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
/// append returns only after its transaction is committed with a full sync.
/// What this does not stop: whoever can write the files can rewrite the whole log and the
/// anchor consistently. Only a copy of the head kept elsewhere (exported upstream by the
/// forwarder) closes that; see docs/adr/0007-inventory-and-audit.md.
/// </remarks>
public sealed class AuditLog : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly AuditAnchor _anchor;
    private readonly Lock _writer = new();
    private readonly TimeProvider _time;
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

        AuditDetailsPolicy.RequireName(actor, nameof(actor));
        AuditDetailsPolicy.RequireName(subject, nameof(subject));
        var detailsJson = AuditDetailsPolicy.Serialize(details);
        lock (_writer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return AppendLocked(kind.ToString(), actor, subject, detailsJson);
        }
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
                ["previousAnchorCount"] = before.ConfirmedCount,
                ["previousAnchorHead"] = Convert.ToHexStringLower(before.ConfirmedHead),
                ["lostAtCount"] = before.LostAtCount,
                ["problem"] = verification.FirstProblem?.Kind.ToString(),
            };
            var entry = AppendLocked(nameof(AuditEventKind.AnchorReset), actor, "audit-anchor", details.ToJsonString());
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

    private AuditEntry AppendLocked(string kind, string actor, string subject, string details)
    {
        try
        {
            // BEGIN IMMEDIATE: the write lock is taken before the tail is read, so another
            // process cannot append between our read of the head and our insert.
            using var transaction = _connection.BeginTransaction(deferred: false);
            long lastSequence = 0;
            byte[] previous = new byte[AuditDigest.Length];
            using (var tail = _connection.CreateCommand())
            {
                tail.Transaction = transaction;
                tail.CommandText = "SELECT sequence, digest FROM audit_entries ORDER BY sequence DESC LIMIT 1;";
                using var row = tail.ExecuteReader();
                if (row.Read())
                {
                    lastSequence = row.GetInt64(0);
                    previous = (byte[])row.GetValue(1);
                }
            }

            var sequence = lastSequence + 1;
            var now = ToMicroseconds(_time.GetUtcNow());
            var digest = AuditDigest.Compute(sequence, now, kind, actor, subject, details, previous);
            using (var insert = _connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = """
                    INSERT INTO audit_entries (sequence, time_us, kind, actor, subject, details, previous_digest, digest)
                    VALUES ($seq, $time, $kind, $actor, $subject, $details, $prev, $digest);
                    """;
                insert.Parameters.AddWithValue("$seq", sequence);
                insert.Parameters.AddWithValue("$time", now);
                insert.Parameters.AddWithValue("$kind", kind);
                insert.Parameters.AddWithValue("$actor", actor);
                insert.Parameters.AddWithValue("$subject", subject);
                insert.Parameters.AddWithValue("$details", details);
                insert.Parameters.AddWithValue("$prev", previous);
                insert.Parameters.AddWithValue("$digest", digest);
                insert.ExecuteNonQuery();
            }

            _anchor.SetPending(sequence, digest, now);
            transaction.Commit();
            _anchor.Confirm(sequence, digest, now);
            return new AuditEntry(sequence, FromMicroseconds(now), kind, actor, subject, details, previous, digest);
        }
        catch (SqliteException e)
        {
            throw new AuditLogException($"the audit entry ({kind}, {subject}) was not recorded: {e.Message}", e);
        }
    }
}
