using System;
using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>
/// A committed revocation, as <see cref="RevocationEvents"/> delivers it to live sessions:
/// the broker drops the device's connections, the EST service refuses its requests in
/// flight, downloads stop.
/// </summary>
/// <param name="RevocationId">Increasing id of the revocation in the inventory.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="Reason">The operator's reason.</param>
/// <param name="RevokedAt">When it was committed.</param>
/// <param name="Decommissioned">True when the device was decommissioned (entry closed), not only revoked.</param>
/// <param name="Certificates">Every certificate the revocation covered (may be empty for a device that never enrolled).</param>
public sealed record DeviceRevoked(
    long RevocationId,
    string DeviceId,
    string Reason,
    DateTimeOffset RevokedAt,
    bool Decommissioned,
    IReadOnlyList<RevokedCertificate> Certificates);
