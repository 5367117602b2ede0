using System;
using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>A revoked certificate as a CRL lists it.</summary>
/// <param name="SerialHex">Its serial number (upper-case hex).</param>
/// <param name="RevokedAt">When it was revoked.</param>
/// <param name="Decommissioned">True when the device was decommissioned rather than revoked.</param>
public sealed record CrlEntry(string SerialHex, DateTimeOffset RevokedAt, bool Decommissioned);

public sealed partial class DeviceInventory
{
    /// <summary>
    /// The revoked certificates <paramref name="issuer"/> (a distinguished name, as recorded)
    /// issued, oldest revocation first: the entries of that issuer's CRL.
    /// </summary>
    public IReadOnlyList<CrlEntry> ListRevokedCertificates(string issuer)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        lock (_gate)
        {
            ThrowIfDisposed();
            using var command = Command(null, """
                SELECT c.serial_hex, c.revoked_at, r.decommissioned FROM certificates c JOIN revocations r ON r.revocation_id = c.revocation_id
                WHERE c.issuer = $i AND c.status = 'revoked' ORDER BY c.revoked_at, c.serial_hex;
                """);
            command.Parameters.AddWithValue("$i", issuer);
            using var reader = command.ExecuteReader();
            var entries = new List<CrlEntry>();
            while (reader.Read())
            {
                entries.Add(new CrlEntry(reader.GetString(0), InventoryNames.FromMilliseconds(reader.GetInt64(1)), reader.GetInt64(2) != 0));
            }

            return entries;
        }
    }
}
