using System.Collections.Generic;
using IoTSec.Gateway.Core.Storage;

namespace IoTSec.Gateway.Core.Audit;

/// <summary>Schemas of the audit log file and of its anchor file (forward-only migrations).</summary>
internal static class AuditSchema
{
    public const string LogName = "audit";
    public const string AnchorName = "audit-anchor";

    public static readonly IReadOnlyList<SchemaMigration> LogMigrations =
    [
        new(1, "hash-chained audit entries", """
            CREATE TABLE audit_entries (
                sequence        INTEGER PRIMARY KEY,
                time_us         INTEGER NOT NULL,   -- UTC Unix microseconds
                kind            TEXT    NOT NULL,
                actor           TEXT    NOT NULL,
                subject         TEXT    NOT NULL,
                details         TEXT    NOT NULL,   -- compact JSON object
                previous_digest BLOB    NOT NULL,
                digest          BLOB    NOT NULL
            ) STRICT;
            CREATE INDEX audit_entries_by_time ON audit_entries (time_us);
            -- Refuse edits made through SQL by mistake. Not a security boundary: whoever can
            -- write the file can drop these triggers; the digest chain and the anchor catch that.
            CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
                BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
            """),
    ];

    public static readonly IReadOnlyList<SchemaMigration> AnchorMigrations =
    [
        new(1, "audit anchor: head before and after the last write", """
            CREATE TABLE anchor (
                id             INTEGER PRIMARY KEY CHECK (id = 1),
                previous_count INTEGER NOT NULL,    -- the log before the last write began
                previous_head  BLOB    NOT NULL,
                next_count     INTEGER NOT NULL,    -- the log once the last write commits
                next_head      BLOB    NOT NULL,
                lost_at_count  INTEGER,             -- set when the anchor was recreated for a non-empty log
                updated_at     INTEGER NOT NULL
            ) STRICT;
            INSERT INTO anchor VALUES (1, 0, zeroblob(32), 0, zeroblob(32), NULL, 0);
            """),
    ];
}
