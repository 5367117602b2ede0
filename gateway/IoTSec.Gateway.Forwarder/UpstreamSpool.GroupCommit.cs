using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// Group commit (ADR 0010): concurrent enqueues join one open transaction and share its
/// fsync; a failed group rolls back and restores the devices' sequences and states.
/// </summary>
public sealed partial class UpstreamSpool
{
    // Group commit: the record joins the open transaction; whoever commits it (AwaitCommit,
    // or any other operation that needs the file settled) does one fsync for the group.
    private CommitBatch AppendToBatch(DeviceState device, string deviceId, PendingRecord record, long atMs, JsonObject? newState, long snapshotAtMs)
    {
        if (_tx is null)
        {
            _tx = _connection.BeginTransaction();
            _batch = new CommitBatch(_bytes, _count);
        }

        var batch = _batch!;
        batch.Remember(deviceId, device);
        var sequence = device.Sequence + 1;
        try
        {
            InsertRows(_tx, deviceId, sequence, record, atMs, newState, snapshotAtMs);
        }
        catch (SqliteException e)
        {
            FailOpenBatch(e);
            return batch;
        }

        device.Sequence = sequence;
        if (newState is not null)
        {
            device.State = newState;
        }

        device.SnapshotAtMs = snapshotAtMs;
        _bytes += Cost(record, deviceId);
        _count++;
        batch.Records++;
        return batch;
    }

    private bool AwaitCommit(CommitBatch batch)
    {
        lock (_commitGate)
        {
            if (!batch.Done)
            {
                lock (_gate)
                {
                    CommitOpenBatch();
                }
            }
        }

        return batch.Error is null;
    }

    // Under _gate: commits the open group (one fsync for all its records). On failure the
    // group is rolled back and the devices' sequences and states go back to before it.
    private void CommitOpenBatch()
    {
        if (_tx is null)
        {
            return;
        }

        try
        {
            _tx.Commit();
            UpstreamMetrics.Queued.Add(_batch!.Records);
            _batch.Done = true;
            _tx.Dispose();
            _tx = null;
            _batch = null;
        }
        catch (SqliteException e)
        {
            FailOpenBatch(e);
        }
    }

    private void FailOpenBatch(SqliteException error)
    {
        var batch = _batch!;
        try
        {
            _tx!.Rollback();
        }
        catch (SqliteException)
        {
            // A failed commit may have rolled back already.
        }
        catch (InvalidOperationException)
        {
            // Already completed.
        }

        _tx!.Dispose();
        _tx = null;
        _batch = null;
        batch.Restore(_devices);
        _bytes = batch.BytesBefore;
        _count = batch.CountBefore;
        batch.Error = error;
        batch.Done = true;
    }

    // One group commit: its records' callers wait on it; what to undo if it fails.
    private sealed class CommitBatch(long bytesBefore, long countBefore)
    {
        private readonly Dictionary<string, (long Sequence, JsonObject? State, long SnapshotAtMs)> _before = new(StringComparer.Ordinal);

        public long BytesBefore { get; } = bytesBefore;

        public long CountBefore { get; } = countBefore;

        public int Records { get; set; }

        public volatile bool Done;

        public SqliteException? Error { get; set; }

        public void Remember(string deviceId, DeviceState device) =>
            _before.TryAdd(deviceId, (device.Sequence, device.State, device.SnapshotAtMs));

        public void Restore(Dictionary<string, DeviceState> devices)
        {
            foreach (var (id, state) in _before)
            {
                var device = devices[id];
                device.Sequence = state.Sequence;
                device.State = state.State;
                device.SnapshotAtMs = state.SnapshotAtMs;
            }
        }
    }
}
