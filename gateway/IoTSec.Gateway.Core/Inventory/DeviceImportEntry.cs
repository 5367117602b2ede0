namespace IoTSec.Gateway.Core.Inventory;

/// <summary>One device to register, as read from a manufacturing import file.</summary>
/// <param name="DeviceId">The device id, validated.</param>
/// <param name="DeviceClass">The device class, validated.</param>
/// <param name="BirthCertificateSha256">The birth certificate's SHA-256 fingerprint, normalized to lowercase hex.</param>
/// <param name="LineNumber">Where the entry starts in its file (0 when it did not come from a file).</param>
public sealed record DeviceImportEntry(string DeviceId, string DeviceClass, string BirthCertificateSha256, int LineNumber = 0);
