using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>Certificates issued to devices: recording, superseding, look-ups for the EST service.</summary>
public sealed partial class DeviceInventory
{
    private const string CertificateColumns =
        "issuer, serial_hex, device_id, sha256, kind, status, not_before, not_after, recorded_at, revoked_at, revocation_reason";

    /// <summary>
    /// Records a certificate issued to (operational) or presented by (birth) a device. A new
    /// operational certificate supersedes the device's active one in the same transaction —
    /// one active operational certificate per device, which a partial unique index also
    /// enforces — and moves the device to <see cref="DeviceState.Enrolled"/> on its first
    /// enrolment. A birth certificate must have the fingerprint the device was imported with.
    /// Recording the same certificate again returns the existing record.
    /// </summary>
    /// <exception cref="InventoryException">Unknown device; a revoked, decommissioned (or, for operational, otherwise not enrollable) device; a birth certificate that is not the device's; a serial or certificate already recorded for another device.</exception>
    public IssuedCertificateRecord RecordIssuedCertificate(string deviceId, X509Certificate2 certificate, CertificateKind kind = CertificateKind.Operational, string actor = "est")
    {
        InventoryText.RequireDeviceId(deviceId);
        var prepared = CertificateToRecord.Of(certificate, kind);
        RecordedCertificate recorded;
        lock (_gate)
        {
            ThrowIfDisposed();
            using var transaction = _connection.BeginTransaction(deferred: false);
            recorded = RecordCertificate(deviceId, prepared, transaction);
            if (recorded.IsNew)
            {
                transaction.Commit();
            }
        }

        if (recorded.IsNew && kind == CertificateKind.Operational)
        {
            _audit?.Append(EnrolmentAuditEntry(actor, deviceId, recorded));
        }

        return recorded.Record;
    }

    /// <summary>
    /// The inventory work of recording one certificate, inside the caller's write transaction:
    /// the checks, superseding the device's active operational certificate, the state change
    /// and the insert. Throws <see cref="InventoryException"/> having written nothing the
    /// caller must keep (roll back to before the call).
    /// </summary>
    private RecordedCertificate RecordCertificate(string deviceId, CertificateToRecord certificate, SqliteTransaction transaction)
    {
        var device = FindDevice(deviceId, transaction) ?? throw UnknownDevice(deviceId);
        if (DeviceLifecycle.IsClosed(device.State))
        {
            throw new InventoryException(InventoryErrorReason.InvalidStateTransition, $"device '{deviceId}' is {device.State.ToString().ToLowerInvariant()}: no certificate is recorded for it");
        }

        var existing = FindCertificate(certificate.Issuer, certificate.Serial, transaction);
        if (existing is not null)
        {
            if (existing.DeviceId == deviceId && existing.Sha256 == certificate.Sha256)
            {
                return new RecordedCertificate(existing, IsNew: false, Superseded: []);
            }

            throw new InventoryException(InventoryErrorReason.InvalidCertificate, $"serial {certificate.Serial} of '{certificate.Issuer}' is already recorded for device '{existing.DeviceId}'");
        }

        var now = InventoryNames.ToMilliseconds(_time.GetUtcNow());
        var superseded = new List<string>();
        if (certificate.Kind == CertificateKind.Birth)
        {
            if (!string.Equals(certificate.Sha256, device.BirthCertificateSha256, StringComparison.Ordinal))
            {
                throw new InventoryException(InventoryErrorReason.InvalidCertificate, $"the certificate's fingerprint {certificate.Sha256} is not the birth certificate registered for device '{deviceId}'");
            }
        }
        else
        {
            var next = NextState(device, DeviceLifecycleEvent.CertificateIssued);
            using (var supersede = Command(transaction, """
                UPDATE certificates SET status = 'superseded', superseded_at = $now
                WHERE device_id = $d AND kind = 'operational' AND status = 'active'
                RETURNING serial_hex;
                """))
            {
                supersede.Parameters.AddWithValue("$now", now);
                supersede.Parameters.AddWithValue("$d", deviceId);
                using var reader = supersede.ExecuteReader();
                while (reader.Read())
                {
                    superseded.Add(reader.GetString(0));
                }
            }

            SetState(deviceId, next, transaction);
        }

        using (var insert = Command(transaction, """
            INSERT INTO certificates (issuer, serial_hex, device_id, sha256, kind, status, not_before, not_after, recorded_at)
            VALUES ($issuer, $serial, $d, $sha, $kind, 'active', $nb, $na, $now);
            """))
        {
            insert.Parameters.AddWithValue("$issuer", certificate.Issuer);
            insert.Parameters.AddWithValue("$serial", certificate.Serial);
            insert.Parameters.AddWithValue("$d", deviceId);
            insert.Parameters.AddWithValue("$sha", certificate.Sha256);
            insert.Parameters.AddWithValue("$kind", InventoryNames.Of(certificate.Kind));
            insert.Parameters.AddWithValue("$nb", certificate.NotBefore);
            insert.Parameters.AddWithValue("$na", certificate.NotAfter);
            insert.Parameters.AddWithValue("$now", now);
            try
            {
                insert.ExecuteNonQuery();
            }
            catch (SqliteException e) when (e.SqliteErrorCode == 19)
            {
                // SQLITE_CONSTRAINT: the same DER under another (issuer, serial) key, or a second birth certificate.
                throw new InventoryException(InventoryErrorReason.InvalidCertificate, $"certificate {certificate.Sha256} cannot be recorded for device '{deviceId}': {e.Message}", e);
            }
        }

        return new RecordedCertificate(FindCertificate(certificate.Issuer, certificate.Serial, transaction)!, IsNew: true, superseded);
    }

