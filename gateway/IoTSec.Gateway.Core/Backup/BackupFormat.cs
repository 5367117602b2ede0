using System;
using System.Collections.Generic;

namespace IoTSec.Gateway.Core.Backup;

/// <summary>
/// The backup file (docs/operations.md, "Backup and restore"): CMS EnvelopedData (RSA-OAEP
/// SHA-256 key transport to the recovery certificate, AES-256-CBC) around CMS SignedData
/// (the gateway's CA key, SHA-256) around a POSIX tar of the databases, the heartbeat secret
/// and <c>manifest.json</c>. Standard containers, so OpenSSL opens every layer.
/// </summary>
public static class BackupFormat
{
    /// <summary>The manifest's <c>format</c> value.</summary>
    public const string FormatName = "iotsec-gateway-backup";

    /// <summary>The manifest version this gateway writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Name of the manifest inside the tar.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>Name of the heartbeat secret inside the tar.</summary>
    public const string HeartbeatSecretName = "heartbeat-secret";

    /// <summary>
    /// Largest backup file read: the whole file is decrypted in memory, and a file is outside
    /// input. 256 MiB holds years of audit log for a large site.
    /// </summary>
    public const long MaxFileBytes = 256L * 1024 * 1024;

    /// <summary>AES-256-CBC (NIST).</summary>
    internal const string Aes256CbcOid = "2.16.840.1.101.3.4.1.42";

    /// <summary>SHA-256 (NIST).</summary>
    internal const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    /// <summary>id-data (PKCS#7).</summary>
    internal const string DataOid = "1.2.840.113549.1.7.1";

    /// <summary>The databases a backup may hold, and whether each is required.</summary>
    public static readonly IReadOnlyDictionary<string, bool> Databases = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        ["inventory.db"] = true,
        ["audit.db"] = true,
        ["audit-anchor.db"] = true,
        ["posture.db"] = false,
    };

    /// <summary>True for a name a backup may contain besides the manifest.</summary>
    public static bool IsKnownFile(string name) => Databases.ContainsKey(name) || name == HeartbeatSecretName;
}
