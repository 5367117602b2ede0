using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Posture;

/// <summary>
/// The posture database (posture.db): per device the key epoch, the heartbeat chain state, the
/// last heartbeat and the verdict. Every save is committed with a full sync before it returns,
/// so a heartbeat is acknowledged only once its chain state survives a power cut.
/// </summary>
/// <remarks>
/// Records read or written since start are kept in memory (one per device the inventory let
/// connect, so bounded by the fleet), and that copy is authoritative under
/// <see cref="UpdateGate"/>: a change is applied to it and staged (<see cref="Stage"/>) under
/// the gate, then made durable (<see cref="WaitDurable"/>) outside it. Writes staged while a
/// commit is running are committed together in the next transaction (group commit), so
/// concurrent heartbeats share the cost of the syncs instead of queueing behind each one.
/// </remarks>
public sealed class PostureStore : IDisposable
{
    private static readonly string[] RowNames = Names(19);
    private static readonly string[] EpochNames = Names(4);
    private static readonly string RowParameters = string.Join(", ", RowNames);

    private const string Columns =
        "device_id, device_class, certificate_serial, key_id, epoch_started_at, chain_state, boot_count, firmware_digest, firmware_version, " +
        "last_sequence, last_heartbeat_at, verdict, verdict_reason, verdict_since, evidence, silent, recent_boots, operating_confirmed, next_command_id";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly Lock _writer = new();
    private readonly Lock _queueGate = new();
    private readonly Dictionary<string, DevicePosture> _cache = new(StringComparer.Ordinal);
    private List<PendingWrite> _queue = [];
    private bool _disposed;

    private PostureStore(string databasePath, SqliteConnection connection)
    {
        DatabasePath = databasePath;
        _connection = connection;
    }

    /// <summary>The database file.</summary>
    public string DatabasePath { get; }

    /// <summary>
    /// Held by whoever reads a record, changes it and saves it back (the heartbeat processor,
    /// the silence detector), so that the two never overwrite each other's change.
    /// </summary>
    internal Lock UpdateGate { get; } = new();

    /// <summary>Opens (creating when missing) the posture database of <paramref name="dataDirectory"/>.</summary>
    /// <exception cref="DatabaseSchemaException">The file holds another schema or a newer version.</exception>
    public static PostureStore Open(GatewayDataDirectory dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        return Open(dataDirectory.PostureDatabase);
    }

    /// <summary>Opens (creating when missing) the posture database at <paramref name="databasePath"/>.</summary>
    /// <exception cref="DatabaseSchemaException">The file holds another schema or a newer version.</exception>
    public static PostureStore Open(string databasePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        return new PostureStore(databasePath, SqliteDatabase.Open(databasePath, PostureSchema.Name, PostureSchema.Migrations));
    }

