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
public sealed class PostureStore : IDisposable
{
    private const string Columns =
        "device_id, device_class, certificate_serial, key_id, epoch_started_at, chain_state, boot_count, firmware_digest, firmware_version, " +
        "last_sequence, last_heartbeat_at, verdict, verdict_reason, verdict_since, evidence, silent, recent_boots, operating_confirmed, next_command_id";

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
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

    /// <summary>The device's record, or null when it never sent a verified heartbeat.</summary>
    public DevicePosture? Find(string deviceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM device_posture WHERE device_id = $d;";
            command.Parameters.AddWithValue("$d", deviceId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : null;
        }
    }

    /// <summary>Every record, ordered by device id.</summary>
    public IReadOnlyList<DevicePosture> List()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM device_posture ORDER BY device_id;";
            using var reader = command.ExecuteReader();
            var list = new List<DevicePosture>();
            while (reader.Read())
            {
                list.Add(Read(reader));
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
    /// Writes <paramref name="posture"/> (insert or replace); when <paramref name="newEpoch"/>
    /// is true the epoch is also added to the history, in the same transaction.
    /// </summary>
    public void Save(DevicePosture posture, bool newEpoch = false)
    {
        ArgumentNullException.ThrowIfNull(posture);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction(deferred: false);
            using (var command = _connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"""
                    INSERT OR REPLACE INTO device_posture ({Columns}) VALUES
                    ($d, $c, $serial, $kid, $epoch, $chain, $boot, $fw, $fwv, $seq, $last, $v, $why, $since, $evidence, $silent, $boots, $op, $cmd);
                    """;
                var p = command.Parameters;
                p.AddWithValue("$d", posture.DeviceId);
                p.AddWithValue("$c", posture.DeviceClass);
                p.AddWithValue("$serial", posture.CertificateSerial);
                p.AddWithValue("$kid", posture.KeyId);
                p.AddWithValue("$epoch", ToMilliseconds(posture.EpochStartedAt));
                p.AddWithValue("$chain", posture.ChainState);
                p.AddWithValue("$boot", posture.BootCount is { } b ? (long)b : DBNull.Value);
                p.AddWithValue("$fw", (object?)posture.FirmwareDigest ?? DBNull.Value);
                p.AddWithValue("$fwv", (object?)posture.FirmwareVersion ?? DBNull.Value);
                // SQLite integers are signed 64-bit; a sequence above long.MaxValue is stored as its bit pattern.
                p.AddWithValue("$seq", posture.LastSequence is { } s ? unchecked((long)s) : DBNull.Value);
                p.AddWithValue("$last", posture.LastHeartbeatAt is { } l ? ToMilliseconds(l) : DBNull.Value);
                p.AddWithValue("$v", PostureVerdictNames.Of(posture.Verdict));
                p.AddWithValue("$why", posture.VerdictReason);
                p.AddWithValue("$since", ToMilliseconds(posture.VerdictSince));
                p.AddWithValue("$evidence", (object?)posture.Evidence ?? DBNull.Value);
                p.AddWithValue("$silent", posture.Silent ? 1 : 0);
                p.AddWithValue("$boots", JsonSerializer.Serialize(posture.RecentBoots.ConvertAll(ToMilliseconds)));
                p.AddWithValue("$op", posture.OperatingConfirmed ? 1 : 0);
                p.AddWithValue("$cmd", unchecked((long)posture.NextCommandId));
                command.ExecuteNonQuery();
            }

            if (newEpoch)
            {
                using var epoch = _connection.CreateCommand();
                epoch.Transaction = transaction;
                epoch.CommandText = "INSERT OR IGNORE INTO key_epochs (device_id, certificate_serial, key_id, started_at) VALUES ($d, $s, $k, $t);";
                epoch.Parameters.AddWithValue("$d", posture.DeviceId);
                epoch.Parameters.AddWithValue("$s", posture.CertificateSerial);
                epoch.Parameters.AddWithValue("$k", posture.KeyId);
                epoch.Parameters.AddWithValue("$t", ToMilliseconds(posture.EpochStartedAt));
                epoch.ExecuteNonQuery();
            }

            transaction.Commit();
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
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using var transaction = _connection.BeginTransaction(deferred: false);
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE device_posture SET next_command_id = next_command_id + 1 WHERE device_id = $d RETURNING next_command_id - 1;";
            command.Parameters.AddWithValue("$d", deviceId);
            var id = command.ExecuteScalar() ?? throw new InvalidOperationException($"device '{deviceId}' has no key epoch at this gateway yet: no command can be sent");
            transaction.Commit();
            return unchecked((ulong)Convert.ToInt64(id, CultureInfo.InvariantCulture));
        }
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

    private static long ToMilliseconds(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static DateTimeOffset FromMilliseconds(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