    private static AuditAppend EnrolmentAuditEntry(string actor, string deviceId, RecordedCertificate recorded)
    {
        var supersededJson = new JsonArray();
        foreach (var s in recorded.Superseded)
        {
            supersededJson.Add(s);
        }

        var record = recorded.Record;
        return new AuditAppend(AuditEventKind.Enrolment, actor, deviceId, new JsonObject
        {
            ["issuer"] = record.Issuer,
            ["serial"] = record.SerialHex,
            ["sha256"] = record.Sha256,
            ["notAfter"] = record.NotAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["superseded"] = supersededJson,
        });
    }

    /// <summary>The recorded certificate with this issuer and serial, or null.</summary>
    public IssuedCertificateRecord? FindCertificate(string issuer, string serialHex)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        var serial = InventoryText.RequireSerial(serialHex);
        lock (_gate)
        {
            ThrowIfDisposed();
            return FindCertificate(issuer, serial, null);
        }
    }

    /// <summary>The inventory's record of <paramref name="certificate"/>, or null when it was never recorded.</summary>
    public IssuedCertificateRecord? FindCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return FindCertificate(certificate.IssuerName.Name, certificate.SerialNumber);
    }

    /// <summary>The device's active operational certificate, or null.</summary>
    public IssuedCertificateRecord? GetActiveOperationalCertificate(string deviceId)
    {
        InventoryText.RequireDeviceId(deviceId);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = Command(null, $"SELECT {CertificateColumns} FROM certificates WHERE device_id = $d AND kind = 'operational' AND status = 'active';");
            command.Parameters.AddWithValue("$d", deviceId);
            using var reader = command.ExecuteReader();
            return reader.Read() ? ReadCertificate(reader) : null;
        }
    }

    /// <summary>Every certificate recorded for the device, oldest first.</summary>
    public IReadOnlyList<IssuedCertificateRecord> ListCertificates(string deviceId)
    {
        InventoryText.RequireDeviceId(deviceId);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = Command(null, $"SELECT {CertificateColumns} FROM certificates WHERE device_id = $d ORDER BY recorded_at, rowid;");
            command.Parameters.AddWithValue("$d", deviceId);
            using var reader = command.ExecuteReader();
            var certificates = new List<IssuedCertificateRecord>();
            while (reader.Read())
            {
                certificates.Add(ReadCertificate(reader));
            }

            return certificates;
        }
    }

    private IssuedCertificateRecord? FindCertificate(string issuer, string serial, SqliteTransaction? transaction)
    {
        using var command = Command(transaction, $"SELECT {CertificateColumns} FROM certificates WHERE issuer = $i AND serial_hex = $s;");
        command.Parameters.AddWithValue("$i", issuer);
        command.Parameters.AddWithValue("$s", serial);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadCertificate(reader) : null;
    }

    private static IssuedCertificateRecord ReadCertificate(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        InventoryNames.ParseKind(reader.GetString(4)),
        InventoryNames.ParseStatus(reader.GetString(5)),
        InventoryNames.FromMilliseconds(reader.GetInt64(6)),
        InventoryNames.FromMilliseconds(reader.GetInt64(7)),
        InventoryNames.FromMilliseconds(reader.GetInt64(8)),
        reader.IsDBNull(9) ? null : InventoryNames.FromMilliseconds(reader.GetInt64(9)),
        reader.IsDBNull(10) ? null : reader.GetString(10));
}

/// <summary>What the inventory stores of a certificate, computed before any lock is taken.</summary>
internal sealed record CertificateToRecord(string Issuer, string Serial, string Sha256, CertificateKind Kind, long NotBefore, long NotAfter)
{
    public static CertificateToRecord Of(X509Certificate2 certificate, CertificateKind kind)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown certificate kind");
        }

        return new CertificateToRecord(
            certificate.IssuerName.Name,
            InventoryText.RequireSerial(certificate.SerialNumber),
            Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)),
            kind,
            InventoryNames.ToMilliseconds(new DateTimeOffset(certificate.NotBefore.ToUniversalTime())),
            InventoryNames.ToMilliseconds(new DateTimeOffset(certificate.NotAfter.ToUniversalTime())));
    }
}

/// <summary>The outcome of recording one certificate: its row, whether it was new, and the serials it superseded.</summary>
internal sealed record RecordedCertificate(IssuedCertificateRecord Record, bool IsNew, IReadOnlyList<string> Superseded);
