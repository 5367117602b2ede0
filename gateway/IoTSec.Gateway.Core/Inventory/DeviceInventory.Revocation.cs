using System;
using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>Revocation, decommissioning, the in-memory revoked set and its synchronization.</summary>
public sealed partial class DeviceInventory
{
    /// <summary>
    /// Revokes every certificate of the device not yet revoked (operational, superseded and
    /// its birth certificate, so it can neither connect nor enrol again) and marks it
    /// <see cref="DeviceState.Revoked"/>. When this returns the revocation is committed,
    /// <see cref="IsRevoked(X509Certificate2)"/> answers true for its certificates, and
    /// <see cref="Revocations"/> subscribers have it in their queues.
    /// </summary>
    /// <exception cref="InventoryException">Unknown device, already revoked or decommissioned, or an empty reason.</exception>
    public DeviceRevoked Revoke(string deviceId, string reason, string actor = "system") =>
        Close(deviceId, InventoryText.RequireFreeText(reason, "revocation reason"), actor, decommission: false);

    /// <summary>
    /// Retires the device: revokes whatever is still unrevoked, as <see cref="Revoke"/> does,
    /// and closes its entry (<see cref="DeviceState.Decommissioned"/>, kept as history).
    /// </summary>
    /// <exception cref="InventoryException">Unknown or already decommissioned device.</exception>
    public DeviceRevoked Decommission(string deviceId, string actor = "system", string reason = "decommissioned") =>
        Close(deviceId, InventoryText.RequireFreeText(reason, "decommission reason"), actor, decommission: true);

