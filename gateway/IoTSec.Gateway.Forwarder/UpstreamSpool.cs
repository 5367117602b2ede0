using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace IoTSec.Gateway.Forwarder;

/// <summary>
/// The durable upstream queue (ADR 0010): every message is committed to a SQLite file (WAL)
/// before <see cref="Enqueue"/> returns, numbered per device, and telemetry is reduced to what
/// changed (RFC 7396 merge patches against the device's last state, itself kept in the same
/// file). The forwarder reads records in spool order and deletes them once upstream
/// acknowledged them (at-least-once). Disk use is bounded by SpoolMaxBytes: past half of it a
/// device's pending telemetry records are merged into one; at the limit telemetry and posture
/// are refused and only alerts are taken, into a reserve of AlertReserve slots that also
/// survives a full file system (<see cref="SpoolReserveFile"/>).
/// </summary>
public sealed partial class UpstreamSpool : IUpstreamQueue, IDisposable
{
    /// <summary>The subject of the spool's own alerts (IUpstreamQueue: "gateway" for the gateway's own).</summary>
    public const string GatewaySubject = "gateway";

    /// <summary>The code of the alert the spool raises when it starts refusing.</summary>
    public const string SpoolFullAlertCode = "upstream-spool-full";

    // Per row beyond its body: rowid, device, numbers, index entry, page slack (measured roughly).
    private const int RowOverhead = 64;

    private const int SqliteFull = 13;

    private static readonly SchemaMigration[] Migrations =
    [
        new(1, "records and device states", """
            CREATE TABLE record (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                device     TEXT    NOT NULL,
                seq        INTEGER NOT NULL,
                first_seq  INTEGER NOT NULL,
                kind       INTEGER NOT NULL,
                at_ms      INTEGER NOT NULL,
                queued_ms  INTEGER NOT NULL,
                body       TEXT    NOT NULL,
                full_bytes INTEGER NOT NULL
            ) STRICT;
            CREATE TABLE device (
                device         TEXT    PRIMARY KEY,
                seq            INTEGER NOT NULL,
                state          TEXT,
                snapshot_at_ms INTEGER NOT NULL
            ) STRICT;
            """),
    ];

    private readonly SqliteConnection _connection;
    private readonly UpstreamSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SpoolReserveFile _reserve;
    private readonly Dictionary<string, DeviceState> _devices = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Lock _commitGate = new();
    private readonly SemaphoreSlim _available = new(0, 1);
    private long _bytes;
    private long _count;
    private long _inFlightThrough;
    private long _compactedAtBytes;
    private bool _refusing;
    private bool _diskFull;
    private bool _disposed;
    private SqliteTransaction? _tx;
    private CommitBatch? _batch;

    private UpstreamSpool(SqliteConnection connection, string path, UpstreamSettings settings, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        Path = path;
        _settings = settings;
        _time = time;
        _logger = logger;
        _reserve = new SpoolReserveFile(path + ".reserve", ReserveFileBytes(settings));
    }

    /// <summary>The spool file.</summary>
    public string Path { get; }

    /// <summary>Records not yet acknowledged upstream.</summary>
    public long Backlog
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>Bytes the pending records count against SpoolMaxBytes.</summary>
    public long BacklogBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Telemetry samples that changed nothing and so made no record (counted in bytes saved).</summary>
    public long UnchangedSamples { get; private set; }

