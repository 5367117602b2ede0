namespace IoTSec.Provision;

/// <summary>
/// The tool's exit codes, stable for scripts and the factory line (docs/provisioning.md lists
/// them). Each failure class has its own code so a line controller can route the unit.
/// </summary>
public enum ExitCode
{
    /// <summary>Done.</summary>
    Ok = 0,

    /// <summary>Bad command line (System.CommandLine's own parse errors also return this).</summary>
    Usage = 1,

    /// <summary>A bad profile, station file or ledger argument: the message names the key or file.</summary>
    BadInput = 2,

    /// <summary>No device: the port does not exist, cannot be opened, or nothing answers on it.</summary>
    NoDevice = 3,

    /// <summary>Something answered that is not an IoTSec device, or speaks no payload version this tool knows.</summary>
    WrongDevice = 4,

    /// <summary>The device is locked: writes are refused until a factory reset at the rework bench.</summary>
    Locked = 5,

    /// <summary>Corrupted or lost frames beyond the retry budget (cable, baud rate, noise).</summary>
    LinkFailed = 6,

    /// <summary>The device's read-back did not match what was sent, or the commit did not read back as committed.</summary>
    NotReadBack = 7,

    /// <summary>The device refused a command for another reason (its diagnostic is printed).</summary>
    DeviceRefused = 8,

    /// <summary>The station cannot issue: its certificate has expired or is not yet valid, its key does not match, or its passphrase is wrong.</summary>
    StationRefused = 9,

    /// <summary>The ledger failed verification: a record is unsigned, tampered, foreign, or out of sequence.</summary>
    LedgerInvalid = 10,

    /// <summary>The device is already provisioned and --replace was not given.</summary>
    AlreadyProvisioned = 11,

    /// <summary>The unit does not report secure boot, flash encryption and closed debug ports, and the profile is not for development (batch).</summary>
    NotHardened = 12,

    /// <summary>A batch ended with at least one unit failed (the summary lists them).</summary>
    BatchHadFailures = 13,
}
