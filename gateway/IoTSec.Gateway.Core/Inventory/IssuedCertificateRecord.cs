using System;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>A certificate the inventory tracks for a device. Identified by (issuer, serial): serials are unique per issuer only (RFC 5280 §4.1.2.2).</summary>
/// <param name="Issuer">The issuer's distinguished name as .NET formats it (<c>X500DistinguishedName.Name</c>).</param>
/// <param name="SerialHex">The serial number, uppercase hex without leading zero bytes.</param>
/// <param name="DeviceId">The device it belongs to.</param>
/// <param name="Sha256">SHA-256 of the certificate's DER, lowercase hex.</param>
/// <param name="Kind">Birth or operational.</param>
/// <param name="Status">Active, superseded or revoked.</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
/// <param name="RecordedAt">When the inventory recorded it.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="RevocationReason">The operator's reason, if revoked.</param>
public sealed record IssuedCertificateRecord(
    string Issuer,
    string SerialHex,
    string DeviceId,
    string Sha256,
    CertificateKind Kind,
    CertificateStatus Status,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    DateTimeOffset RecordedAt,
    DateTimeOffset? RevokedAt,
    string? RevocationReason);
