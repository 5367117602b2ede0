using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Core.Storage;

/// <summary>
/// Opens the gateway's SQLite files the one way they are meant to be opened: write-ahead
/// log (readers never block the writer, so the broker's look-ups do not stall behind an
/// import), foreign keys enforced, a busy timeout so that the daemon and an administration
/// verb in another process wait for each other instead of failing, full synchronous commits
/// (a revocation or an audit entry that was reported done survives a power cut), and a
/// schema version table migrated forward only.
/// </summary>
public static class SqliteDatabase
{
    /// <summary>How long a writer waits for another process's write transaction.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Opens (creating when missing) the database at <paramref name="path"/> and brings its
    /// schema to the newest of <paramref name="migrations"/>.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="schemaName">Which schema the file holds ("inventory", "audit", …); a file of another schema is refused.</param>
    /// <param name="migrations">Every step, version 1 first.</param>
    /// <exception cref="DatabaseSchemaException">The file is newer than this code, or holds another schema.</exception>
    public static SqliteConnection Open(string path, string schemaName, IReadOnlyList<SchemaMigration> migrations)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(schemaName);
        ArgumentNullException.ThrowIfNull(migrations);

        var connection = OpenConnection(path, readOnly: false);
        try
        {
            // journal_mode cannot change inside a transaction; it is a property of the file and stays.
            var mode = Convert.ToString(Scalar(connection, "PRAGMA journal_mode = WAL;"), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new DatabaseSchemaException($"{path}: the database refused write-ahead logging (journal mode '{mode}')");
            }

            Migrate(connection, path, schemaName, migrations);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens another connection to a database that <see cref="Open"/> has already migrated
    /// (for long reads beside the writer's connection), with the same settings.
    /// </summary>
    public static SqliteConnection OpenConnection(string path, bool readOnly)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
            // One long-lived connection per owner: pooled connections would keep the file
            // open after Dispose, and the owners serialize their own access anyway.
            Pooling = false,
            ForeignKeys = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, string.Create(
                CultureInfo.InvariantCulture,
                $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF;"));
            if (Convert.ToInt64(Scalar(connection, "PRAGMA foreign_keys;"), CultureInfo.InvariantCulture) != 1)
            {
                throw new DatabaseSchemaException($"{path}: foreign keys could not be enabled");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The newest schema version applied to the database.</summary>
    public static int CurrentVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Convert.ToInt32(Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version;"), CultureInfo.InvariantCulture);
    }

    /// <summary>Runs statements that return nothing.</summary>
    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs a statement that returns one value.</summary>
    internal static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }

    private static void Migrate(SqliteConnection connection, string path, string schemaName, IReadOnlyList<SchemaMigration> migrations)
    {
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER PRIMARY KEY,
                schema_name TEXT    NOT NULL,
                description TEXT    NOT NULL,
                applied_at  TEXT    NOT NULL
            ) STRICT;
            """);

        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT DISTINCT schema_name FROM schema_version;";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var found = reader.GetString(0);
                if (!string.Equals(found, schemaName, StringComparison.Ordinal))
                {
                    throw new DatabaseSchemaException($"{path} holds the '{found}' schema, not '{schemaName}'");
                }
            }
        }

        var newest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        var current = CurrentVersion(connection);
        if (current > newest)
        {
            throw new DatabaseSchemaException(
                $"{path} has {schemaName} schema version {current}, newer than this gateway understands ({newest}); " +
                "downgrading is not supported: run the newer gateway or restore a backup");
        }

        for (var i = 0; i < migrations.Count; i++)
        {
            var migration = migrations[i];
            if (migration.Version != i + 1)
            {
                throw new InvalidOperationException($"{schemaName} migrations must be numbered 1, 2, 3, … (found {migration.Version} at position {i + 1})");
            }

            if (migration.Version <= current)
            {
                continue;
            }

            // BEGIN IMMEDIATE takes the write lock first, so two processes opening the same
            // file at once apply each step exactly once (the second re-reads the version).
            using var transaction = connection.BeginTransaction(deferred: false);
            if (CurrentVersion(connection, transaction) >= migration.Version)
            {
                transaction.Commit();
                continue;
            }

            Execute(connection, migration.Sql, transaction);
            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO schema_version (version, schema_name, description, applied_at) VALUES ($v, $s, $d, $t);";
                insert.Parameters.AddWithValue("$v", migration.Version);
                insert.Parameters.AddWithValue("$s", schemaName);
                insert.Parameters.AddWithValue("$d", migration.Description);
                insert.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static int CurrentVersion(SqliteConnection connection, SqliteTransaction transaction) =>
        Convert.ToInt32(Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version;", transaction), CultureInfo.InvariantCulture);
}
