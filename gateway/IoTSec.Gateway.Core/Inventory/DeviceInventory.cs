using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// The gateway's device inventory (inventory.db): which devices may enrol, their state, the
/// certificates issued to them and their revocations. Mutations are committed with a full
/// sync before the method returns, published to <see cref="Revocations"/> when they revoke,
/// and written to the audit log when one is given.
/// </summary>
/// <remarks>
/// One connection, used under one lock: SQLite has a single writer anyway, and the hot path
/// (<see cref="IsRevoked(System.Security.Cryptography.X509Certificates.X509Certificate2)"/>, called by the broker on every connection) is
/// served from memory without touching the database. Another process (the CLI) may change
/// the same file; <see cref="PollRevocations"/> picks its revocations up.
/// </remarks>
public sealed partial class DeviceInventory : IDisposable
{
    // Beyond this an audit entry names the count only, to stay well under the details limit.
    private const int MaxIdsInAuditEntry = 100;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();
    private readonly RevokedSet _revoked = new();
    private readonly TimeProvider _time;
    private readonly AuditLog? _audit;
    private long _lastRevocationId;
    private bool _disposed;

    private DeviceInventory(string databasePath, SqliteConnection connection, RevocationEvents revocations, AuditLog? audit, TimeProvider time)
    {
        DatabasePath = databasePath;
        _connection = connection;
        Revocations = revocations;
        _audit = audit;
        _time = time;
    }

    /// <summary>The inventory's database file.</summary>
    public string DatabasePath { get; }

    /// <summary>Where committed revocations are published (subscribe here).</summary>
    public RevocationEvents Revocations { get; }

    /// <summary>Opens (creating when missing) the inventory at <paramref name="databasePath"/> and loads the revoked set.</summary>
    /// <param name="databasePath">The inventory.db file.</param>
    /// <param name="revocations">The event source to publish to; a new one when null.</param>
    /// <param name="audit">The audit log that records every mutation; none when null (tests).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="InventoryException"><see cref="InventoryErrorReason.UnsupportedDatabase"/>: a newer schema, or not an inventory.</exception>
    public static DeviceInventory Open(string databasePath, RevocationEvents? revocations = null, AuditLog? audit = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        SqliteConnection connection;
        try
        {
            connection = SqliteDatabase.Open(databasePath, InventorySchema.Name, InventorySchema.Migrations);
        }
        catch (DatabaseSchemaException e)
        {
            throw new InventoryException(InventoryErrorReason.UnsupportedDatabase, e.Message, e);
        }

        var inventory = new DeviceInventory(databasePath, connection, revocations ?? new RevocationEvents(), audit, timeProvider ?? TimeProvider.System);
        try
        {
            inventory.LoadRevokedSet();
            return inventory;
        }
        catch
        {
            inventory.Dispose();
            throw;
        }
    }

    /// <summary>The device, or null when it is not in the inventory.</summary>
    public DeviceRecord? Find(string deviceId)
    {
        InventoryText.RequireDeviceId(deviceId);
        lock (_gate)
        {
            ThrowIfDisposed();
            return FindDevice(deviceId, null);
        }
    }

    /// <summary>The device.</summary>
    /// <exception cref="InventoryException"><see cref="InventoryErrorReason.UnknownDevice"/>.</exception>
    public DeviceRecord Get(string deviceId) =>
        Find(deviceId) ?? throw UnknownDevice(deviceId);

