using System;
using System.Text.Json.Serialization;

namespace IoTSec.Provision.Ledger;

/// <summary>
/// One provisioned unit's birth record (docs/provisioning.md, "Birth ledger"): who, which
/// station, when, which device, its certificate's fingerprint, its firmware, its lock state and
/// the hardening it reported. <see cref="Previous"/> chains each record to the one before, so a
/// record removed or reordered breaks the chain as surely as one edited breaks its signature.
/// </summary>
public sealed record BirthRecord
{
    /// <summary>Position in the ledger, from 1.</summary>
    [JsonPropertyName("sequence")]
    public required long Sequence { get; init; }

    /// <summary>SHA-256 (hex) of the previous line as stored, or 64 zeros for the first.</summary>
    [JsonPropertyName("previous")]
    public required string Previous { get; init; }

    /// <summary>When the unit was committed (UTC).</summary>
    [JsonPropertyName("time")]
    public required DateTimeOffset Time { get; init; }

    /// <summary>The technician or line operator (the account that ran the tool, or --operator).</summary>
    [JsonPropertyName("operator")]
    public required string Operator { get; init; }

    /// <summary>SHA-256 (hex) of the station certificate that issued and signed.</summary>
    [JsonPropertyName("station")]
    public required string Station { get; init; }

    /// <summary>The device's hardware id.</summary>
    [JsonPropertyName("hardwareId")]
    public required string HardwareId { get; init; }

    /// <summary>The board profile the device reported.</summary>
    [JsonPropertyName("board")]
    public required string Board { get; init; }

    /// <summary>The device class it was given.</summary>
    [JsonPropertyName("deviceClass")]
    public required string DeviceClass { get; init; }

    /// <summary>SHA-256 (hex) of the birth certificate (DER).</summary>
    [JsonPropertyName("certificateSha256")]
    public required string CertificateSha256 { get; init; }

    /// <summary>The birth certificate, base64 DER, so an importer can check its chain.</summary>
    [JsonPropertyName("certificate")]
    public required string Certificate { get; init; }

    /// <summary>The running firmware's version.</summary>
    [JsonPropertyName("firmwareVersion")]
    public required string FirmwareVersion { get; init; }

    /// <summary>SHA-256 (hex) of the running firmware image.</summary>
    [JsonPropertyName("firmwareDigest")]
    public required string FirmwareDigest { get; init; }

    /// <summary>Unlocked or Locked, when the record was written.</summary>
    [JsonPropertyName("lock")]
    public required string Lock { get; init; }

    /// <summary>Secure boot as reported: Yes, No or Unknown.</summary>
    [JsonPropertyName("secureBoot")]
    public required string SecureBoot { get; init; }

    /// <summary>Flash encryption as reported.</summary>
    [JsonPropertyName("flashEncryption")]
    public required string FlashEncryption { get; init; }

    /// <summary>Debug ports disabled as reported.</summary>
    [JsonPropertyName("debugPortsDisabled")]
    public required string DebugPortsDisabled { get; init; }
}
