namespace IoTSec.Gateway.Core.Inventory;

/// <summary>Why the inventory refused an operation. The reason reaches the CLI's message, logs and the audit log.</summary>
public enum InventoryErrorReason
{
    /// <summary>No device with that id.</summary>
    UnknownDevice = 1,

    /// <summary>A device with that id, or that birth certificate, is already in the inventory (or twice in one import).</summary>
    AlreadyExists = 2,

    /// <summary>A device id outside [A-Za-z0-9._-]{1,64}.</summary>
    InvalidDeviceId = 3,

    /// <summary>A device class outside [A-Za-z0-9._-]{1,64}.</summary>
    InvalidDeviceClass = 4,

    /// <summary>A fingerprint that is not 32 bytes of hex.</summary>
    InvalidFingerprint = 5,

    /// <summary>An import file that cannot be read or parsed; the exception names the line.</summary>
    InvalidImportFile = 6,

    /// <summary>The device's state does not allow the operation (for example revoking a decommissioned device).</summary>
    InvalidStateTransition = 7,

    /// <summary>A certificate that cannot be recorded: not a device certificate of ours, a serial already recorded for another device, or a birth certificate whose fingerprint is not the device's.</summary>
    InvalidCertificate = 8,

    /// <summary>A revocation reason, posture verdict or actor that is empty, too long or contains control characters.</summary>
    InvalidText = 9,

    /// <summary>The database schema is newer than this gateway, or the file is not an inventory.</summary>
    UnsupportedDatabase = 10,

    /// <summary>The write failed (I/O error, disk full, another process's lock held too long): nothing of the request was committed.</summary>
    WriteFailed = 11,
}
