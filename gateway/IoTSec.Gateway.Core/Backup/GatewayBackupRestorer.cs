using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Core.Storage;

namespace IoTSec.Gateway.Core.Backup;

/// <summary>What a restore did.</summary>
/// <param name="Manifest">The restored backup's manifest.</param>
/// <param name="SignerSubject">The old gateway intermediate that signed it.</param>
/// <param name="KeptFiles">Databases that were in the way, kept under a new name (never deleted).</param>
/// <param name="RestoreEntry">The audit entry that records the restore.</param>
public sealed record RestoreSummary(BackupManifest Manifest, string SignerSubject, IReadOnlyList<string> KeptFiles, AuditEntry RestoreEntry);

/// <summary>
/// Puts an opened backup into a gateway's data directory: the databases, and the heartbeat
/// secret sealed into THIS gateway's key store (its own TPM), so devices keep their heartbeat
/// keys. The daemon must be stopped (it caches state from the databases).
/// </summary>
public static class GatewayBackupRestorer
{
    /// <summary>Restores <paramref name="backup"/> into <paramref name="data"/>.</summary>
    /// <param name="backup">A backup opened by <see cref="BackupReader"/>.</param>
    /// <param name="data">The data directory.</param>
    /// <param name="sealer">This gateway's sealer.</param>
    /// <param name="force">Replace an inventory that already has devices.</param>
    /// <param name="actor">Who restores, for the audit log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="BackupRejectedException">The directory holds devices (without <paramref name="force"/>), or the restored audit chain does not verify.</exception>
    public static RestoreSummary Restore(OpenedBackup backup, GatewayDataDirectory data, ISecretSealer sealer, bool force, string actor, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(backup);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(sealer);
        var time = timeProvider ?? TimeProvider.System;
        data.EnsureExists();
        var devices = CountDevices(data.InventoryDatabase);
        if (devices > 0 && !force)
        {
            throw new BackupRejectedException(BackupRejection.DataDirectoryInUse, string.Create(CultureInfo.InvariantCulture,
                $"'{data.Root}' already holds an inventory with {devices} devices; restoring would replace it. Give --force to replace it (the current databases are kept beside as *.pre-restore-*)"));
        }

        // Whatever is replaced is kept, never deleted: the local audit log is evidence too.
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var kept = new List<string>();
        foreach (var name in BackupFormat.Databases.Keys)
        {
            var path = Path.Combine(data.Root, name);
            if (File.Exists(path))
            {
                var copy = $"{path}.pre-restore-{stamp}";
                DatabaseSnapshot.CopyFile(path, copy);
                kept.Add(copy);
            }
        }

        foreach (var name in BackupFormat.Databases.Keys)
        {
            var path = Path.Combine(data.Root, name);
            if (backup.Files.TryGetValue(name, out var content))
            {
                DatabaseSnapshot.Restore(data, content, path);
            }
            else if (File.Exists(path))
            {
                // Not in the backup (an optional database): this gateway's own copy would not
                // match the restored inventory. It was kept aside above; remove it here.
                DatabaseSnapshot.Delete(path);
            }
        }

        sealer.Seal(HeartbeatSecret.SealedName, backup.Files[BackupFormat.HeartbeatSecretName]);

        // The old intermediate stays a path candidate for devices that send only their leaf.
        InstalledHierarchy.AddPreviousIntermediate(data, backup.Signer);

        using var audit = AuditLog.Open(data, time);
        var before = audit.Verify();
        if (before.FirstProblem is { } problem)
        {
            throw new BackupRejectedException(BackupRejection.AuditChainBroken, string.Create(CultureInfo.InvariantCulture,
                $"the restored audit log does not verify at entry #{problem.Sequence} ({problem.Kind}: {problem.Detail}); the databases were restored, the previous ones kept: {string.Join(", ", kept)}"));
        }

        var entry = audit.Append(AuditEventKind.Restore, actor, backup.Manifest.Gateway, new JsonObject
        {
            ["backupCreatedAt"] = backup.Manifest.CreatedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["sourceIntermediateSha256"] = backup.Manifest.IntermediateSha256,
            ["sourceKeyBackend"] = backup.Manifest.KeyBackend,
            ["producer"] = backup.Manifest.Producer,
            ["keptFiles"] = string.Join(",", kept),
            ["forced"] = force,
        });
        var after = audit.Verify();
        if (after.FirstProblem is { } late)
        {
            throw new BackupRejectedException(BackupRejection.AuditChainBroken, string.Create(CultureInfo.InvariantCulture,
                $"the audit log does not verify after the restore entry, at entry #{late.Sequence} ({late.Kind}: {late.Detail})"));
        }

        return new RestoreSummary(backup.Manifest, backup.Signer.Subject, kept, entry);
    }

    private static long CountDevices(string inventoryPath)
    {
        if (!File.Exists(inventoryPath))
        {
            return 0;
        }

        using var connection = SqliteDatabase.OpenConnection(inventoryPath, readOnly: true);
        if (SqliteDatabase.Scalar(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'devices';") is long tables && tables == 0)
        {
            return 0;
        }

        return Convert.ToInt64(SqliteDatabase.Scalar(connection, "SELECT count(*) FROM devices;"), CultureInfo.InvariantCulture);
    }
}
