using System;

namespace IoTSec.Gateway.Core.Inventory;

/// <summary>One device as the inventory knows it.</summary>
/// <param name="DeviceId">The identifier in the device's certificates ([A-Za-z0-9._-]{1,64}).</param>
/// <param name="DeviceClass">The class whose protocol allowlist applies.</param>
/// <param name="State">Where the device is in its life.</param>
/// <param name="BirthCertificateSha256">SHA-256 of the birth certificate's DER, lowercase hex.</param>
/// <param name="CreatedAt">When the device was imported.</param>
/// <param name="UpdatedAt">When the entry last changed.</param>
/// <param name="LastPostureVerdict">The last posture verdict, if any.</param>
/// <param name="LastPostureAt">When that verdict was made.</param>
/// <param name="ClosedAt">When the entry was closed (decommissioned).</param>
public sealed record DeviceRecord(
    string DeviceId,
    string DeviceClass,
    DeviceState State,
    string BirthCertificateSha256,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? LastPostureVerdict,
    DateTimeOffset? LastPostureAt,
    DateTimeOffset? ClosedAt);
