namespace IoTSec.Gateway.Core.Backup;

/// <summary>Why a backup file was refused at restore (or could not be written). Each has its own message.</summary>
public enum BackupRejection
{
    /// <summary>The file is larger than <see cref="BackupFormat.MaxFileBytes"/>.</summary>
    TooLarge = 1,

    /// <summary>The file is not a CMS EnvelopedData backup.</summary>
    NotABackup = 2,

    /// <summary>The recovery key does not open the file (another fleet's key, or a wrong passphrase).</summary>
    WrongRecoveryKey = 3,

    /// <summary>The signature inside does not verify: the file was changed after it was written.</summary>
    SignatureInvalid = 4,

    /// <summary>The signer does not chain to this gateway's offline root.</summary>
    ForeignRoot = 5,

    /// <summary>The signer is not a gateway intermediate (it lacks the gateway-intermediate policy).</summary>
    NotAGatewaySigner = 6,

    /// <summary>The manifest is missing or malformed.</summary>
    ManifestInvalid = 7,

    /// <summary>The files do not match the manifest (digest, size, missing or extra file).</summary>
    ContentMismatch = 8,

    /// <summary>The data directory already holds devices and --force was not given.</summary>
    DataDirectoryInUse = 9,

    /// <summary>The restored audit chain does not verify.</summary>
    AuditChainBroken = 10,

    /// <summary>The recovery certificate is not one the offline root issued for backups.</summary>
    InvalidRecoveryCertificate = 11,

    /// <summary>The heartbeat secret cannot be read (sealed: the tamper latch is set).</summary>
    SecretUnavailable = 12,
}
