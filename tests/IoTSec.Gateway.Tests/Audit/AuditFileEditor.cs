using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;

namespace IoTSec.Gateway.Tests.Audit;

/// <summary>
/// Edits audit.db the way an attacker with write access to the file would: straight SQL on
/// the rows, after dropping the append-only triggers.
/// </summary>
internal sealed class AuditFileEditor : IDisposable
{
    private readonly SqliteConnection _connection;

    public AuditFileEditor(string path)
    {
        _connection = new SqliteConnection($"Data Source={path};Pooling=False");
        _connection.Open();
        Execute("DROP TRIGGER IF EXISTS audit_entries_no_update; DROP TRIGGER IF EXISTS audit_entries_no_delete;");
    }

    public int Execute(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    public object Read(long sequence, string column)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM audit_entries WHERE sequence = $s;";
        command.Parameters.AddWithValue("$s", sequence);
        return command.ExecuteScalar() ?? throw new InvalidOperationException($"no entry #{sequence}");
    }

    public void Write(long sequence, string column, object value) =>
        Execute($"UPDATE audit_entries SET {column} = $v WHERE sequence = $s;", ("$v", value), ("$s", sequence));

    /// <summary>Every row as (sequence, time, kind, actor, subject, details) in order.</summary>
    public List<(long Sequence, long Time, string Kind, string Actor, string Subject, string Details)> Rows()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT sequence, time_us, kind, actor, subject, details FROM audit_entries ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, long, string, string, string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return rows;
    }

    public void Dispose() => _connection.Dispose();
}