    /// <summary>The device whose birth certificate has this SHA-256 fingerprint (first enrolment), or null.</summary>
    public DeviceRecord? FindByBirthCertificate(string birthCertificateSha256)
    {
        var fingerprint = InventoryText.RequireSha256(birthCertificateSha256);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = Command(null, $"SELECT {DeviceColumns} FROM devices WHERE birth_cert_sha256 = $f;");
            command.Parameters.AddWithValue("$f", fingerprint);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadDevice(reader) : null;
        }
    }

    /// <summary>Devices ordered by id, optionally only those in <paramref name="state"/> and of <paramref name="deviceClass"/>.</summary>
    public IReadOnlyList<DeviceRecord> List(DeviceState? state = null, string? deviceClass = null)
    {
        if (deviceClass is not null)
        {
            InventoryText.RequireDeviceClass(deviceClass);
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = Command(null, $"SELECT {DeviceColumns} FROM devices WHERE ($s IS NULL OR state = $s) AND ($c IS NULL OR device_class = $c) ORDER BY device_id;");
            command.Parameters.AddWithValue("$s", state is { } s ? InventoryNames.Of(s) : DBNull.Value);
            command.Parameters.AddWithValue("$c", (object?)deviceClass ?? DBNull.Value);
            using var reader = command.ExecuteReader();
            var devices = new List<DeviceRecord>();
            while (reader.Read())
            {
                devices.Add(ReadDevice(reader));
            }

            return devices;
        }
    }

    /// <summary>
    /// Registers every device of a manufacturing import file (CSV or JSON, see
    /// <see cref="DeviceImportFile"/>), all or none.
    /// </summary>
    /// <returns>How many devices were registered.</returns>
    /// <exception cref="InventoryException">The file is malformed, or a device id or birth certificate is already registered; the message names the line.</exception>
    public int Import(string filePath, string actor)
    {
        // Parse and fingerprint the same bytes, so the audit entry names exactly what was imported.
        var bytes = DeviceImportFile.Load(filePath);
        var fileName = Path.GetFileName(filePath);
        var entries = DeviceImportFile.Parse(fileName, bytes, DeviceImportFile.IsJson(filePath, bytes));
        var count = Insert(entries, fileName);
        _audit?.Append(AuditEventKind.DeviceImport, actor, fileName, new JsonObject
        {
            ["count"] = count,
            ["fileSha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes)),
        });
        return count;
    }

    /// <summary>Registers devices given in code (all or none), as <see cref="Import(string, string)"/> does for a file.</summary>
    public int Register(IReadOnlyList<DeviceImportEntry> entries, string actor)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var count = Insert(entries, "registration");
        var details = new JsonObject { ["count"] = count };
        if (entries.Count <= MaxIdsInAuditEntry)
        {
            var ids = new JsonArray();
            foreach (var entry in entries)
            {
                ids.Add(entry.DeviceId);
            }

            details["devices"] = ids;
        }

        _audit?.Append(AuditEventKind.DeviceImport, actor, "registration", details);
        return count;
    }

    /// <summary>
    /// Moves a device through <see cref="DeviceLifecycleEvent.OperatingConfirmed"/>,
    /// <see cref="DeviceLifecycleEvent.Quarantine"/> or <see cref="DeviceLifecycleEvent.Release"/>
    /// (revocation, decommissioning and enrolment have their own methods).
    /// </summary>
    /// <exception cref="InventoryException">Unknown device, or the transition is not in <see cref="DeviceLifecycle"/>.</exception>
    public DeviceRecord ApplyLifecycleEvent(string deviceId, DeviceLifecycleEvent lifecycleEvent, string actor, string? reason = null)
    {
        InventoryText.RequireDeviceId(deviceId);
        if (lifecycleEvent is not (DeviceLifecycleEvent.OperatingConfirmed or DeviceLifecycleEvent.Quarantine or DeviceLifecycleEvent.Release))
        {
            throw new ArgumentOutOfRangeException(nameof(lifecycleEvent), lifecycleEvent, "use Revoke, Decommission or RecordIssuedCertificate for this event");
        }

        var why = reason is null ? null : InventoryText.RequireFreeText(reason, "reason");
        DeviceRecord before;
        DeviceRecord after;
        lock (_gate)
        {
            ThrowIfDisposed();
            using var transaction = _connection.BeginTransaction(deferred: false);
            before = FindDevice(deviceId, transaction) ?? throw UnknownDevice(deviceId);
            var next = NextState(before, lifecycleEvent);
            SetState(deviceId, next, transaction);
            transaction.Commit();
            after = FindDevice(deviceId, null)!;
        }

        if (before.State != after.State)
        {
            var kind = lifecycleEvent switch
            {
                DeviceLifecycleEvent.Quarantine => AuditEventKind.Quarantine,
                DeviceLifecycleEvent.Release => AuditEventKind.QuarantineRelease,
                _ => AuditEventKind.DeviceStateChange,
            };
            _audit?.Append(kind, actor, deviceId, new JsonObject
            {
                ["from"] = before.State.ToString(),
                ["to"] = after.State.ToString(),
                ["reason"] = why,
            });
        }

        return after;
    }

    /// <summary>Records the device's latest posture verdict (not audited: it arrives with every heartbeat).</summary>
    /// <exception cref="InventoryException">Unknown or closed device, or an empty or over-long verdict.</exception>
    public DeviceRecord UpdatePosture(string deviceId, string verdict, DateTimeOffset? at = null)
    {
        InventoryText.RequireDeviceId(deviceId);
        var text = InventoryText.RequireFreeText(verdict, "posture verdict");
        lock (_gate)
        {
            ThrowIfDisposed();
            using var transaction = _connection.BeginTransaction(deferred: false);
            var device = FindDevice(deviceId, transaction) ?? throw UnknownDevice(deviceId);
            if (DeviceLifecycle.IsClosed(device.State))
            {
                throw new InventoryException(InventoryErrorReason.InvalidStateTransition, $"device '{deviceId}' is {device.State.ToString().ToLowerInvariant()}: no posture is recorded for it");
            }

            var now = InventoryNames.ToMilliseconds(_time.GetUtcNow());
            using var command = Command(transaction, "UPDATE devices SET posture_verdict = $v, posture_at = $at, updated_at = $now WHERE device_id = $d;");
            command.Parameters.AddWithValue("$v", text);
            command.Parameters.AddWithValue("$at", at is { } a ? InventoryNames.ToMilliseconds(a) : now);
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$d", deviceId);
            command.ExecuteNonQuery();
            transaction.Commit();
            return FindDevice(deviceId, null)!;
        }
    }

    /// <summary>Closes the database. The audit log passed to <see cref="Open"/> is not disposed.</summary>
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

    private int Insert(IReadOnlyList<DeviceImportEntry> entries, string source)
    {
        foreach (var entry in entries)
        {
            InventoryText.RequireDeviceId(entry.DeviceId);
            InventoryText.RequireDeviceClass(entry.DeviceClass);
            InventoryText.RequireSha256(entry.BirthCertificateSha256);
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            using var transaction = _connection.BeginTransaction(deferred: false);
            var now = InventoryNames.ToMilliseconds(_time.GetUtcNow());
            using var exists = Command(transaction, "SELECT device_id, birth_cert_sha256 = $f FROM devices WHERE device_id = $d OR birth_cert_sha256 = $f LIMIT 1;");
            var existsDevice = exists.Parameters.Add("$d", SqliteType.Text);
            var existsFingerprint = exists.Parameters.Add("$f", SqliteType.Text);
            using var insert = Command(transaction, """
                INSERT INTO devices (device_id, device_class, state, birth_cert_sha256, created_at, updated_at)
                VALUES ($d, $c, 'registered', $f, $now, $now);
                """);
            var insertDevice = insert.Parameters.Add("$d", SqliteType.Text);
            var insertClass = insert.Parameters.Add("$c", SqliteType.Text);
            var insertFingerprint = insert.Parameters.Add("$f", SqliteType.Text);
            insert.Parameters.AddWithValue("$now", now);

            foreach (var entry in entries)
            {
                var fingerprint = InventoryText.RequireSha256(entry.BirthCertificateSha256);
                existsDevice.Value = entry.DeviceId;
                existsFingerprint.Value = fingerprint;
                using (var reader = exists.ExecuteReader())
                {
                    if (reader.Read())
                    {
                        var message = reader.GetInt64(1) == 1
                            ? $"birth certificate {fingerprint} is already registered to device '{reader.GetString(0)}'"
                            : $"device '{entry.DeviceId}' is already in the inventory";
                        throw entry.LineNumber > 0
                            ? new InventoryException(InventoryErrorReason.AlreadyExists, source, entry.LineNumber, message)
                            : new InventoryException(InventoryErrorReason.AlreadyExists, message);
                    }
                }

                insertDevice.Value = entry.DeviceId;
                insertClass.Value = entry.DeviceClass;
                insertFingerprint.Value = fingerprint;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return entries.Count;
        }
    }

    private static DeviceState NextState(DeviceRecord device, DeviceLifecycleEvent lifecycleEvent) =>
        DeviceLifecycle.TryNext(device.State, lifecycleEvent, out var next)
            ? next
            : throw new InventoryException(
                InventoryErrorReason.InvalidStateTransition,
                $"device '{device.DeviceId}' is {device.State.ToString().ToLowerInvariant()}: '{lifecycleEvent}' is not allowed in that state");

    private void SetState(string deviceId, DeviceState state, SqliteTransaction transaction)
    {
        var now = InventoryNames.ToMilliseconds(_time.GetUtcNow());
        using var command = Command(transaction, """
            UPDATE devices SET state = $s, updated_at = $now,
                closed_at = CASE WHEN $s = 'decommissioned' THEN $now ELSE closed_at END
            WHERE device_id = $d;
            """);
        command.Parameters.AddWithValue("$s", InventoryNames.Of(state));
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$d", deviceId);
        command.ExecuteNonQuery();
    }

    private const string DeviceColumns = "device_id, device_class, state, birth_cert_sha256, created_at, updated_at, posture_verdict, posture_at, closed_at";

    private DeviceRecord? FindDevice(string deviceId, SqliteTransaction? transaction)
    {
        using var command = Command(transaction, $"SELECT {DeviceColumns} FROM devices WHERE device_id = $d;");
        command.Parameters.AddWithValue("$d", deviceId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadDevice(reader) : null;
    }

    private static DeviceRecord ReadDevice(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        InventoryNames.ParseState(reader.GetString(2)),
        reader.GetString(3),
        InventoryNames.FromMilliseconds(reader.GetInt64(4)),
        InventoryNames.FromMilliseconds(reader.GetInt64(5)),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : InventoryNames.FromMilliseconds(reader.GetInt64(7)),
        reader.IsDBNull(8) ? null : InventoryNames.FromMilliseconds(reader.GetInt64(8)));

    private SqliteCommand Command(SqliteTransaction? transaction, string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static InventoryException UnknownDevice(string deviceId) =>
        new(InventoryErrorReason.UnknownDevice, $"no device '{deviceId}' in the inventory");

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