    /// <summary>Opens (creating when missing) the spool at <paramref name="path"/>.</summary>
    /// <exception cref="DatabaseSchemaException">The file holds another schema or a newer version.</exception>
    public static UpstreamSpool Open(string path, UpstreamSettings settings, ILogger logger, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(logger);
        var connection = SqliteDatabase.Open(path, "upstream-spool", Migrations);
        try
        {
            // "normal" in WAL mode: a commit survives the process being killed (the OS has the
            // pages) but not a power cut; "full" fsyncs the log at every commit.
            Execute(connection, string.Equals(settings.Fsync, "normal", StringComparison.Ordinal) ? "PRAGMA synchronous = NORMAL;" : "PRAGMA synchronous = FULL;");

            // Checkpoint every 1 MiB of log so that the log (which needs disk to grow) stays small.
            Execute(connection, "PRAGMA wal_autocheckpoint = 256;");
            var spool = new UpstreamSpool(connection, path, settings, timeProvider ?? TimeProvider.System, logger);
            spool.Load();
            return spool;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    /// <exception cref="UpstreamSpoolFullException">The spool is full (telemetry, posture) or even the alert reserve is used up.</exception>
    public void Enqueue(UpstreamMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var batch = EnqueueCore(message, grouped: true);
        if (batch is not null && !AwaitCommit(batch))
        {
            // The group's commit failed (a full disk): this message again, alone, under the
            // full-disk rules (an alert may take the reserve; telemetry is refused).
            EnqueueCore(message, grouped: false);
        }

        Signal();
    }

    // Computes the record and appends it: into the open group transaction (returned: the
    // caller waits for its commit), or alone with its own commit (null).
    private CommitBatch? EnqueueCore(UpstreamMessage message, bool grouped)
    {
        var at = message.At.ToUnixTimeMilliseconds();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Group commit only while nothing is tight: under pressure every step settles first,
            // so a record is never computed against a state a failed group would roll back.
            var useGroup = grouped && !_diskFull && !_refusing && _bytes <= TelemetryBudget / 2;
            if (!useGroup)
            {
                CommitOpenBatch();
            }

            var device = StateOf(message.DeviceId);
            var fullBytes = message.Body.Length;
            PendingRecord record;
            JsonObject? newState = null;
            var snapshotAt = device.SnapshotAtMs;
            switch (message.Kind)
            {
                case UpstreamKind.Telemetry when Parse(message.Body.Span) is JsonObject sample:
                    newState = MergePatch.Apply(null, sample) as JsonObject ?? new JsonObject();
                    if (device.State is null || at - device.SnapshotAtMs >= (long)_settings.SnapshotInterval.TotalMilliseconds || at < device.SnapshotAtMs)
                    {
                        record = new PendingRecord(SpoolRecordKind.Snapshot, newState.ToJsonString(), fullBytes);
                        snapshotAt = at;
                    }
                    else
                    {
                        var patch = MergePatch.Diff(device.State, newState);
                        if (patch.Count == 0)
                        {
                            // Nothing changed: nothing to send, nothing to persist.
                            UnchangedSamples++;
                            UpstreamMetrics.BytesSaved.Add(fullBytes);
                            return null;
                        }

                        record = new PendingRecord(SpoolRecordKind.Delta, patch.ToJsonString(), fullBytes);
                    }

                    break;
                case UpstreamKind.Telemetry:
                    record = new PendingRecord(SpoolRecordKind.Opaque, AsJson(message.Body.Span), fullBytes);
                    break;
                case UpstreamKind.Posture:
                    record = new PendingRecord(SpoolRecordKind.Posture, AsJson(message.Body.Span), fullBytes);
                    break;
                case UpstreamKind.Alert:
                    record = new PendingRecord(SpoolRecordKind.Alert, AsJson(message.Body.Span), fullBytes);
                    break;
                default:
                    throw new ArgumentException($"unknown upstream kind {(int)message.Kind}", nameof(message));
            }

            Admit(record);
            if (useGroup)
            {
                return AppendToBatch(device, message.DeviceId, record, at, newState, snapshotAt);
            }

            Append(device, message.DeviceId, record, at, newState, snapshotAt);
            return null;
        }
    }

    /// <summary>
    /// Queues a snapshot of each of <paramref name="deviceIds"/> (null: every device with a
    /// state), in spool order after what is already pending, so upstream can resync.
    /// </summary>
    /// <returns>How many snapshots were queued (devices never heard from have none).</returns>
    public int RequestSnapshots(IReadOnlyCollection<string>? deviceIds)
    {
        var queued = 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CommitOpenBatch();
            var at = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var ids = deviceIds ?? [.. _devices.Keys];
            foreach (var id in ids)
            {
                if (!_devices.TryGetValue(id, out var device) || device.State is null)
                {
                    continue;
                }

                var record = new PendingRecord(SpoolRecordKind.Snapshot, device.State.ToJsonString(), 0);
                Admit(record);
                Append(device, id, record, at, device.State, at);
                queued++;
            }
        }

        if (queued > 0)
        {
            Signal();
        }

        return queued;
    }

