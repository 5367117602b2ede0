using System;
using System.IO;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// The audit log's anchor: entry count and head digest, kept in a file of its own. A hash
/// chain alone cannot show that its tail was cut off (the shorter chain is still a valid
/// chain); comparing with the anchor does.
/// </summary>
/// <remarks>
/// Crash-safe without a transaction spanning two files: before a batch of entries is
/// committed, the writer (holding the log's write lock, so writers in all processes are
/// serialized) records the head before the batch and the head after it, durably. A crash
/// before the log's commit leaves the log at "previous", after it at "next" — never
/// anywhere else — so a crash is not mistaken for tampering and no tolerance is granted
/// that an attacker could use. After the commit the writer confirms ("previous" := "next"),
/// so that deleting the last batch afterwards is seen as a cut tail. The confirmation
/// needs no sync of its own: if a power cut loses it, the log still equals "next". One
/// synced anchor write per batch; the window in which the last batch could be deleted
/// unnoticed is the instant between the log's commit and the confirmation.
/// </remarks>
internal sealed class AuditAnchor : IDisposable
{
    private readonly SqliteConnection _connection;

    private AuditAnchor(SqliteConnection connection, bool created)
    {
        _connection = connection;
        Created = created;
    }

    /// <summary>True when the anchor file did not exist before this open.</summary>
    public bool Created { get; }

    public static AuditAnchor Open(string path)
    {
        var created = !File.Exists(path);
        return new AuditAnchor(SqliteDatabase.Open(path, AuditSchema.AnchorName, AuditSchema.AnchorMigrations), created);
    }

    public AnchorState Read()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT previous_count, previous_head, next_count, next_head, lost_at_count FROM anchor WHERE id = 1;";
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new AuditLogException("the audit anchor has no row: the anchor file was damaged");
        }

        return new AnchorState(
            reader.GetInt64(0),
            (byte[])reader.GetValue(1),
            reader.GetInt64(2),
            (byte[])reader.GetValue(3),
            reader.IsDBNull(4) ? null : reader.GetInt64(4));
    }

    /// <summary>Records a write about to be committed: the log goes from (previousCount, previousHead) to (nextCount, nextHead). Call while holding the log's write lock.</summary>
    public void RecordWrite(long previousCount, ReadOnlySpan<byte> previousHead, long nextCount, ReadOnlySpan<byte> nextHead, long now)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE anchor SET previous_count = $pc, previous_head = $ph, next_count = $nc, next_head = $nh, updated_at = $t WHERE id = 1;";
        command.Parameters.AddWithValue("$pc", previousCount);
        command.Parameters.AddWithValue("$ph", previousHead.ToArray());
        command.Parameters.AddWithValue("$nc", nextCount);
        command.Parameters.AddWithValue("$nh", nextHead.ToArray());
        command.Parameters.AddWithValue("$t", now);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Records that the write ending at (<paramref name="count"/>, <paramref name="head"/>) is
    /// committed. Skipped when another writer has recorded a newer write meanwhile. Not synced:
    /// losing it in a power cut leaves the state <see cref="RecordWrite"/> made durable.
    /// </summary>
    public void Confirm(long count, ReadOnlySpan<byte> head)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = """
            PRAGMA synchronous = NORMAL;
            UPDATE anchor SET previous_count = $c, previous_head = $h WHERE id = 1 AND next_count = $c AND next_head = $h;
            PRAGMA synchronous = FULL;
            """;
        command.Parameters.AddWithValue("$c", count);
        command.Parameters.AddWithValue("$h", head.ToArray());
        command.ExecuteNonQuery();
    }

    /// <summary>Marks the anchor as recreated for a log that already had <paramref name="count"/> entries.</summary>
    public void MarkLost(long count, long now)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE anchor SET lost_at_count = $c, updated_at = $t WHERE id = 1;";
        command.Parameters.AddWithValue("$c", count);
        command.Parameters.AddWithValue("$t", now);
        command.ExecuteNonQuery();
    }

    /// <summary>Sets both pairs to the log's current head and clears the lost mark (operator's re-anchor).</summary>
    public void Reset(long count, ReadOnlySpan<byte> head, long now)
    {
        RecordWrite(count, head, count, head, now);
        using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE anchor SET lost_at_count = NULL WHERE id = 1;";
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    /// <summary>The anchor's content.</summary>
    internal sealed record AnchorState(long PreviousCount, byte[] PreviousHead, long NextCount, byte[] NextHead, long? LostAtCount);
}
