using System;
using System.IO;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>
/// The audit log's anchor: the entry count and head digest, kept in a file of its own. A
/// hash chain alone cannot show that its tail was cut off (the shorter chain is still a
/// valid chain); comparing with the anchor does.
/// </summary>
/// <remarks>
/// Two pairs make it crash-safe without a transaction spanning two files: before an entry
/// is committed the writer records it as <em>pending</em> (while holding the log's write
/// lock, so writers in other processes are serialized), and after the commit as
/// <em>confirmed</em>. A crash between the two leaves the log matching one of the pairs,
/// never neither, so a crash is not mistaken for tampering, and no tolerance ("lag") has to
/// be granted that an attacker could use.
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
        command.CommandText = "SELECT confirmed_count, confirmed_head, pending_count, pending_head, lost_at_count FROM anchor WHERE id = 1;";
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

    /// <summary>Records the entry about to be committed. Call while holding the log's write lock.</summary>
    public void SetPending(long count, ReadOnlySpan<byte> head, long now) =>
        Update("UPDATE anchor SET pending_count = $c, pending_head = $h, updated_at = $t WHERE id = 1;", count, head, now);

    /// <summary>Records a committed entry. Monotonic: a late confirmation from another writer never moves the anchor back.</summary>
    public void Confirm(long count, ReadOnlySpan<byte> head, long now) =>
        Update("UPDATE anchor SET confirmed_count = $c, confirmed_head = $h, updated_at = $t WHERE id = 1 AND confirmed_count < $c;", count, head, now);

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
        using var command = _connection.CreateCommand();
        command.CommandText = "UPDATE anchor SET confirmed_count = $c, confirmed_head = $h, pending_count = $c, pending_head = $h, lost_at_count = NULL, updated_at = $t WHERE id = 1;";
        command.Parameters.AddWithValue("$c", count);
        command.Parameters.AddWithValue("$h", head.ToArray());
        command.Parameters.AddWithValue("$t", now);
        command.ExecuteNonQuery();
    }

    public void Dispose() => _connection.Dispose();

    private void Update(string sql, long count, ReadOnlySpan<byte> head, long now)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$c", count);
        command.Parameters.AddWithValue("$h", head.ToArray());
        command.Parameters.AddWithValue("$t", now);
        command.ExecuteNonQuery();
    }

    /// <summary>The anchor's content.</summary>
    internal sealed record AnchorState(long ConfirmedCount, byte[] ConfirmedHead, long PendingCount, byte[] PendingHead, long? LostAtCount);
}