    /// <summary>
    /// The oldest pending records, in spool order, at most <paramref name="maxRecords"/> and about
    /// <paramref name="maxBytes"/> of bodies (always at least one). They stay pending (and are no
    /// longer merged) until <see cref="Acknowledge"/>.
    /// </summary>
    public IReadOnlyList<SpoolRecord> Peek(int maxRecords, int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        var records = new List<SpoolRecord>();
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CommitOpenBatch();
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT id, device, seq, first_seq, kind, at_ms, body, full_bytes FROM record ORDER BY id LIMIT $n;";
            command.Parameters.AddWithValue("$n", maxRecords);
            using var reader = command.ExecuteReader();
            long bytes = 0;
            while (reader.Read())
            {
                var record = new SpoolRecord(
                    reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    (SpoolRecordKind)reader.GetInt32(4), reader.GetInt64(5), reader.GetString(6), reader.GetInt64(7));
                bytes += record.Body.Length + record.DeviceId.Length + 48;
                if (records.Count > 0 && bytes > maxBytes)
                {
                    break;
                }

                records.Add(record);
            }

            if (records.Count > 0)
            {
                _inFlightThrough = records[^1].Id;
            }
        }

        return records;
    }

    /// <summary>Deletes every record up to <paramref name="throughId"/>: upstream acknowledged them.</summary>
    public void Acknowledge(long throughId)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CommitOpenBatch();
            using (var transaction = _connection.BeginTransaction())
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = "DELETE FROM record WHERE id <= $id;";
                command.Parameters.AddWithValue("$id", throughId);
                command.ExecuteNonQuery();
                transaction.Commit();
            }

            Recount();
            _inFlightThrough = 0;
            if (_diskFull && _bytes < TelemetryBudget / 2)
            {
                // Deleted rows free pages inside the file, not on the disk: shrink the log, then
                // take the reserve back. An empty spool reuses its own free pages, so telemetry
                // may go on even where the reserve cannot be rewritten yet (retried next time).
                Execute(_connection, "PRAGMA wal_checkpoint(TRUNCATE);");
                if (_reserve.TryEnsure() || _count == 0)
                {
                    _diskFull = false;
                }
            }

            if (_refusing && !_diskFull && _bytes < TelemetryBudget / 2)
            {
                _refusing = false;
                LogRoomAgain(_logger, Path, _bytes);
            }
        }
    }

    /// <summary>When the oldest pending record was queued; null when nothing is pending.</summary>
    public DateTimeOffset? OldestQueuedAt()
    {
        lock (_gate)
        {
            if (_disposed || _count == 0)
            {
                return null;
            }

            CommitOpenBatch();

            var value = Scalar(_connection, "SELECT min(queued_ms) FROM (SELECT queued_ms FROM record ORDER BY id LIMIT 64);");
            return value is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        }
    }

    /// <summary>Waits until a record may be pending (or <paramref name="timeout"/>).</summary>
    public async Task WaitForRecordsAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (Backlog > 0)
        {
            return;
        }

        await _available.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Merges each device's pending telemetry records (deltas, and a snapshot before them) into
    /// one, except those already handed to the forwarder. Runs by itself past half the budget.
    /// </summary>
    /// <returns>Records removed.</returns>
    public int Compact()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            CommitOpenBatch();
            return CompactLocked();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            CommitOpenBatch();
            _disposed = true;
            _connection.Dispose();
            _available.Dispose();
        }
    }

    private long TelemetryBudget => _settings.SpoolMaxBytes - _settings.AlertReserveBytes;

    // Room for the slots plus SQLite's log and page slack while the reserve is being used.
    private static long ReserveFileBytes(UpstreamSettings settings) => (settings.AlertReserveBytes * 3) + (2L * 1024 * 1024);

    private static long Cost(PendingRecord record, string deviceId) => Encoding.UTF8.GetByteCount(record.Body) + deviceId.Length + RowOverhead;

    // Decides whether the record may take space; compacts first when telemetry is growing.
    private void Admit(PendingRecord record)
    {
        var cost = Cost(record, string.Empty);
        if (record.Kind == SpoolRecordKind.Alert)
        {
            if (_bytes + cost <= TelemetryBudget)
            {
                return;
            }

            // The last AlertReserve x AlertSlotBytes of the budget are for alerts alone.
            if (_bytes + cost <= _settings.SpoolMaxBytes)
            {
                return;
            }

            UpstreamMetrics.Refused.Add(1, new KeyValuePair<string, object?>("reason", "alert-reserve"));
            throw new UpstreamSpoolFullException(SpoolRefusal.AlertReserveExhausted,
                $"upstream spool {Path}: full, and the alert reserve (IoTSec:Upstream:AlertReserve) is used up; the alert stays in the audit log only");
        }

        if (_tx is null && _bytes + cost > TelemetryBudget / 2 && _bytes > _compactedAtBytes + (TelemetryBudget / 10))
        {
            CompactLocked();
            _compactedAtBytes = _bytes;
        }

        if (_bytes + cost > TelemetryBudget)
        {
            Refuse(SpoolRefusal.BudgetExhausted, $"upstream spool {Path}: {_bytes} of {TelemetryBudget} bytes (IoTSec:Upstream:SpoolMaxBytes less the alert reserve) used after merging deltas");
        }
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(SpoolRefusal reason, string message, Exception? inner = null)
    {
        UpstreamMetrics.Refused.Add(1, new KeyValuePair<string, object?>("reason", reason == SpoolRefusal.DiskFull ? "disk-full" : "budget"));
        if (!_refusing)
        {
            _refusing = true;
            LogRefusing(_logger, message);
            RaiseSpoolFullAlert(reason, message);
        }

        throw new UpstreamSpoolFullException(reason, message + "; telemetry and posture are refused until upstream drains the spool, alerts use the reserve", inner);
    }

    // The spool's own alert goes into the reserve like any other alert.
    private void RaiseSpoolFullAlert(SpoolRefusal reason, string detail)
    {
        var now = _time.GetUtcNow();
        var body = new JsonObject
        {
            ["code"] = SpoolFullAlertCode,
            ["subject"] = GatewaySubject,
            ["severity"] = "critical",
            ["detail"] = (reason == SpoolRefusal.DiskFull ? "disk full: " : "spool budget reached: ") + detail,
            ["raisedAt"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
        };
        var record = new PendingRecord(SpoolRecordKind.Alert, body.ToJsonString(), 0);
        var device = StateOf(GatewaySubject);
        try
        {
            Append(device, GatewaySubject, record, now.ToUnixTimeMilliseconds(), null, device.SnapshotAtMs);
        }
        catch (UpstreamSpoolFullException e)
        {
            LogOwnAlertLost(_logger, e.Message);
        }
    }

    // Inserts the record and the device's new sequence/state in one transaction. A full disk
    // frees the reserve file for an alert and retries once; anything else is refused.
    private void Append(DeviceState device, string deviceId, PendingRecord record, long atMs, JsonObject? newState, long snapshotAtMs)
    {
        CommitOpenBatch();
        var sequence = device.Sequence + 1;
        if (_diskFull && record.Kind != SpoolRecordKind.Alert)
        {
            // The reserve file's space belongs to alerts until the disk has room for it again.
            Refuse(SpoolRefusal.DiskFull, $"upstream spool {Path}: the file system is full (the alert reserve is in use)");
        }

        try
        {
            Insert(deviceId, sequence, record, atMs, newState, snapshotAtMs);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SqliteFull)
        {
            if (record.Kind != SpoolRecordKind.Alert)
            {
                _diskFull = true;
                Refuse(SpoolRefusal.DiskFull, $"upstream spool {Path}: the file system is full ({e.Message})", e);
            }

            _diskFull = true;
            if (!_reserve.Release())
            {
                throw new UpstreamSpoolFullException(SpoolRefusal.AlertReserveExhausted,
                    $"upstream spool {Path}: the file system is full and the reserve file is already used; the alert stays in the audit log only", e);
            }

            LogReserveReleased(_logger, _reserve.Path);
            try
            {
                Insert(deviceId, sequence, record, atMs, newState, snapshotAtMs);
            }
            catch (SqliteException again) when (again.SqliteErrorCode == SqliteFull)
            {
                throw new UpstreamSpoolFullException(SpoolRefusal.AlertReserveExhausted,
                    $"upstream spool {Path}: the file system is full even after releasing the reserve file; the alert stays in the audit log only", again);
            }
        }

        device.Sequence = sequence;
        if (newState is not null)
        {
            device.State = newState;
        }

        device.SnapshotAtMs = snapshotAtMs;
        _bytes += Cost(record, deviceId);
        _count++;
        UpstreamMetrics.Queued.Add(1);
    }

    private void Insert(string deviceId, long sequence, PendingRecord record, long atMs, JsonObject? newState, long snapshotAtMs)
    {
        using var transaction = _connection.BeginTransaction();
        InsertRows(transaction, deviceId, sequence, record, atMs, newState, snapshotAtMs);
        transaction.Commit();
    }

    private void InsertRows(SqliteTransaction transaction, string deviceId, long sequence, PendingRecord record, long atMs, JsonObject? newState, long snapshotAtMs)
    {
        using (var insert = _connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO record (device, seq, first_seq, kind, at_ms, queued_ms, body, full_bytes)
                VALUES ($device, $seq, $seq, $kind, $at, $queued, $body, $full);
                """;
            insert.Parameters.AddWithValue("$device", deviceId);
            insert.Parameters.AddWithValue("$seq", sequence);
            insert.Parameters.AddWithValue("$kind", (int)record.Kind);
            insert.Parameters.AddWithValue("$at", atMs);
            insert.Parameters.AddWithValue("$queued", _time.GetUtcNow().ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$body", record.Body);
            insert.Parameters.AddWithValue("$full", record.FullBytes);
            insert.ExecuteNonQuery();
        }

        using (var upsert = _connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = newState is null
                ? """
                  INSERT INTO device (device, seq, state, snapshot_at_ms) VALUES ($device, $seq, NULL, $snap)
                  ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, snapshot_at_ms = excluded.snapshot_at_ms;
                  """
                : """
                  INSERT INTO device (device, seq, state, snapshot_at_ms) VALUES ($device, $seq, $state, $snap)
                  ON CONFLICT (device) DO UPDATE SET seq = excluded.seq, state = excluded.state, snapshot_at_ms = excluded.snapshot_at_ms;
                  """;
            upsert.Parameters.AddWithValue("$device", deviceId);
            upsert.Parameters.AddWithValue("$seq", sequence);
            upsert.Parameters.AddWithValue("$snap", snapshotAtMs);
            if (newState is not null)
            {
                upsert.Parameters.AddWithValue("$state", newState.ToJsonString());
            }

            upsert.ExecuteNonQuery();
        }
    }

    private void Load()
    {
        using (var command = _connection.CreateCommand())
        {
            command.CommandText = "SELECT device, seq, state, snapshot_at_ms FROM device;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var state = reader.IsDBNull(2) ? null : JsonNode.Parse(reader.GetString(2)) as JsonObject;
                _devices[reader.GetString(0)] = new DeviceState { Sequence = reader.GetInt64(1), State = state, SnapshotAtMs = reader.GetInt64(3) };
            }
        }

        Recount();
        if (!_reserve.TryEnsure())
        {
            LogNoReserve(_logger, _reserve.Path);
        }

        UpstreamMetrics.Track(this);
    }

    private void Recount()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT count(*), coalesce(sum(length(CAST(body AS BLOB)) + length(CAST(device AS BLOB)) + {RowOverhead}), 0) FROM record;";
        using var reader = command.ExecuteReader();
        reader.Read();
        _count = reader.GetInt64(0);
        _bytes = reader.GetInt64(1);
    }

    private DeviceState StateOf(string deviceId)
    {
        if (!_devices.TryGetValue(deviceId, out var device))
        {
            _devices[deviceId] = device = new DeviceState();
        }

        return device;
    }

    private void Signal()
    {
        try
        {
            if (_available.CurrentCount == 0)
            {
                _available.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the forwarder will look.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    /// <summary>A device's payload as JSON, or null when it is not JSON (the spool forwards it opaque).</summary>
    internal static JsonNode? Parse(ReadOnlySpan<byte> body)
    {
        // The JSON reader checks structure, not the UTF-8 inside strings, and a lone escaped
        // surrogate ("\udc00") fails only when decoded (InvalidOperationException, found by
        // fuzzing the snapshot requests): such payloads go opaque, byte for byte.
        if (!System.Text.Unicode.Utf8.IsValid(body))
        {
            return null;
        }

        try
        {
            var node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 });
            DecodeAll(node);
            return node;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            // A member name twice in one object ({"e":1,"e":2}): JsonObject refuses it when the
            // members are read (found by fuzzing). Ambiguous as state: forwarded opaque.
            return null;
        }
    }

    // Decodes every member name and string value once, so nothing later (diff, compare, write) meets an undecodable one.
    private static void DecodeAll(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject members:
                foreach (var (_, value) in members)
                {
                    DecodeAll(value);
                }

                break;
            case JsonArray items:
                foreach (var item in items)
                {
                    DecodeAll(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                _ = value.GetValue<string>();
                break;
        }
    }

    // The body as a JSON value: itself when it is JSON, else a base64 string (a device's
    // garbled payload must not break the batch document it travels in).
    private static string AsJson(ReadOnlySpan<byte> body)
    {
        var parsed = Parse(body);
        if (parsed is not null)
        {
            return parsed.ToJsonString();
        }

        return JsonValue.Create(Convert.ToBase64String(body))!.ToJsonString();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Error, Message = "{Problem}: telemetry and posture for upstream are refused until upstream drains the spool; alerts use the reserve (IoTSec:Upstream:AlertReserve)")]
    private static partial void LogRefusing(ILogger logger, string problem);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "upstream spool {Path} has room again ({Bytes} bytes pending): telemetry accepted")]
    private static partial void LogRoomAgain(ILogger logger, string path, long bytes);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "upstream spool: merged {Removed} pending telemetry records into their devices' newer ones ({Bytes} bytes pending)")]
    private static partial void LogCompacted(ILogger logger, int removed, long bytes);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Warning, Message = "the file system is full: released the alert reserve file {Path} to keep alerts")]
    private static partial void LogReserveReleased(ILogger logger, string path);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "could not write the alert reserve file {Path} (disk full?): alerts raised while the disk is full may be lost")]
    private static partial void LogNoReserve(ILogger logger, string path);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Error, Message = "the spool's own upstream-spool-full alert could not be kept: {Problem}")]
    private static partial void LogOwnAlertLost(ILogger logger, string problem);

    private sealed record PendingRecord(SpoolRecordKind Kind, string Body, long FullBytes);

    private sealed class DeviceState
    {
        public long Sequence { get; set; }

        public JsonObject? State { get; set; }

        public long SnapshotAtMs { get; set; }
    }
}
