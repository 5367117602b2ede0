using System;
using System.Collections.Generic;
using System.IO;
using IoTSec.Gateway.Core.Storage;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Backup;

/// <summary>
/// Consistent copies of the gateway's SQLite files through SQLite's online backup API (a file
/// copy of a database in WAL mode can miss committed pages still in the -wal file, or catch a
/// half-written page). While the copies are made the audit log's write lock is held, so the
/// audit log and its anchor are copied at the same point of the chain and no audited change
/// lands between them; readers, and the daemon's other databases, carry on.
/// </summary>
internal static class DatabaseSnapshot
{
    /// <summary>Copies each existing database of <paramref name="names"/> in <paramref name="data"/>; the result maps name to bytes.</summary>
    public static Dictionary<string, (byte[] Content, int SchemaVersion)> Take(GatewayDataDirectory data, IEnumerable<string> names)
    {
        var scratch = ScratchDirectory(data);
        try
        {
            using var auditLock = SqliteDatabase.OpenConnection(data.AuditDatabase, readOnly: false);
            using var hold = auditLock.BeginTransaction(deferred: false);
            var copies = new Dictionary<string, (byte[], int)>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var path = Path.Combine(data.Root, name);
                if (File.Exists(path))
                {
                    copies[name] = Copy(path, scratch);
                }
            }

            hold.Rollback();
            return copies;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Replaces the database at <paramref name="destination"/> with <paramref name="content"/>,
    /// through the backup API into the destination's own connection (its WAL is kept consistent).
    /// </summary>
    public static void Restore(GatewayDataDirectory data, byte[] content, string destination)
    {
        var scratch = ScratchDirectory(data);
        try
        {
            var source = Path.Combine(scratch, "restore.db");
            WritePrivate(source, content);
            using (var from = SqliteDatabase.OpenConnection(source, readOnly: false))
            using (var to = SqliteDatabase.OpenConnection(destination, readOnly: false))
            {
                from.BackupDatabase(to);
            }

            SqliteConnection.ClearAllPools();
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Copies <paramref name="path"/> to <paramref name="copyPath"/> through the backup API (keeping a replaced file).</summary>
    public static void CopyFile(string path, string copyPath)
    {
        using var from = SqliteDatabase.OpenConnection(path, readOnly: true);
        using var to = SqliteDatabase.OpenConnection(copyPath, readOnly: false);
        from.BackupDatabase(to);
    }

    /// <summary>Removes a database file with its write-ahead log and shared-memory files.</summary>
    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    private static (byte[], int) Copy(string path, string scratch)
    {
        var target = Path.Combine(scratch, Path.GetFileName(path));
        int version;
        using (var from = SqliteDatabase.OpenConnection(path, readOnly: true))
        {
            version = SqliteDatabase.CurrentVersion(from);
            using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
            to.Open();
            from.BackupDatabase(to);
        }

        return (File.ReadAllBytes(target), version);
    }

    // Next to the data (same file system, same 0700 protection), never in a shared /tmp.
    private static string ScratchDirectory(GatewayDataDirectory data)
    {
        var path = Path.Combine(data.Root, ".backup-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static void WritePrivate(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(content);
    }
}