    /// <summary>True when <paramref name="certificate"/> (by issuer and serial) is revoked. Memory only: safe and cheap on every connection.</summary>
    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return IsRevoked(certificate.IssuerName.Name, certificate.SerialNumber);
    }

    /// <summary>True when the certificate with this issuer and serial (hex, any case, colons allowed) is revoked. Memory only.</summary>
    public bool IsRevoked(string issuer, string serialHex)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        // An unparsable serial cannot be ours: not revoked, and the TLS layer refuses it anyway.
        return InventoryText.TryNormalizeSerial(serialHex, out var serial) && _revoked.ContainsCertificate(issuer, serial);
    }

    /// <summary>True when the device is revoked or decommissioned. Memory only.</summary>
    public bool IsDeviceRevoked(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return _revoked.ContainsDevice(deviceId);
    }

    /// <summary>How many revoked certificates the in-memory set holds.</summary>
    public int RevokedCertificateCount => _revoked.CertificateCount;

    /// <summary>
    /// Picks up revocations committed by another process on the same file (the
    /// <c>devices revoke</c> verb while the daemon runs): updates the revoked set and
    /// publishes them. The daemon calls this periodically (<see cref="RevocationPoller"/>).
    /// </summary>
    /// <returns>The revocations newly seen.</returns>
    public IReadOnlyList<DeviceRevoked> PollRevocations()
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            return PublishNewRevocations();
        }
    }

    private DeviceRevoked Close(string deviceId, string reason, string actor, bool decommission)
    {
        InventoryText.RequireDeviceId(deviceId);
        DeviceRevoked? revocation = null;
        lock (_gate)
        {
            ThrowIfDisposed();
            long revocationId;
            using (var transaction = _connection.BeginTransaction(deferred: false))
            {
                var device = FindDevice(deviceId, transaction) ?? throw UnknownDevice(deviceId);
                var next = NextState(device, decommission ? DeviceLifecycleEvent.Decommission : DeviceLifecycleEvent.Revoke);
                var now = InventoryNames.ToMilliseconds(_time.GetUtcNow());
                using (var insert = Command(transaction, """
                    INSERT INTO revocations (device_id, reason, revoked_at, decommissioned) VALUES ($d, $r, $now, $dec)
                    RETURNING revocation_id;
                    """))
                {
                    insert.Parameters.AddWithValue("$d", deviceId);
                    insert.Parameters.AddWithValue("$r", reason);
                    insert.Parameters.AddWithValue("$now", now);
                    insert.Parameters.AddWithValue("$dec", decommission ? 1 : 0);
                    revocationId = (long)insert.ExecuteScalar()!;
                }

                using (var revoke = Command(transaction, """
                    UPDATE certificates SET status = 'revoked', revoked_at = $now, revocation_id = $id, revocation_reason = $r
                    WHERE device_id = $d AND status <> 'revoked';
                    """))
                {
                    revoke.Parameters.AddWithValue("$now", now);
                    revoke.Parameters.AddWithValue("$id", revocationId);
                    revoke.Parameters.AddWithValue("$r", reason);
                    revoke.Parameters.AddWithValue("$d", deviceId);
                    revoke.ExecuteNonQuery();
                }

                SetState(deviceId, next, transaction);
                transaction.Commit();
            }

            // One path for our own and other processes' revocations: read back what is newer
            // than the last one seen, in commit order, update the set, publish.
            foreach (var published in PublishNewRevocations())
            {
                if (published.RevocationId == revocationId)
                {
                    revocation = published;
                }
            }
        }

        if (revocation is null)
        {
            throw new InvalidOperationException($"revocation of '{deviceId}' was committed but not read back");
        }

        var serials = new JsonArray();
        foreach (var certificate in revocation.Certificates)
        {
            serials.Add(new JsonObject { ["issuer"] = certificate.Issuer, ["serial"] = certificate.SerialHex, ["kind"] = certificate.Kind.ToString() });
        }

        _audit?.Append(decommission ? AuditEventKind.Decommission : AuditEventKind.Revocation, actor, deviceId, new JsonObject
        {
            ["reason"] = reason,
            ["revocationId"] = revocation.RevocationId,
            ["certificates"] = serials,
        });
        return revocation;
    }

    private void LoadRevokedSet()
    {
        lock (_gate)
        {
            using (var certificates = Command(null, "SELECT issuer, serial_hex FROM certificates WHERE status = 'revoked';"))
            using (var reader = certificates.ExecuteReader())
            {
                while (reader.Read())
                {
                    _revoked.AddCertificate(reader.GetString(0), reader.GetString(1));
                }
            }

            using (var devices = Command(null, "SELECT device_id FROM devices WHERE state IN ('revoked', 'decommissioned');"))
            using (var reader = devices.ExecuteReader())
            {
                while (reader.Read())
                {
                    _revoked.AddDevice(reader.GetString(0));
                }
            }

            using var last = Command(null, "SELECT coalesce(max(revocation_id), 0) FROM revocations;");
            _lastRevocationId = (long)last.ExecuteScalar()!;
        }
    }

    private List<DeviceRevoked> PublishNewRevocations()
    {
        var found = new List<DeviceRevoked>();
        using (var command = Command(null, """
            SELECT revocation_id, device_id, reason, revoked_at, decommissioned FROM revocations
            WHERE revocation_id > $last ORDER BY revocation_id;
            """))
        {
            command.Parameters.AddWithValue("$last", _lastRevocationId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                found.Add(new DeviceRevoked(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    InventoryNames.FromMilliseconds(reader.GetInt64(3)),
                    reader.GetInt64(4) == 1,
                    []));
            }
        }

        for (var i = 0; i < found.Count; i++)
        {
            var certificates = RevokedCertificatesOf(found[i].RevocationId);
            found[i] = found[i] with { Certificates = certificates };
            foreach (var certificate in certificates)
            {
                _revoked.AddCertificate(certificate.Issuer, certificate.SerialHex);
            }

            _revoked.AddDevice(found[i].DeviceId);
            _lastRevocationId = found[i].RevocationId;
            // After the set: a subscriber that re-checks IsRevoked on the event sees true.
            Revocations.Publish(found[i]);
        }

        return found;
    }

    private List<RevokedCertificate> RevokedCertificatesOf(long revocationId)
    {
        using var command = Command(null, "SELECT issuer, serial_hex, kind FROM certificates WHERE revocation_id = $id ORDER BY rowid;");
        command.Parameters.AddWithValue("$id", revocationId);
        using var reader = command.ExecuteReader();
        var certificates = new List<RevokedCertificate>();
        while (reader.Read())
        {
            certificates.Add(new RevokedCertificate(reader.GetString(0), reader.GetString(1), InventoryNames.ParseKind(reader.GetString(2))));
        }

        return certificates;
    }
}