    /// <summary>
    /// The device's record, or null when it never sent a verified heartbeat. The instance is
    /// the store's own: change it only under <see cref="UpdateGate"/> and then <see cref="Stage"/> it.
    /// </summary>
    public DevicePosture? Find(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_cache.TryGetValue(deviceId, out var cached))
            {
                return cached;
            }

            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM device_posture WHERE device_id = $d;";
            command.Parameters.AddWithValue("$d", deviceId);
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            var posture = Read(reader);
            _cache[deviceId] = posture;
            return posture;
        }
    }

    /// <summary>
    /// Forgets the memory copy of <paramref name="deviceId"/>'s record, so its next use reads
    /// the file: for a caller that changed the record and then failed before staging it.
    /// </summary>
    internal void Evict(string deviceId)
    {
        lock (_gate)
        {
            _cache.Remove(deviceId);
        }
    }

    /// <summary>
    /// The devices the silence detector must look at: not yet silent, heard at least once
    /// (id, class, last heartbeat). Reads only three columns, so a sweep over ten thousand
    /// devices stays cheap; the caller re-checks each candidate with <see cref="Find"/>.
    /// </summary>
    public IReadOnlyList<(string DeviceId, string DeviceClass, DateTimeOffset LastHeartbeatAt)> ListAwake()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT device_id, device_class, last_heartbeat_at FROM device_posture WHERE silent = 0 AND last_heartbeat_at IS NOT NULL;";
            using var reader = command.ExecuteReader();
            var list = new List<(string, string, DateTimeOffset)>();
            while (reader.Read())
            {
                list.Add((reader.GetString(0), reader.GetString(1), FromMilliseconds(reader.GetInt64(2))));
            }

            return list;
        }
    }

    /// <summary>True when <paramref name="keyId"/> was a key epoch of <paramref name="deviceId"/> (current or earlier).</summary>
    public bool IsKnownEpoch(string deviceId, byte[] keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        ArgumentNullException.ThrowIfNull(keyId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT 1 FROM key_epochs WHERE device_id = $d AND key_id = $k;";
            command.Parameters.AddWithValue("$d", deviceId);
            command.Parameters.AddWithValue("$k", keyId);
            return command.ExecuteScalar() is not null;
        }
    }

    /// <summary>
    /// Writes <paramref name="posture"/> (insert or replace) and returns once it is durable;
    /// when <paramref name="newEpoch"/> is true the epoch is also added to the history, in the
    /// same transaction.
    /// </summary>
    public void Save(DevicePosture posture, bool newEpoch = false)
    {
        PendingWrite write;
        lock (UpdateGate)
        {
            write = Stage(posture, newEpoch);
        }

        WaitDurable(write);
    }

    /// <summary>
    /// Makes <paramref name="posture"/> the device's current record and queues its write; call
    /// under <see cref="UpdateGate"/>, then <see cref="WaitDurable"/> outside it before telling
    /// anyone (the device) that it happened.
    /// </summary>
    internal PendingWrite Stage(DevicePosture posture, bool newEpoch)
    {
        ArgumentNullException.ThrowIfNull(posture);
        var write = new PendingWrite(posture.DeviceId, RowValues(posture), newEpoch ? EpochValues(posture) : null);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _cache[posture.DeviceId] = posture;
        }

        lock (_queueGate)
        {
            _queue.Add(write);
        }

        return write;
    }

    /// <summary>Returns once <paramref name="write"/> is committed with a full sync.</summary>
    /// <exception cref="SqliteException">The commit failed; the device's record is reloaded from the file at its next use.</exception>
    internal void WaitDurable(PendingWrite write)
    {
        ArgumentNullException.ThrowIfNull(write);
        lock (_writer)
        {
            // Whoever holds the writer lock commits everything queued so far (group commit).
            if (!write.Done)
            {
                List<PendingWrite> batch;
                lock (_queueGate)
                {
                    batch = _queue;
                    _queue = [];
                }

                Commit(batch);
            }
        }

        if (write.Error is { } error)
        {
            throw new InvalidOperationException($"posture of device '{write.DeviceId}' could not be saved: {error.Message}", error);
        }
    }

    /// <summary>
    /// Takes the next command id of <paramref name="deviceId"/> and persists the increment
    /// before returning it, so an id is never issued twice, even across a crash.
    /// </summary>
    /// <exception cref="InvalidOperationException">The device never sent a verified heartbeat (no key epoch to send under).</exception>
    public ulong ReserveCommandId(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        PendingWrite write;
        ulong id;
        lock (UpdateGate)
        {
            var posture = Find(deviceId) ?? throw new InvalidOperationException($"device '{deviceId}' has no key epoch at this gateway yet: no command can be sent");
            id = posture.NextCommandId;
            posture.NextCommandId = id + 1;
            write = Stage(posture, newEpoch: false);
        }

        WaitDurable(write);
        return id;
    }

    /// <summary>A write staged for the next group commit.</summary>
    internal sealed class PendingWrite(string deviceId, object[] row, object[]? epoch)
    {
        public string DeviceId { get; } = deviceId;

        public object[] Row { get; } = row;

        public object[]? Epoch { get; } = epoch;

        // Read and written under the store's writer lock.
        public bool Done { get; set; }

        public Exception? Error { get; set; }
    }

    /// <summary>Closes the database.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private void Commit(List<PendingWrite> batch)
    {
        try
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                using var transaction = _connection.BeginTransaction(deferred: false);
                foreach (var write in batch)
                {
                    Execute(transaction, $"INSERT OR REPLACE INTO device_posture ({Columns}) VALUES ({RowParameters});", RowNames, write.Row);
                    if (write.Epoch is { } epoch)
                    {
                        Execute(transaction, "INSERT OR IGNORE INTO key_epochs (device_id, certificate_serial, key_id, started_at) VALUES ($p0, $p1, $p2, $p3);", EpochNames, epoch);
                    }
                }

                transaction.Commit();
            }

            foreach (var write in batch)
            {
                write.Done = true;
            }
        }
        catch (Exception e) when (e is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            lock (_gate)
            {
                foreach (var write in batch)
                {
                    // The memory copy is ahead of the file now: forget it, the file is the truth.
                    _cache.Remove(write.DeviceId);
                    write.Error = e;
                    write.Done = true;
                }
            }
        }
    }

    private void Execute(SqliteTransaction transaction, string sql, string[] names, object[] values)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < names.Length; i++)
        {
            command.Parameters.AddWithValue(names[i], values[i]);
        }

        command.ExecuteNonQuery();
    }

    // The row as parameter values, taken when staged: the record goes on changing afterwards.
    private static object[] RowValues(DevicePosture posture) =>
    [
        posture.DeviceId,
        posture.DeviceClass,
        posture.CertificateSerial.Clone(),
        posture.KeyId.Clone(),
        ToMilliseconds(posture.EpochStartedAt),
        posture.ChainState.Clone(),
        posture.BootCount is { } b ? (long)b : DBNull.Value,
        posture.FirmwareDigest?.Clone() ?? DBNull.Value,
        (object?)posture.FirmwareVersion ?? DBNull.Value,
        // SQLite integers are signed 64-bit; a sequence above long.MaxValue is stored as its bit pattern.
        posture.LastSequence is { } s ? unchecked((long)s) : DBNull.Value,
        posture.LastHeartbeatAt is { } l ? ToMilliseconds(l) : DBNull.Value,
        PostureVerdictNames.Of(posture.Verdict),
        posture.VerdictReason,
        ToMilliseconds(posture.VerdictSince),
        (object?)posture.Evidence ?? DBNull.Value,
        posture.Silent ? 1 : 0,
        JsonSerializer.Serialize(posture.RecentBoots.ConvertAll(ToMilliseconds)),
        posture.OperatingConfirmed ? 1 : 0,
        unchecked((long)posture.NextCommandId),
    ];

    private static object[] EpochValues(DevicePosture posture) =>
        [posture.DeviceId, posture.CertificateSerial.Clone(), posture.KeyId.Clone(), ToMilliseconds(posture.EpochStartedAt)];

    private static DevicePosture Read(SqliteDataReader reader)
    {
        var posture = new DevicePosture(
            reader.GetString(0),
            reader.GetString(1),
            (byte[])reader.GetValue(2),
            (byte[])reader.GetValue(3),
            FromMilliseconds(reader.GetInt64(4)),
            FromMilliseconds(reader.GetInt64(13)))
        {
            ChainState = (byte[])reader.GetValue(5),
            BootCount = reader.IsDBNull(6) ? null : (uint)reader.GetInt64(6),
            FirmwareDigest = reader.IsDBNull(7) ? null : (byte[])reader.GetValue(7),
            FirmwareVersion = reader.IsDBNull(8) ? null : reader.GetString(8),
            LastSequence = reader.IsDBNull(9) ? null : unchecked((ulong)reader.GetInt64(9)),
            LastHeartbeatAt = reader.IsDBNull(10) ? null : FromMilliseconds(reader.GetInt64(10)),
            Verdict = PostureVerdictNames.Parse(reader.GetString(11)),
            VerdictReason = reader.GetString(12),
            Evidence = reader.IsDBNull(14) ? null : reader.GetString(14),
            Silent = reader.GetInt64(15) == 1,
            OperatingConfirmed = reader.GetInt64(17) == 1,
            NextCommandId = unchecked((ulong)reader.GetInt64(18)),
        };
        foreach (var ms in JsonSerializer.Deserialize<long[]>(reader.GetString(16)) ?? [])
        {
            posture.RecentBoots.Add(FromMilliseconds(ms));
        }

        return posture;
    }

    private static string[] Names(int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = "$p" + i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }

    private static long ToMilliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMilliseconds(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
